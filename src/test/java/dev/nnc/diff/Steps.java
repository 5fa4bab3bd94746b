package dev.nnc.diff;

import dev.nnc.notation.Derivations;
import dev.nnc.notation.Label;
import dev.nnc.notation.MathPrinter;

/** An adjoint's recorded chain-rule steps, printed in Unicode by the one renderer (for assertions). */
public final class Steps {
  private Steps() {}

  /** The symbolic step: {@code ∂L/∂a · ∂a/∂z}; empty when there are no steps. */
  public static String chain(DiffModel d, String name) {
    Adjoint a = d.adjoint(name);
    return Derivations.chain(new Label.Partial(d.explanation().loss(), a.spelling()), a.steps(),
        MathPrinter.labelled(MathPrinter.Notation.UNICODE, java.util.Map.of()));
  }

  /** The step with the local derivatives filled in: {@code ∂L/∂a · a(1−a)}. */
  public static String local(DiffModel d, String name) {
    return Derivations.local(d.adjoint(name).steps(), d.explanation(), MathPrinter.Notation.UNICODE, 4000);
  }
}
