package dev.nnc.prim;

import dev.nnc.ir.Expr;
import dev.nnc.ir.LayerOp;
import dev.nnc.ir.Shape;
import java.util.List;

/**
 * A structured tensor operation (LANGUAGE.md §10: convolution, pooling, flatten) and the adjoint ops its rules
 * build. Entries without spellings are those adjoints: they appear only in derivatives, and their own rules return to
 * the family (see {@link LayerOp}). {@code java} is a private static method the generated class gets when it uses the
 * op; {@code forward} is the interpreter's reference semantics (written as the definition, not as the generated
 * loops, so the two check each other).
 */
public record LayerPrim(LayerOp op, List<String> spellings, ShapeRule shape, Forward forward, Reverse reverse,
    Pieces.Jvp jvp, Emission java, Symbol notation, Domain domain) {

  /** Reference semantics: the result (row-major) from the operands and their extents, the ints and the result's extents. */
  @FunctionalInterface
  public interface Forward {
    double[] apply(List<double[]> args, List<int[]> extents, List<Integer> ints, int[] out);
  }

  /** The adjoints of the operands (null where not wanted or identically zero), given {@code dY}. */
  @FunctionalInterface
  public interface Reverse {
    Expr[] apply(RuleKit k, Expr.Layer y, Expr dY, boolean[] want);
  }

  /** What each int argument of the generated method is: the product of these dims (ir.Dim) and integer literals. */
  @FunctionalInterface
  public interface IntArgs {
    List<List<Object>> apply(List<Shape> args, Shape out, List<Integer> ints);
  }

  /**
   * The generated method {@code private static void name(double[] out, double[] arg…, int intParam…)}: {@code arrays}
   * names the result and the operands in order, {@code ints} the int parameters, {@code args} says what to pass.
   */
  public record Emission(String name, List<String> arrays, List<String> ints, IntArgs args, String javadoc, String body) {
    public Emission {
      arrays = List.copyOf(arrays);
      ints = List.copyOf(ints);
    }
  }
}
