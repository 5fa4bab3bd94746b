package dev.nnc.simplify;

import dev.nnc.diff.Rewrite;
import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.ReduceOp;
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
 * The stability rewrites that must happen before differentiation, because the derivative of the naive form divides
 * by (or multiplies with) a value that overflows, and no rewrite of the forward values alone can repair it:
 * <ul>
 *   <li>{@code log(Σ exp(w))} → {@code logsumexp(w)} (over the same axes),
 *   <li>{@code log(1 + exp(w))}, {@code log(exp(w) + 1)} → {@code softplus(w)},
 *   <li>{@code 1/(1 + exp(−w))} → {@code σ(w)},
 *   <li>{@code exp(w) / Σ exp(w)} (the sum over one axis, kept or broadcast back) → {@code softmax(w)}.
 * </ul>
 * A pattern is seen through named intermediates ({@code s = Σ exp(z)}, {@code L = log(s)}): the statement that
 * holds the pattern's root is rewritten; the named intermediates keep their expressions (so their values are the
 * ones the user wrote) and are "bypassed": the rewritten statement no longer reads them. A name is only bypassed
 * when nothing else reads it — otherwise its own readers' gradients would flow through the naive form anyway — and
 * then the pattern is not rewritten through it. The differentiator gives the bypassed names the adjoints of the
 * model as written ({@link dev.nnc.diff.Differentiator#differentiate(ModelIR, ModelIR, Set)}).
 */
final class StableForms {
  private StableForms() {}

  /** The rewritten model, its rewrites, and the names the rewritten statements no longer read. */
  record Result(ModelIR model, List<Rewrite> rewrites, Set<String> bypassed) {}

  static Result apply(ModelIR model) {
    BitSet opaque = new BitSet(); // named nodes a pattern may not look through (they have other readers)
    while (true) {
      Attempt a = new Attempt(model, opaque);
      a.run();
      BitSet stillRead = a.bypassedButRead();
      if (stillRead.isEmpty()) return a.result();
      opaque.or(stillRead); // grows every round: terminates after at most one round per name
    }
  }

  /** One rewrite of the whole model with a given set of opaque names. */
  private static final class Attempt {
    private final ModelIR model;
    private final BitSet opaque;
    private final Graph g;
    private final BitSet named = new BitSet(); // rewritten nodes of named values
    private final Map<Integer, Expr> rewritten = new HashMap<>();
    private final Map<Integer, Expr> replaced = new HashMap<>(); // old node id → its stable replacement
    private final BitSet bypassedNodes = new BitSet(); // (old = new) nodes of named values a rewrite looked through
    private BitSet interior; // the named interior nodes of the pattern being matched

    Attempt(ModelIR model, BitSet opaque) {
      this.model = model;
      this.opaque = opaque;
      this.g = model.graph();
    }

    void run() {
      BitSet namedOld = new BitSet();
      for (ModelIR.Value v : model.values()) namedOld.set(v.node().id());
      for (Expr n : Stability.reachableInOrder(model)) {
        List<Expr> inputs = new ArrayList<>(n.inputs().size());
        for (Expr in : n.inputs()) inputs.add(rewritten.get(in.id()));
        interior = new BitSet();
        Expr stable = stable(n, inputs);
        if (stable != null && !stable.shape().equals(n.shape())) stable = null;
        if (stable != null) {
          replaced.put(n.id(), stable);
          bypassedNodes.or(interior);
        }
        Expr made = stable != null ? stable : NodeSpec.rebuild(g, n, inputs);
        rewritten.put(n.id(), made);
        if (namedOld.get(n.id())) named.set(made.id());
      }
    }

    /**
     * Bypassed names that something besides another bypassed name still reads (or that name the same node as a
     * value that is not bypassed): these must stay opaque.
     */
    BitSet bypassedButRead() {
      BitSet read = new BitSet();
      if (bypassedNodes.isEmpty()) return read;
      ArrayDeque<Expr> stack = new ArrayDeque<>();
      BitSet seen = new BitSet();
      for (ModelIR.Value v : model.values()) {
        Expr node = rewritten.get(v.node().id());
        if (bypassedNodes.get(node.id())) continue;
        stack.push(node);
      }
      while (!stack.isEmpty()) {
        Expr e = stack.pop();
        if (seen.get(e.id())) continue;
        seen.set(e.id());
        if (bypassedNodes.get(e.id())) {
          read.set(e.id()); // same node before and after: bypassed nodes are never rewritten themselves
          continue;
        }
        for (Expr in : e.inputs()) stack.push(in);
      }
      return read;
    }

    Result result() {
      if (replaced.isEmpty()) return new Result(model, List.of(), Set.of());
      List<ModelIR.Value> values = new ArrayList<>();
      Set<String> bypassed = new LinkedHashSet<>();
      for (ModelIR.Value v : model.values()) {
        Expr node = rewritten.get(v.node().id());
        values.add(new ModelIR.Value(v.name(), v.spelling(), node, v.sourceText(), v.span()));
        if (bypassedNodes.get(node.id())) bypassed.add(v.name());
      }
      MathPrinter text = MathPrinter.unicode(model.names().displayNames());
      List<Rewrite> rewrites = new ArrayList<>();
      for (ModelIR.Value v : model.values()) {
        for (Expr old : Stability.rewrittenNodesOf(v, model, replaced)) {
          rewrites.add(new Rewrite(v.name(), text.printDefinition(old) + " → " + text.print(replaced.get(old.id()))));
        }
      }
      ModelIR stable = new ModelIR(model.name(), model.sourceName(), model.span(), model.dims(), model.inputs(),
          model.params(), values, model.outputs(), model.loss(), g, model.names());
      return new Result(stable, rewrites, bypassed);
    }

    /** The replacement of {@code n} (over its rewritten {@code inputs}), or null. */
    private Expr stable(Expr n, List<Expr> inputs) {
      if (n instanceof Expr.Unary u && u.op() == UnaryOp.LOG) {
        Expr x = inputs.get(0);
        // log(Σ exp(w)) over some axes → logsumexp(w) over the same axes
        if (see(x) instanceof Expr.Reduce r && r.op() == ReduceOp.SUM) {
          Expr w = exp(r.x());
          if (w != null) return g.reduce(ReduceOp.LOGSUMEXP, w, r.axes());
        }
        interior.clear();
        // log(1 + exp(w)) or log(exp(w) + 1) → softplus(w)
        Expr w = onePlusExp(x);
        if (w != null) return g.unary(UnaryOp.SOFTPLUS, w);
      }
      if (n instanceof Expr.Binary d && d.op() == BinaryOp.DIV) {
        Expr num = inputs.get(0);
        // 1/(1 + exp(−w)) → σ(w)
        if (isOne(num)) {
          Expr negW = onePlusExp(inputs.get(1));
          if (negW != null) return g.unary(UnaryOp.SIGMOID, g.neg(negW));
          interior.clear();
        }
        // exp(w) / Σ exp(w), the sum over one axis broadcast back along it → softmax(w) along that axis
        Expr w = exp(num);
        if (w != null) {
          Integer axis = sumOfBroadcastBack(inputs.get(1), num);
          if (axis != null) return g.softmax(w, axis);
        }
      }
      return null;
    }

    /**
     * {@code e} itself; if it is a named value, it becomes part of the pattern being matched (or stops the match,
     * returning null, when it is opaque).
     */
    private Expr see(Expr e) {
      if (!named.get(e.id())) return e;
      if (opaque.get(e.id())) return null;
      interior.set(e.id());
      return e;
    }

    /** {@code w} when {@code e} is {@code exp(w)} (named or not), else null. */
    private Expr exp(Expr e) {
      return see(e) instanceof Expr.Unary u && u.op() == UnaryOp.EXP ? u.x() : null;
    }

    /** {@code w} when {@code e} is {@code 1 + exp(w)} or {@code exp(w) + 1}, else null. */
    private Expr onePlusExp(Expr e) {
      if (!(see(e) instanceof Expr.Binary b) || b.op() != BinaryOp.ADD) return null;
      if (isOne(b.a())) return exp(b.b());
      if (isOne(b.b())) return exp(b.a());
      return null;
    }

    /**
     * The axis {@code k} when {@code d} is {@code Σ(e, axis=k)} broadcast back to {@code e}'s shape (with or without
     * {@code keepdims}), each kept axis landing where it was; for a vector, the sum over everything. Else null.
     */
    private Integer sumOfBroadcastBack(Expr d, Expr e) {
      List<List<Integer>> maps = new ArrayList<>(); // outermost first
      Expr x = see(d);
      while (x instanceof Expr.Broadcast b) {
        maps.add(b.axisMap());
        x = see(b.x());
      }
      if (!(x instanceof Expr.Reduce r) || r.op() != ReduceOp.SUM || r.x() != e || r.axes().size() != 1) return null;
      int rank = e.shape().rank();
      int axis = r.axes().get(0);
      if (!d.shape().equals(e.shape())) return null;
      for (int i = 0, kept = 0; i < rank; i++) {
        if (i == axis) continue;
        int at = kept++;
        for (int m = maps.size() - 1; m >= 0; m--) at = maps.get(m).get(at);
        if (at != i) return null;
      }
      return axis;
    }
  }

  static boolean isOne(Expr e) {
    Expr x = e instanceof Expr.Broadcast b ? b.x() : e;
    return x instanceof Expr.Const c && c.value() == 1;
  }
}
