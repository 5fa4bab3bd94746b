package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/**
 * One declared variable: name, shape entries (each an {@link Expr.Ref} dim name or an {@link Expr.Num}; empty for a
 * scalar) and an optional initialiser (null when absent).
 */
public record VarItem(Name name, List<Expr> shape, Init init, Span span) implements Node {
  public VarItem {
    shape = List.copyOf(shape);
  }
}
