package dev.nnc.prim;

/**
 * The overflow-free forms of the forward semantics (what the interpreter computes; the generated helpers of
 * {@link Prims} compute the same formulas).
 */
public final class Numerics {
  private Numerics() {}

  /** √(2/π), the constant of gelu's tanh approximation. */
  public static final double GELU_C = 0.7978845608028654;
  public static final double GELU_K = 0.044715;

  public static double sigmoid(double x) {
    if (x >= 0) return 1 / (1 + Math.exp(-x));
    double e = Math.exp(x);
    return e / (1 + e);
  }

  public static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** x for x > 0, else α(exp(x) − 1) through expm1, which is exact near 0 and −α for large negatives. */
  public static double elu(double x, double alpha) {
    return x > 0 ? x : alpha * Math.expm1(x);
  }

  /** x·σ(x), with σ in the form that does not overflow for large negative x. */
  public static double silu(double x) {
    if (x >= 0) return x / (1 + Math.exp(-x));
    double e = Math.exp(x);
    return x * e / (1 + e);
  }

  /** The tanh approximation 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))). */
  public static double gelu(double x) {
    return 0.5 * x * (1 + Math.tanh(GELU_C * (x + GELU_K * x * x * x)));
  }
}
