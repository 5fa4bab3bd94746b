package dev.nnc.prim;

/**
 * How a primitive prints (its notation): its {@link Style} (the layout the printer gives it) and its symbol in each notation, e.g.
 * σ as {@code σ}, {@code sigmoid}, {@code \sigma}. A style is a layout, not a primitive: a new function that prints
 * as a call ({@code name(x)}) needs only its three spellings here.
 */
public record Symbol(Style style, String unicode, String ascii, String latex) {
  /** Layouts. */
  public enum Style {
    /** {@code name(x)}, {@code name(x, param)} for a function with a numeric argument, {@code name(X, axis=k)}. */
    CALL,
    /** {@code −x}. */
    PREFIX,
    /** {@code √x}, or {@code √(x + 1)}. */
    ROOT,
    /** {@code |x|}. */
    BARS,
    /** {@code [x > 0]}: 1 where the operand is positive, else 0. */
    INDICATOR,
    /** {@code a + b}, {@code a − b}. */
    SUM,
    /** {@code a · b}, {@code 2a}, {@code A ⊙ B}. */
    PRODUCT,
    /** {@code a/b}. */
    QUOTIENT,
    /** {@code a²}, {@code a^b}. */
    POWER,
    /** {@code [a ≥ b]}. */
    COMPARE
  }
}
