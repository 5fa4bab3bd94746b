package dev.nnc.codegen;

import dev.nnc.diff.Tangents;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Scalar temporaries of a long class that live within one part: locals of that part instead of fields of the class.
 *
 * <p>A split pass ({@code forward}, {@code backward} or {@code jvp} of more than {@link Plan#CHUNK} statements) is
 * written as parts of {@link Plan#CHUNK} statements each, and {@link Plan} makes every temporary of a split pass a
 * field, since a statement may read a temporary that an earlier part computed. Most of a long chain's temporaries are
 * read only by statements of the part that computes them; as a field each costs javac a member of the model class
 * (entered, checked, written to the class file) and, from the inner class that holds the part ({@link PartGroups}),
 * an outer-field access at every read; as a local, a slot of the method. So in a long class (the classes whose repeated
 * shapes are outlined, {@link Outlines}) a scalar temporary becomes a local of its part when exactly one pass computes
 * it and every statement that reads it is in the same part of that pass. Values, gradients and tangents are fields as
 * before (they are the class's API); the arithmetic is the same, so the results are the same bits.
 */
final class PartLocals {
  private PartLocals() {}

  /**
   * Marks in {@link Plan#local} the scalar temporaries read only within the part that computes them.
   *
   * @param orders each pass's nodes in the order its method computes them (statement {@code k} of the pass is
   *     {@code orders.get(pass).get(k)}, in part {@code k / CHUNK}); the statements that follow them (copied
   *     gradients and tangents) read any temporary from a field
   */
  static void mark(Plan p, Map<Plan.Pass, List<Expr>> orders) {
    int[] pass = new int[p.size];
    int[] part = new int[p.size];
    Arrays.fill(pass, -1);
    boolean[] shared = new boolean[p.size];
    for (Plan.Pass ps : Plan.Pass.values()) {
      List<Expr> order = orders.get(ps);
      if (order == null || !split(p, ps)) continue;
      for (int k = 0; k < order.size(); k++) {
        int id = order.get(k).id();
        if (pass[id] >= 0) shared[id] = true; // computed by two passes (backward and jvp each compute it)
        pass[id] = ps.ordinal();
        part[id] = k / Plan.CHUNK;
      }
    }
    // A read from another pass (backward reading forward's temporary) or from another part keeps the field.
    for (Plan.Pass ps : Plan.Pass.values()) {
      List<Expr> order = orders.get(ps);
      if (order == null) continue;
      for (int k = 0; k < order.size(); k++) {
        int at = k / Plan.CHUNK;
        int in = ps.ordinal();
        p.forEachSlotRead(order.get(k), id -> {
          if (pass[id] != in || part[id] != at) shared[id] = true;
        });
      }
    }
    for (ModelIR.Leaf l : p.copiedGradients()) readAfter(p, p.gradient(l), shared);
    for (Tangents.Root r : p.copiedTangents()) readAfter(p, r.tangent(), shared);
    List<Expr> nodes = p.model.graph().nodes();
    for (int id = 0; id < p.size; id++) {
      Expr e = nodes.get(id);
      if (pass[id] < 0 || shared[id] || !p.needed[id] || !p.slot[id] || !e.shape().isScalar()) continue;
      if (e instanceof Expr.Var || e instanceof Expr.Recur || e instanceof Expr.RecurGrad || p.isHome(id)
          || p.jvpSlotName[id] != null) {
        continue;
      }
      p.local[id] = true;
    }
  }

  private static boolean split(Plan p, Plan.Pass pass) {
    return switch (pass) {
      case FORWARD -> p.splitForward;
      case BACKWARD -> p.splitBackward;
      case JVP -> p.splitJvp;
    };
  }

  /** A read by a statement after the pass's own (the copy of a gradient or tangent that lives elsewhere). */
  private static void readAfter(Plan p, Expr copied, boolean[] shared) {
    if (copied == null) return;
    if (p.slot[copied.id()]) shared[copied.id()] = true;
    else p.forEachSlotRead(copied, id -> shared[id] = true);
  }
}
