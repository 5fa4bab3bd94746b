package dev.nnc.prim;

import java.util.List;

/**
 * A built-in function whose IR is not an elementwise or reduction op: {@code mean} (lowered to a sum over a
 * count), {@code transpose} (the ASCII spelling of {@code ᵀ}) and {@code softmax}/{@code log_softmax} (IR node kinds of their own, whose derivative rule, Java and
 * notation live in one place each: {@code diff.Rules}, {@code codegen.Bodies}, {@code notation.MathPrinter}).
 * The registry holds their spellings, shape rule and notation so that the function list is one list.
 */
public record FunctionPrim(String name, List<String> spellings, ShapeRule shape, Lowering lowering,
    Symbol notation) {
  /** What the checker lowers a call to. */
  public enum Lowering {
    /** Σ over the axes divided by the number of entries reduced. */
    MEAN,
    /** An {@code Expr.Softmax} node. */
    SOFTMAX,
    /** An {@code Expr.LogSoftmax} node. */
    LOG_SOFTMAX,
    /** An {@code Expr.Transpose} node: {@code transpose(X)} is the ASCII spelling of {@code Xᵀ}. */
    TRANSPOSE
  }
}
