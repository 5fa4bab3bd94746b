package dev.nnc.diff;

/**
 * A numerical-stability rewrite applied to a forward value, for comments in generated code and for
 * {@code nnc grad}: e.g. value {@code L}, {@code "log(a) → −softplus(−z)"}. The simplifier records these; they live
 * here, beside the {@link DiffModel} that carries them, because diff comes before simplify (docs/architecture.md).
 *
 * @param valueName the model name of the value whose expression was rewritten
 * @param description the rewritten subexpression before and after, in the model's names
 */
public record Rewrite(String valueName, String description) {}
