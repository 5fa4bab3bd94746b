package dev.nnc.notation;

import dev.nnc.ir.NameTable;

/**
 * What a named node prints as, as data, so that every notation spells it itself (never by re-reading Unicode
 * text): a model name ({@code W₁} → {@code W1} → {@code W_{1}}), a partial derivative ({@code ∂L/∂a} →
 * {@code dL/da} → {@code \frac{\partial L}{\partial a}}), or a number substituted for a symbol (a numeric trace).
 */
public sealed interface Label {
  /** A model name as written (display spelling). */
  record Name(String spelling) implements Label {}

  /**
   * ∂{@code of}/∂{@code wrt}, both display spellings: the adjoint ∂L/∂z of a model's name ({@link #adjoint}), or a
   * local derivative ∂a/∂z of one name by another. Only {@link MathPrinter} spells it.
   */
  record Partial(String of, String wrt) implements Label {}

  /** A number substituted for a symbol (a numeric trace); a negative one prints in parentheses. */
  record Value(double value) implements Label {}

  static Label name(String spelling) {
    return new Name(spelling);
  }

  static Label partial(String of, String wrt) {
    return new Partial(of, wrt);
  }

  /** The adjoint ∂L/∂x of param or value {@code id}, from the model's names (its loss's and x's display spellings). */
  static Partial adjoint(NameTable names, String id) {
    return new Partial(names.lossSpelling(), names.withAdjoint(id).spelling());
  }
}
