package dev.nnc.ast;

import dev.nnc.diag.Span;

/** A call argument; {@code name} is null for a positional one ({@code axis=0} has name {@code axis}). */
public record Arg(Name name, Expr value, Span span) implements Node {}
