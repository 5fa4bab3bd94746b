package dev.nnc.check;

import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostics;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Role;
import dev.nnc.prim.Prims;
import dev.nnc.prim.ShapeRule;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * The warnings of LANGUAGE.md §6, computed on the lowered graph. Both walks are iterative (a work stack, or one
 * pass in id order, which is topological), so they cost O(nodes) whatever the model's depth.
 */
final class Warnings {
  private Warnings() {}


  static void report(Graph graph, Scope scope, String lossName, Expr loss, Diagnostics diags) {
    boolean[] reaches = reachableFrom(graph, loss);
    String lossSpelling = scope.spellings.getOrDefault(lossName, lossName);
    for (Scope.VarSym v : scope.vars.values()) {
      if (v.role != Role.PARAM || v.poisoned) continue;
      if (!reaches[v.var.id()]) {
        diags.warning(Code.PARAM_UNUSED, v.span, "param '" + v.spelling + "' does not reach the loss '" + lossSpelling
            + "': its gradient is always 0", "use it in the loss, or declare it an input");
      }
      if (v.explicitZeros && v.var.shape().rank() >= 2 && feedsHiddenUnit(graph, v.var)) {
        diags.warning(Code.ZERO_INIT_SYMMETRY, v.initSpan != null ? v.initSpan : v.span, "param '" + v.spelling
            + "' is initialised to zeros and feeds a hidden unit: every unit computes and learns the same thing",
            "break the symmetry with a random initialiser, e.g. '~ normal(0, 0.01)' or '~ xavier'");
      }
    }
  }

  private static boolean[] reachableFrom(Graph graph, Expr root) {
    boolean[] seen = new boolean[graph.size()];
    Deque<Expr> work = new ArrayDeque<>();
    work.push(root);
    seen[root.id()] = true;
    while (!work.isEmpty()) {
      for (Expr in : work.pop().inputs()) {
        if (!seen[in.id()]) {
          seen[in.id()] = true;
          work.push(in);
        }
      }
    }
    return seen;
  }

  /**
   * True if {@code w} enters a matrix product whose result goes through an activation into another product. A
   * convolution (a layer with the registry's convolution shape rule) mixes its inputs as a product does: zero kernels
   * give identical filters that stay identical.
   */
  private static boolean feedsHiddenUnit(Graph graph, Expr.Var w) {
    int n = graph.size();
    boolean[] dependsOnW = new boolean[n];
    boolean[] afterProduct = new boolean[n];
    boolean[] afterActivation = new boolean[n];
    List<Expr> nodes = graph.nodes();
    for (Expr e : nodes) {
      int id = e.id();
      boolean dep = e == w;
      boolean prod = false;
      boolean act = false;
      boolean inputActivated = false;
      for (Expr in : e.inputs()) {
        dep |= dependsOnW[in.id()];
        prod |= afterProduct[in.id()];
        act |= afterActivation[in.id()];
        inputActivated |= afterActivation[in.id()];
      }
      if (e instanceof Expr.MatMul
          || (e instanceof Expr.Layer l && Prims.of(l.op()).shape() == ShapeRule.CONVOLUTION)) {
        if (inputActivated) return true;
        for (Expr in : e.inputs()) prod |= dependsOnW[in.id()];
      }
      if (e instanceof Expr.Unary u && Prims.of(u.op()).activation() && afterProduct[u.x().id()]) act = true;
      dependsOnW[id] = dep;
      afterProduct[id] = prod;
      afterActivation[id] = act;
    }
    return false;
  }
}
