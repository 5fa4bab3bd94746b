package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/** {@code model Name { … }}, or the implicit model of a bare file ({@code nameSpan} is then {@link Span#NONE}). */
public record Model(String name, Span nameSpan, List<Stmt> statements, Span span) implements Node {
  public Model {
    statements = List.copyOf(statements);
  }
}
