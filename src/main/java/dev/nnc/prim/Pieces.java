package dev.nnc.prim;

import dev.nnc.ir.Expr;
import java.util.List;

/** The shapes of the pieces of a registry entry that are code: forward semantics and derivative rules. */
public final class Pieces {
  private Pieces() {}

  /** Forward semantics of an elementwise function; {@code param} is its numeric argument (0 when it has none). */
  @FunctionalInterface
  public interface UnaryForward {
    double apply(double x, double param);
  }

  @FunctionalInterface
  public interface BinaryForward {
    double apply(double a, double b);
  }

  /**
   * Forward semantics of a reduction: {@code out[map[p]]} accumulates {@code x[p]}; {@code out} arrives zeroed and
   * must leave holding the result.
   */
  @FunctionalInterface
  public interface ReduceForward {
    void apply(double[] x, int[] map, double[] out);
  }

  /**
   * The reverse-mode rule of {@code y = f(x)}: {@code ∂L/∂x} given {@code dY = ∂L/∂y}. Returns null only for
   * {@link #ZERO}, the rule of a piecewise-constant function; a primitive without a rule has a null rule, which
   * the completeness check reports.
   */
  @FunctionalInterface
  public interface UnaryReverse {
    Expr apply(RuleKit k, Expr.Unary y, Expr dY);

    /** The derivative is 0 wherever it exists (steps, signs). */
    UnaryReverse ZERO = (k, y, dY) -> null;
  }

  /** {@code {∂L/∂a, ∂L/∂b}} of {@code y = a op b}; an entry is null when not wanted or identically zero. */
  @FunctionalInterface
  public interface BinaryReverse {
    Expr[] apply(RuleKit k, Expr.Binary y, Expr dY, boolean wantA, boolean wantB);

    BinaryReverse ZERO = (k, y, dY, wa, wb) -> new Expr[] {null, null};
  }

  @FunctionalInterface
  public interface ReduceReverse {
    Expr apply(RuleKit k, Expr.Reduce y, Expr dY);
  }

  /**
   * The forward-mode (JVP) rule: the tangent {@code ẏ} of {@code y} from its operands' tangents, aligned with
   * {@code y.inputs()}; a null tangent (in or out) is identically zero. Every entry has one ({@link Prims#problems}).
   */
  @FunctionalInterface
  public interface Jvp {
    Expr apply(RuleKit k, Expr y, List<Expr> tangents);
  }
}
