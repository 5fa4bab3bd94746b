package dev.nnc.simplify;

/**
 * A numerical-stability rewrite applied to a forward value, for comments in generated code and for
 * {@code nnc grad}: e.g. value {@code L}, {@code "log(a) → −softplus(−z)"}.
 *
 * @param valueName the model name of the value whose expression was rewritten
 * @param description the rewritten subexpression before and after, in the model's names
 */
public record Rewrite(String valueName, String description) {}
