package dev.nnc.diff;

import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ReduceOp;
import dev.nnc.prim.Prims;
import dev.nnc.prim.RuleKit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Symbolic forward mode: the tangent {@code ẏ} of every node along a direction, built in the same graph as the
 * reverse rules. The direction gives the tangent of some vars (params or inputs) — usually fresh vars holding the
 * direction's entries — and every other var has tangent 0. Elementwise functions, binary operations and reductions
 * use their registry entries' JVP rules; the node kinds that are not entries (broadcast, product, transpose,
 * softmax, log_softmax) have their rules here, next to {@link Rules}' reverse ones.
 *
 * <p>Node ids are a topological order (the graph is append-only and hash-consed), so one pass in id order is the
 * whole forward sweep; a tangent of null means identically zero and is never materialised.
 */
public final class ForwardMode {
  private final Graph g;
  private final RuleKit k;

  public ForwardMode(Graph graph) {
    this.g = graph;
    this.k = new RuleKit(graph);
  }

  /** The tangent of {@code root} along {@code seeds} (var → its tangent, same shape), or null when it is 0. */
  public Expr tangent(Expr root, Map<Expr.Var, Expr> seeds) {
    return tangents(List.of(root), seeds).get(0);
  }

  /** The tangents of {@code roots}, in order; null entries are identically zero. */
  public List<Expr> tangents(List<Expr> roots, Map<Expr.Var, Expr> seeds) {
    int last = -1;
    for (Expr r : roots) last = Math.max(last, r.id());
    Expr[] dot = new Expr[last + 1];
    // Only the nodes the roots read: the graph also holds nodes no root needs (a ∂ node Derivatives replaced).
    java.util.BitSet needed = new java.util.BitSet();
    java.util.ArrayDeque<Expr> stack = new java.util.ArrayDeque<>(roots);
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (needed.get(e.id())) continue;
      needed.set(e.id());
      for (Expr in : e.inputs()) stack.push(in);
    }
    for (int id = needed.nextSetBit(0); id >= 0 && id <= last; id = needed.nextSetBit(id + 1)) {
      Expr e = g.node(id);
      if (e instanceof Expr.Var v) {
        dot[id] = seeds.get(v);
        continue;
      }
      List<Expr> ins = e.inputs();
      List<Expr> ts = new ArrayList<>(ins.size());
      boolean any = false;
      for (Expr in : ins) {
        Expr t = in.id() <= last ? dot[in.id()] : null;
        ts.add(t);
        any |= t != null;
      }
      if (!any) continue;
      Expr t = rule(e, ts);
      dot[id] = t == null ? null : Differentiator.conform(g, t, e.shape());
    }
    List<Expr> out = new ArrayList<>();
    for (Expr r : roots) out.add(dot[r.id()]);
    return out;
  }

  /** The tangent of {@code e} from its operands' tangents {@code ts} (at least one non-null). */
  private Expr rule(Expr e, List<Expr> ts) {
    if (e instanceof Expr.Unary u) return Prims.of(u.op()).jvp().apply(k, e, ts);
    if (e instanceof Expr.Binary b) return Prims.of(b.op()).jvp().apply(k, e, ts);
    if (e instanceof Expr.Reduce r) return Prims.of(r.op()).jvp().apply(k, e, ts);
    if (e instanceof Expr.Layer l) return Prims.of(l.op()).jvp().apply(k, e, ts);
    if (e instanceof Expr.Broadcast b) return g.broadcast(ts.get(0), b.axisMap(), b.shape());
    if (e instanceof Expr.Transpose) return g.transpose(ts.get(0));
    if (e instanceof Expr.MatMul m) { // (AB)˙ = ȦB + AḂ, for every rank pairing the product accepts
      Expr da = ts.get(0) == null ? null : g.matmul(ts.get(0), m.b());
      Expr db = ts.get(1) == null ? null : g.matmul(m.a(), ts.get(1));
      return da == null ? db : db == null ? da : g.add(da, db);
    }
    if (e instanceof Expr.Softmax s) { // Y ⊙ (Ẋ − Σ_axis(Y ⊙ Ẋ))
      List<Integer> axis = List.of(s.axis());
      Expr mean = k.expandOver(g.reduce(ReduceOp.SUM, g.mul(e, ts.get(0)), axis), axis, e.shape());
      return g.mul(e, g.sub(ts.get(0), mean));
    }
    if (e instanceof Expr.LogSoftmax s) { // Ẋ − Σ_axis(softmax(X) ⊙ Ẋ)
      List<Integer> axis = List.of(s.axis());
      Expr p = g.softmax(s.x(), s.axis());
      return g.sub(ts.get(0), k.expandOver(g.reduce(ReduceOp.SUM, g.mul(p, ts.get(0)), axis), axis, e.shape()));
    }
    if (e instanceof Expr.Custom c) { // Σ rule_i ⊙ ẋ_i, the user's rules as the local derivatives
      Expr sum = null;
      for (int i = 0; i < c.args().size(); i++) {
        Expr t = ts.get(i);
        if (t == null) continue;
        Expr term = g.mul(c.rules().get(i), g.broadcast(t, c.shape()));
        sum = sum == null ? term : g.add(sum, term);
      }
      return sum;
    }
    if (e instanceof Expr.Recur || e instanceof Expr.RecurGrad) {
      throw new UnsupportedOperationException("forward mode through a recurrence is not implemented (reverse mode, "
          + "backpropagation through time, is)");
    }
    // Derivative: the model's ∂ nodes are expanded (Derivatives) before anything takes tangents.
    throw new IllegalStateException("no forward-mode rule for " + e.getClass().getSimpleName());
  }
}
