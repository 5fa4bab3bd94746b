package dev.nnc.notation;

/**
 * What a named node prints as, as data, so that every notation spells it itself (never by re-reading Unicode
 * text): a model name ({@code W₁} → {@code W1} → {@code W_{1}}), a partial derivative ({@code ∂L/∂a} →
 * {@code dL/da} → {@code \frac{\partial L}{\partial a}}), or a number substituted for a symbol (a numeric trace).
 */
public sealed interface Label {
  /** A model name as written (display spelling). */
  record Name(String spelling) implements Label {}

  /** ∂{@code of}/∂{@code wrt}, both display spellings. */
  record Partial(String of, String wrt) implements Label {}

  /** A number substituted for a symbol (a numeric trace); a negative one prints in parentheses. */
  record Value(double value) implements Label {}

  static Label name(String spelling) {
    return new Name(spelling);
  }

  static Label partial(String of, String wrt) {
    return new Partial(of, wrt);
  }
}
