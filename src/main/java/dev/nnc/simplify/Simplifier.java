package dev.nnc.simplify;

import dev.nnc.diff.DiffModel;

/** Canonical forms, like terms, rational normalisation, stability rewrites, CSE. */
public final class Simplifier {
  private Simplifier() {}

  public static DiffModel simplify(DiffModel model) {
    return model; // identity until the simplifier lands
  }
}
