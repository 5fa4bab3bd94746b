package dev.nnc.prim;

/**
 * How generated Java computes a reduction: the accumulator starts at {@code init} and takes each entry with
 * {@code combine} ({@code %1$s} the accumulator, {@code %2$s} the entry). With {@code logOfShiftedExp} a second
 * pass turns the maximum m into {@code m + log Σ exp(x − m)} (logsumexp without overflow).
 */
public record ReduceEmission(String init, String combine, boolean logOfShiftedExp) {
  public String combine(String accumulator, String entry) {
    return String.format(combine, accumulator, entry);
  }
}
