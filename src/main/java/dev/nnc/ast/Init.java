package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** {@code ~ normal(0, 0.01)}, {@code ~ zeros}: the initialiser name and its (unchecked) arguments. */
public record Init(Name function, List<Arg> args, Span span) implements Node {
  public Init {
    args = List.copyOf(args);
  }
}
