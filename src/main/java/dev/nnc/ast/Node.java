package dev.nnc.ast;

import dev.nnc.diag.Span;

/**
 * The AST: immutable records, each carrying the span it was parsed from. Record equality includes spans;
 * compare shapes with {@link AstPrinter} output (the canonical text) or an s-expression dump, not equals().
 * Every record here is built only by the parser's AstBuilder (or by tests).
 */
public sealed interface Node permits SourceFile, Model, Stmt, Expr, Name, Arg, VarItem, DimItem, Init {
  Span span();
}
