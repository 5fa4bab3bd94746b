package dev.nnc.simplify;

import dev.nnc.diff.Rewrite;
import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.UnaryOp;
import dev.nnc.notation.MathPrinter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Numerically stable forms of the forward values, where the math allows:
 * <ul>
 *   <li>{@code log(σ(z))} → {@code −softplus(−z)} (finite where σ(z) underflows to 0),
 *   <li>{@code log(1 − σ(z))} → {@code −softplus(z)} (finite where σ(z) rounds to 1),
 *   <li>{@code log(softmax(x))} → {@code log_softmax(x)} (the log-sum-exp form).
 * </ul>
 * Each rewrite is exact in real arithmetic. Only the forward values change; the reverse pass keeps referring to
 * the named forward nodes it was built on ({@code a}, {@code z}). Softmax's max subtraction is codegen's business.
 * The rewrites that must precede differentiation are {@link StableForms}.
 */
final class Stability {
  private Stability() {}

  record Result(ModelIR model, List<Rewrite> rewrites) {}

  static Result apply(ModelIR model) {
    Graph g = model.graph();
    List<Expr> nodes = reachableInOrder(model);
    Map<Integer, Expr> rewritten = new HashMap<>();
    Map<Integer, Expr> replaced = new HashMap<>(); // rewritten node id → its stable replacement
    for (Expr n : nodes) {
      List<Expr> inputs = new ArrayList<>(n.inputs().size());
      for (int k = 0; k < n.arity(); k++) inputs.add(rewritten.get(n.input(k).id()));
      Expr stable = n instanceof Expr.Unary u && u.op() == UnaryOp.LOG ? stableLog(g, inputs.get(0)) : null;
      if (stable != null) replaced.put(n.id(), stable);
      Expr made = stable != null ? stable : NodeSpec.rebuild(g, n, inputs);
      rewritten.put(n.id(), made);
    }
    if (replaced.isEmpty()) return new Result(model, List.of());

    List<ModelIR.Value> values = new ArrayList<>();
    for (ModelIR.Value v : model.values()) {
      Expr node = rewritten.get(v.node().id());
      values.add(new ModelIR.Value(v.name(), v.spelling(), node, v.sourceText(), v.span()));
    }
    MathPrinter text = MathPrinter.unicode(model.names().displayNames()); // the notation of comments and nnc grad
    List<Rewrite> rewrites = new ArrayList<>();
    for (ModelIR.Value v : model.values()) {
      for (Expr log : rewrittenNodesOf(v, model, replaced)) {
        String description = text.printDefinition(log) + " → " + text.print(replaced.get(log.id()));
        rewrites.add(new Rewrite(v.name(), description));
      }
    }
    ModelIR stable = new ModelIR(model.name(), model.sourceName(), model.span(), model.dims(), model.inputs(),
        model.params(), values, model.outputs(), model.loss(), g);
    return new Result(stable, rewrites);
  }

  /** The stable replacement of {@code log(x)}, or null when none applies. */
  private static Expr stableLog(Graph g, Expr x) {
    if (x instanceof Expr.Unary s && s.op() == UnaryOp.SIGMOID) {
      return g.neg(g.unary(UnaryOp.SOFTPLUS, g.neg(s.x())));
    }
    if (x instanceof Expr.Binary b && b.op() == BinaryOp.SUB && dev.nnc.ir.StablePatterns.isOne(b.a())
        && b.b() instanceof Expr.Unary s && s.op() == UnaryOp.SIGMOID) {
      return g.neg(g.unary(UnaryOp.SOFTPLUS, s.x()));
    }
    if (x instanceof Expr.Softmax s) return g.logSoftmax(s.x(), s.axis());
    return null;
  }

  /** Rewritten nodes inside {@code v}'s own expression (not inside other named values it uses). */
  static Set<Expr> rewrittenNodesOf(ModelIR.Value v, ModelIR model, Map<Integer, Expr> replaced) {
    BitSet otherValues = new BitSet();
    for (ModelIR.Value w : model.values()) if (w.node() != v.node()) otherValues.set(w.node().id());
    Set<Expr> found = new LinkedHashSet<>();
    BitSet seen = new BitSet();
    ArrayDeque<Expr> stack = new ArrayDeque<>();
    stack.push(v.node());
    List<Expr> hits = new ArrayList<>();
    while (!stack.isEmpty()) {
      Expr n = stack.pop();
      if (seen.get(n.id()) || otherValues.get(n.id())) continue;
      seen.set(n.id());
      if (replaced.containsKey(n.id())) hits.add(n);
      for (int k = 0; k < n.arity(); k++) stack.push(n.input(k));
    }
    hits.sort((a, b) -> Integer.compare(a.id(), b.id()));
    found.addAll(hits);
    return found;
  }

  static List<Expr> reachableInOrder(ModelIR model) {
    BitSet seen = new BitSet();
    List<Expr> out = new ArrayList<>();
    ArrayDeque<Expr> stack = new ArrayDeque<>();
    for (ModelIR.Value v : model.values()) stack.push(v.node());
    while (!stack.isEmpty()) {
      Expr n = stack.pop();
      if (seen.get(n.id())) continue;
      seen.set(n.id());
      out.add(n);
      for (int k = 0; k < n.arity(); k++) stack.push(n.input(k));
    }
    out.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return out;
  }
}
