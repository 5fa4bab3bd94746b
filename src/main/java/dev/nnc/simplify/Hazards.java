package dev.nnc.simplify;

import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Expr;
import java.util.ArrayDeque;
import java.util.BitSet;

/**
 * Divisions that can turn a finite gradient into NaN. The chain rule divides by forward values ({@code ∂L/∂Y =
 * −T/(B·Y)} under {@code log Y}); when such a value underflows to 0 (a saturated softmax or σ), the quotient is
 * ±∞ or NaN, and every adjoint computed from it is NaN — even where the exact gradient is finite because the
 * division cancels ({@code Y ⊙ ∂L/∂Y = −T/B}). A division is safe when its divisor depends only on constants and
 * dims; any other is a hazard, and the simplifier prefers a candidate with fewer hazards over a cheaper one.
 */
final class Hazards {
  private Hazards() {}

  /** Whether {@code divisor} involves anything but constants and dim sizes. */
  static boolean unsafe(Expr divisor) {
    ArrayDeque<Expr> stack = new ArrayDeque<>();
    BitSet seen = new BitSet();
    stack.push(divisor);
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (seen.get(e.id())) continue;
      seen.set(e.id());
      if (e instanceof Expr.Var) return true;
      for (int k = 0; k < e.arity(); k++) stack.push(e.input(k));
    }
    return false;
  }

  /** As {@link #unsafe(Expr)} for a candidate term (a term with a node is that node). */
  static boolean unsafe(Terms.Term divisor) {
    ArrayDeque<Terms.Term> stack = new ArrayDeque<>();
    stack.push(divisor);
    while (!stack.isEmpty()) {
      Terms.Term t = stack.pop();
      if (t.node != null) {
        if (unsafe(t.node)) return true;
        continue;
      }
      if (t.spec().kind().equals("var")) return true;
      for (Terms.Term k : t.kids) stack.push(k);
    }
    return false;
  }

  static boolean isDivision(Expr e) {
    return e instanceof Expr.Binary b && b.op() == BinaryOp.DIV;
  }

  /**
   * Whether {@code root}'s computation outside the {@code forward} nodes divides by a value (or uses a node already
   * known to be {@code hazardous}).
   */
  static boolean divides(Expr root, BitSet forward, BitSet hazardous) {
    ArrayDeque<Expr> stack = new ArrayDeque<>();
    BitSet seen = new BitSet();
    stack.push(root);
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (seen.get(e.id())) continue;
      seen.set(e.id());
      if (hazardous.get(e.id())) return true;
      if (forward.get(e.id())) continue;
      if (isDivision(e) && unsafe(e.inputs().get(1))) return true;
      for (int k = 0; k < e.arity(); k++) stack.push(e.input(k));
    }
    return false;
  }
}
