package dev.nnc.prim;

import dev.nnc.ir.ReduceOp;
import java.util.List;

/**
 * A reduction over some axes. Its Java is {@link ReduceEmission}; {@code kinkWhereEqual} says the derivative jumps
 * where two reduced entries tie (max, min).
 */
public record ReducePrim(ReduceOp op, List<String> spellings, ShapeRule shape, Pieces.ReduceForward forward,
    Pieces.ReduceReverse reverse, Pieces.Jvp jvp, ReduceEmission java, Symbol notation, Domain domain,
    boolean kinkWhereEqual) {}
