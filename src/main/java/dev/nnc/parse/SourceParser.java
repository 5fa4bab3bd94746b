package dev.nnc.parse;

import dev.nnc.ast.SourceFile;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Source;

/** Text → AST. Reports syntax diagnostics; returns null when nothing sensible could be built. */
public final class SourceParser {
  private SourceParser() {}

  public static SourceFile parse(Source source, Diagnostics diags) {
    throw new UnsupportedOperationException("parser not built yet"); // replaced by the front-end work
  }
}
