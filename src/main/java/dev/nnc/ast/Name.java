package dev.nnc.ast;

import dev.nnc.diag.Span;

/**
 * An identifier. {@code id} is the name after NFC normalisation and subscript-digit mapping ({@code w₁} → {@code w1});
 * {@code spelling} is the text as written (kept for messages and for the confusable-names check).
 */
public record Name(String id, String spelling, Span span) implements Node {}
