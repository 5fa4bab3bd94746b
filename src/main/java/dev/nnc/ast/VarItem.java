package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/**
 * One declared variable: name, shape entries (each an {@link Expr.Ref} dim name or an {@link Expr.Num}; empty for a
 * scalar), an optional initialiser (null when absent) and an optional modifier after the shape ({@code onehot};
 * null when absent; the checker decides whether it is one).
 */
public record VarItem(Name name, List<Expr> shape, Init init, Name modifier, Span span) implements Node {
  public VarItem {
    shape = List.copyOf(shape);
  }

  /** Without a modifier. */
  public VarItem(Name name, List<Expr> shape, Init init, Span span) {
    this(name, shape, init, null, span);
  }
}
