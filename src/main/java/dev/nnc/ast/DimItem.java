package dev.nnc.ast;

import dev.nnc.diag.Span;

/** One entry of a dim declaration; {@code size} is null for a free dim, else the (unchecked) expression after '='. */
public record DimItem(Name name, Expr size, Span span) implements Node {}
