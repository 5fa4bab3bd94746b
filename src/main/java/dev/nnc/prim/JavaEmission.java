package dev.nnc.prim;

import java.util.List;

/**
 * How generated Java computes an elementwise primitive, as data (so that this package needs nothing from codegen):
 * a library call, an operator, or a small private static helper method that a class gets only when it uses it.
 */
public sealed interface JavaEmission {
  /** {@code function(x)} or {@code function(a, b)}, e.g. {@code Math.exp}. */
  record Call(String function) implements JavaEmission {}

  /** {@code −x}. */
  record Prefix(String operator) implements JavaEmission {}

  /**
   * {@code a op b}; {@code level} is the Java precedence the result has, 1 additive and 2 multiplicative (the
   * right operand needs one more, so {@code a - (b + c)} keeps its parentheses).
   */
  record Infix(String operator, int level) implements JavaEmission {}

  /**
   * A call of the helper {@code name(x)} ({@code name(x, param)} for a function with a numeric argument, or
   * {@code name(a, b)} for a binary one). {@code params} are the Java parameter names, {@code body} the method
   * body (statements ending in a return), {@code javadoc} one line of documentation.
   */
  record Helper(String name, List<String> params, String javadoc, String body) implements JavaEmission {
    public Helper {
      params = List.copyOf(params);
    }
  }
}
