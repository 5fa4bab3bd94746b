package dev.nnc.simplify;

import dev.nnc.diff.Rewrite;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.StablePatterns;
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
 * by (or multiplies with) a value that overflows, and no rewrite of the forward values alone can repair it: the
 * forms of {@link StablePatterns} ({@code log Σ exp} → {@code logsumexp}, {@code log(1 + exp)} → {@code softplus},
 * {@code 1/(1 + exp(−w))} → {@code σ(w)}, {@code exp(w) / Σ exp(w)} → {@code softmax(w)}).
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
        for (int k = 0; k < n.arity(); k++) inputs.add(rewritten.get(n.input(k).id()));
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
        for (int k = 0; k < e.arity(); k++) stack.push(e.input(k));
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
      StablePatterns.Match m = StablePatterns.match(n, inputs, this::see);
      if (m == null) return null;
      Expr w = m.operand();
      return switch (m.kind()) {
        case LOGSUMEXP -> g.reduce(ReduceOp.LOGSUMEXP, w, m.axes());
        case SOFTPLUS -> g.unary(UnaryOp.SOFTPLUS, w);
        case SIGMOID -> g.unary(UnaryOp.SIGMOID, g.neg(w));
        case SOFTMAX -> g.softmax(w, m.axes().get(0));
      };
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
  }
}
