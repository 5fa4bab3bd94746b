package dev.nnc.prim;

import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * What derivative rules build with: the graph's smart constructors (which fold only the trivial) and the few
 * shape helpers every reduction and broadcast rule needs. Rules put the incoming adjoint first
 * ({@code dY · a(1−a)}) so that explanations read like the course notes.
 */
public final class RuleKit {
  public final Graph g;

  public RuleKit(Graph graph) {
    this.g = graph;
  }

  /** A constant of the given shape (a tensor of that value). */
  public Expr constant(double v, Shape shape) {
    return g.constant(v, shape);
  }

  /** The value of a constant node (also through broadcasts of a constant), or null. */
  public static Double constantValue(Expr e) {
    while (e instanceof Expr.Broadcast b) e = b.x();
    return e instanceof Expr.Const c ? c.value() : null;
  }

  /** {@code dY · f}, written {@code −f} when the incoming adjoint is the constant −1 (as after a leading minus). */
  public Expr times(Expr dY, Expr f) {
    Double c = constantValue(dY);
    if (c != null && c == -1 && dY.shape().equals(f.shape())) return g.neg(f);
    return g.mul(dY, f);
  }

  /** Expands {@code x} along {@code axisMap} to {@code shape}; a constant stays a (foldable) constant. */
  public Expr expand(Expr x, List<Integer> axisMap, Shape shape) {
    if (x instanceof Expr.Const c) return constant(c.value(), shape);
    return g.broadcast(x, axisMap, shape);
  }

  /** Broadcast back over the removed {@code axes} of a reduction of a tensor of {@code shape}. */
  public Expr expandOver(Expr reduced, List<Integer> axes, Shape shape) {
    List<Integer> map = new ArrayList<>();
    for (int i = 0; i < shape.rank(); i++) if (!axes.contains(i)) map.add(i);
    return expand(reduced, map, shape);
  }
}
