package dev.nnc.check;

import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Span;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Shape;
import java.util.List;

/**
 * Every tensor of a model lives in one {@code double[]} of the generated class, so no shape may have more entries
 * than a Java array holds. Sizes are multiplied in long arithmetic (an int product of {@code 65536 · 65537} wraps to
 * 65536 and used to allocate a wrong-sized array silently). Free dims count as 1 here; the generated constructor
 * checks the products they make when it knows their sizes.
 */
final class ArraySizes {
  /** The largest array length every JVM allocates ({@code ArraysSupport.SOFT_MAX_ARRAY_LENGTH}). */
  static final long MAX_ENTRIES = Integer.MAX_VALUE - 8;

  private ArraySizes() {}

  /** The product of the shape's fixed sizes, or MAX_ENTRIES + 1 as soon as it passes MAX_ENTRIES. */
  static long fixedEntries(Shape s) {
    long n = 1;
    for (Dim d : s.dims()) {
      if (d.isFree()) continue;
      n *= d.size(); // both factors ≤ 2³¹ here, so the long product cannot overflow
      if (n > MAX_ENTRIES) return MAX_ENTRIES + 1;
    }
    return n;
  }

  /** E0306 at each declaration whose shape is too big, and at each assignment that computes a too-big tensor. */
  static void report(List<Scope.VarSym> leaves, List<ModelIR.Value> values, Graph graph, Diagnostics diags) {
    for (Scope.VarSym v : leaves) {
      if (v.var != null && fixedEntries(v.var.shape()) > MAX_ENTRIES) {
        diags.error(Code.SHAPE_TOO_LARGE, v.span, "'" + v.spelling + "' has shape " + Shapes.describe(v.var.shape())
            + ", " + entries(v.var.shape()) + " entries: more than a Java array holds (" + MAX_ENTRIES + ")",
            "use smaller dims");
      }
    }
    // Nodes are created while their assignment is lowered, so a node belongs to the first value whose node id is
    // at least its own.
    List<Expr> nodes = graph.nodes();
    int next = 0;
    for (ModelIR.Value value : values) {
      int end = value.node().id();
      Expr big = null;
      for (; next <= end && next < nodes.size(); next++) {
        Expr e = nodes.get(next);
        if (big == null && !(e instanceof Expr.Var) && fixedEntries(e.shape()) > MAX_ENTRIES) big = e;
      }
      if (big != null) {
        diags.error(Code.SHAPE_TOO_LARGE, value.span(), "'" + value.spelling() + "' computes a tensor of shape "
            + Shapes.describe(big.shape()) + ", " + entries(big.shape()) + " entries: more than a Java array holds ("
            + MAX_ENTRIES + ")", "use smaller dims, or reduce before the product that makes it");
      }
    }
  }

  private static String entries(Shape s) {
    java.math.BigInteger n = java.math.BigInteger.ONE;
    for (Dim d : s.dims()) if (!d.isFree()) n = n.multiply(java.math.BigInteger.valueOf(d.size()));
    return n.toString();
  }
}
