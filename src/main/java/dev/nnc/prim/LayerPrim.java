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

  /** A shape computed from the operands' and the result's shapes and the op's ints. */
  @FunctionalInterface
  public interface ShapeOf {
    Shape apply(List<Shape> args, Shape out, List<Integer> ints);
  }

  /**
   * A buffer the generated method works in besides its operands (an im2col matrix, one image's product): allocated
   * once by the constructor for each call site, so the method allocates nothing; passed after the operands.
   */
  public record Scratch(String name, ShapeOf shape) {}

  /**
   * A matrix product the body calls through the class's product kernels ({@code matmulNN}, {@code matmulTN},
   * {@code matmulNT} for {@code transA}, {@code transB}): the generated class gets that kernel, and sizes the kernels'
   * scratch for its {@code m, k, n} (given as {@link IntArgs} factors, in that order).
   */
  public record Product(boolean transA, boolean transB, IntArgs mkn) {}

  /**
   * The generated method {@code private [static] void name(double[] out, double[] arg…, double[] scratch…,
   * int intParam…)}: {@code arrays} names the result and the operands in order, {@code scratch} the buffers after
   * them, {@code ints} the int parameters, {@code args} says what to pass. A method that calls product kernels
   * ({@code products}) is an instance method (the kernels keep their packed rows in the model object); the others
   * are static.
   */
  public record Emission(String name, List<String> arrays, List<String> ints, IntArgs args, String javadoc, String body,
      List<Scratch> scratch, List<Product> products) {
    public Emission {
      arrays = List.copyOf(arrays);
      ints = List.copyOf(ints);
      scratch = List.copyOf(scratch);
      products = List.copyOf(products);
    }

    /** A method over its operands alone. */
    public Emission(String name, List<String> arrays, List<String> ints, IntArgs args, String javadoc, String body) {
      this(name, arrays, ints, args, javadoc, body, List.of(), List.of());
    }
  }
}
