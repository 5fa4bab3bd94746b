package dev.nnc.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The hand-written forms that have a numerically stable equivalent: one definition, used by the rewrite
 * ({@code simplify.StableForms}) and by the numeric-hazard warnings ({@code check.NumericHazards}), which do not
 * warn about an {@code exp} that only such a form reads (it is never evaluated as written).
 * <ul>
 *   <li>{@code log(Σ exp(w))} over some axes — {@code logsumexp(w)},
 *   <li>{@code log(1 + exp(w))}, {@code log(exp(w) + 1)} — {@code softplus(w)},
 *   <li>{@code 1/(1 + exp(v))} — {@code σ(−v)},
 *   <li>{@code exp(w) / Σ exp(w)}, the sum over one axis broadcast back along it — {@code softmax(w)}.
 * </ul>
 * Matching looks at operands through a {@code lens}: it returns the node (and may note it as part of the pattern),
 * or null to stop the match there (the rewrite's opaque names).
 */
public final class StablePatterns {
  private StablePatterns() {}

  public enum Kind {
    LOGSUMEXP,
    SOFTPLUS,
    SIGMOID,
    SOFTMAX
  }

  /**
   * A match at a node: its kind and the operand of the stable form ({@code w}; for SIGMOID the {@code v} of
   * {@code exp(v)}, so the form is {@code σ(−v)}); {@code axes} the logsumexp axes, or the one softmax axis.
   */
  public record Match(Kind kind, Expr operand, List<Integer> axes) {}

  /** The match whose root is {@code n} (a node over the operands {@code inputs}), or null. */
  public static Match match(Expr n, List<Expr> inputs, UnaryOperator<Expr> lens) {
    if (n instanceof Expr.Unary u && u.op() == UnaryOp.LOG) {
      Expr x = inputs.get(0);
      if (lens.apply(x) instanceof Expr.Reduce r && r.op() == ReduceOp.SUM) {
        Expr w = exp(r.x(), lens);
        if (w != null) return new Match(Kind.LOGSUMEXP, w, r.axes());
      }
      Expr w = onePlusExp(x, lens);
      if (w != null) return new Match(Kind.SOFTPLUS, w, List.of());
    }
    if (n instanceof Expr.Binary d && d.op() == BinaryOp.DIV) {
      Expr num = inputs.get(0);
      if (isOne(num)) {
        Expr v = onePlusExp(inputs.get(1), lens);
        if (v != null) return new Match(Kind.SIGMOID, v, List.of());
      }
      Expr w = exp(num, lens);
      if (w != null) {
        Integer axis = sumBroadcastBack(inputs.get(1), num, lens);
        if (axis != null) return new Match(Kind.SOFTMAX, w, List.of(axis));
      }
    }
    return null;
  }

  /** {@code w} when {@code e} is {@code exp(w)}, else null. */
  private static Expr exp(Expr e, UnaryOperator<Expr> lens) {
    return lens.apply(e) instanceof Expr.Unary u && u.op() == UnaryOp.EXP ? u.x() : null;
  }

  /** {@code w} when {@code e} is {@code 1 + exp(w)} or {@code exp(w) + 1}, else null. */
  private static Expr onePlusExp(Expr e, UnaryOperator<Expr> lens) {
    if (!(lens.apply(e) instanceof Expr.Binary b) || b.op() != BinaryOp.ADD) return null;
    if (isOne(b.a())) return exp(b.b(), lens);
    if (isOne(b.b())) return exp(b.a(), lens);
    return null;
  }

  /**
   * The axis {@code k} when {@code d} is {@code Σ(e, axis=k)} broadcast back to {@code e}'s shape (with or without
   * {@code keepdims}), each kept axis landing where it was; for a vector, the sum over everything. Else null.
   */
  private static Integer sumBroadcastBack(Expr d, Expr e, UnaryOperator<Expr> lens) {
    if (!d.shape().equals(e.shape())) return null;
    List<List<Integer>> maps = new ArrayList<>(); // outermost first
    Expr x = lens.apply(d);
    while (x instanceof Expr.Broadcast b) {
      maps.add(b.axisMap());
      x = lens.apply(b.x());
    }
    if (!(x instanceof Expr.Reduce r) || r.op() != ReduceOp.SUM || r.x() != e || r.axes().size() != 1) return null;
    int axis = r.axes().get(0);
    for (int i = 0, kept = 0; i < e.shape().rank(); i++) {
      if (i == axis) continue;
      int at = kept++;
      for (int m = maps.size() - 1; m >= 0; m--) at = maps.get(m).get(at);
      if (at != i) return null;
    }
    return axis;
  }

  /** The constant 1, maybe broadcast. */
  public static boolean isOne(Expr e) {
    Expr x = e instanceof Expr.Broadcast b ? b.x() : e;
    return x instanceof Expr.Const c && c.value() == 1;
  }
}
