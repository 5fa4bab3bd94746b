package dev.nnc.prim;

import dev.nnc.ir.BinaryOp;
import java.util.List;

/**
 * An elementwise operation of two operands. {@code domains} holds one test domain per operand;
 * {@code kinkWhereEqual} says the derivative jumps where the operands are equal (max, min, ≥).
 */
public record BinaryPrim(BinaryOp op, List<String> spellings, ShapeRule shape, Pieces.BinaryForward forward,
    Pieces.BinaryReverse reverse, Pieces.Jvp jvp, JavaEmission java, Symbol notation, List<Domain> domains,
    boolean kinkWhereEqual) {}
