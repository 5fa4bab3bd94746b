package dev.nnc.diff;

import dev.nnc.ir.ModelIR;

/** Symbolic reverse mode over the model's graph. */
public final class Differentiator {
  private Differentiator() {}

  public static DiffModel differentiate(ModelIR model) {
    throw new UnsupportedOperationException("reverse mode not built yet"); // replaced by the reverse-mode work
  }
}
