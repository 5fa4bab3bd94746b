package dev.nnc.prim;

import dev.nnc.ir.UnaryOp;
import java.util.List;

/**
 * An elementwise function: everything about it in one place. {@code spellings} are its names in .nn (Unicode and
 * ASCII; empty for an op only derivative rules create, such as STEP); {@code param} its numeric argument or null;
 * {@code activation} says it makes a hidden unit (for the zero-initialisation warning). Pieces are not checked
 * here so that the completeness check ({@link Prims#problems}) can report a missing one by name.
 */
public record UnaryPrim(UnaryOp op, List<String> spellings, Param param, ShapeRule shape, Pieces.UnaryForward forward,
    Pieces.UnaryReverse reverse, Pieces.Jvp jvp, JavaEmission java, Symbol notation, Domain domain,
    boolean activation) {}
