package dev.nnc.diff;

import dev.nnc.diag.Span;

import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Shape;
import dev.nnc.notation.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Symbolic reverse mode over a model's hash-consed graph.
 *
 * <p>The pass walks the model statement by statement, the way the course does it by hand: the named nodes (assigned
 * values) in decreasing id order — a reverse topological order, so every consumer of a value is done before the
 * value. For each statement {@code s = f(…)} with adjoint {@code ∂L/∂s}, the rules of {@link Rules} push the adjoint
 * through the statement's own unnamed nodes down to the named values and params it reads. A value's adjoint is the
 * sum of what its consumer statements contribute (fan-out), in definition order of the consumers. Everything is
 * iterative; the only per-node work is a rule application, so a 20,000-statement chain is linear.
 *
 * <p>Only nodes that lead to a param or a named value get adjoints ("active" nodes); input-only subtrees are read but
 * never differentiated. A value or param that does not reach the loss gets the adjoint 0.
 *
 * <p>The explanation is recorded as data: each adjoint keeps one {@link Step} per consumer statement. For value
 * {@code z} read by statement {@code a = σ(z)} the step goes through {@code a} and its local form is the IR of
 * {@code ∂L/∂a · a(1−a)}, derived by running the same rules on a copy of the consumer statement in the
 * {@link Explanation} graph, where the other statements' values are symbols and the incoming adjoint is the symbol
 * {@code ∂L/∂a} — so the form never depends on how adjoints fold. Nothing here prints.
 */
public final class Differentiator {
  private Differentiator() {}

  public static DiffModel differentiate(ModelIR model) {
    return new Run(model, model, java.util.Set.of()).run(LocalForms.OWN_THREAD_FROM);
  }

  /**
   * The reverse pass of {@code model}, a stable rewrite of {@code original} (same graph, same value names) whose
   * rewritten statements no longer read the named values {@code bypassed} ({@code L = log(s)} became
   * {@code L = logsumexp(z)}; {@code s = Σ exp(z)} stays). Gradients flow through the rewritten statements; each
   * bypassed name gets the adjoint of the model as written — its original readers' chain rule, seeded with their
   * adjoints — with that statement as its step, so {@code ∂L/∂s = 1/s} is still computed and explained.
   */
  public static DiffModel differentiate(ModelIR model, ModelIR original, java.util.Set<String> bypassed) {
    return new Run(model, original, bypassed).run(LocalForms.OWN_THREAD_FROM);
  }

  /** As {@link #differentiate(ModelIR)} with every local form derived in line, however long the model (for tests). */
  static DiffModel differentiateInLine(ModelIR model) {
    return new Run(model, model, java.util.Set.of()).run(Integer.MAX_VALUE);
  }

  private static final class Run {
    private final ModelIR model;
    private final Graph g;
    private final Rules rules;
    private final int forwardSize;
    private final Map<Expr, ModelIR.Value> namedBy = new HashMap<>();
    private final boolean[] active;
    private final ModelIR.Value loss;
    private final String lossName;
    private final Explainer explainer;
    private final ModelIR original;
    private final java.util.Set<String> bypassed;
    /** The nodes of the named values of the model and of the original (bypassed readers are read as written). */
    private final Map<Expr, ModelIR.Value> namedEither = new HashMap<>();

    Run(ModelIR model, ModelIR original, java.util.Set<String> bypassed) {
      this.model = model;
      this.original = original;
      this.bypassed = bypassed;
      this.g = model.graph();
      this.rules = new Rules(g);
      this.forwardSize = g.size();
      for (ModelIR.Value v : model.values()) namedBy.putIfAbsent(v.node(), v);
      this.loss = model.lossValue();
      if (loss == null) throw new IllegalArgumentException("model " + model.name() + " has no loss value " + model.loss());
      this.lossName = loss.spelling();
      this.active = new boolean[forwardSize];
      // The model's params (not the vars' roles): the sub-model of ∂E/∂x (Derivatives) makes an input x its param.
      java.util.Set<Expr> params = new java.util.HashSet<>();
      for (ModelIR.Leaf p : model.params()) params.add(p.var());
      for (int id = 0; id < forwardSize; id++) {
        Expr e = g.node(id);
        boolean a = namedBy.containsKey(e) || params.contains(e);
        for (int k = 0; k < e.arity(); k++) a |= active[e.input(k).id()];
        active[id] = a;
      }
      if (!bypassed.isEmpty()) {
        Map<String, ModelIR.Value> byName = new HashMap<>();
        for (ModelIR.Value v : model.values()) byName.putIfAbsent(v.name(), v);
        namedEither.putAll(namedBy);
        for (ModelIR.Value v : original.values()) namedEither.putIfAbsent(v.node(), byName.get(v.name()));
      }
      this.explainer = new Explainer(model, bypassed.isEmpty() ? namedBy : namedEither, active, lossName);
    }

    private boolean isActive(Expr e) {
      return e.id() < forwardSize && active[e.id()];
    }

    /** Named values and vars end a statement's own subgraph. */
    private boolean isBoundary(Expr e, Expr root) {
      return e != root && (namedBy.containsKey(e) || e instanceof Expr.Var);
    }

    /** @param ownThreadFrom statements from which the local forms are derived on a thread of their own */
    DiffModel run(int ownThreadFrom) {
      Expr lossNode = loss.node();
      // the named nodes the loss depends on, in decreasing id order
      List<Expr> roots = new ArrayList<>();
      boolean[] reached = new boolean[forwardSize];
      Deque<Expr> stack = new ArrayDeque<>();
      stack.push(lossNode);
      reached[lossNode.id()] = true;
      while (!stack.isEmpty()) {
        Expr e = stack.pop();
        if (namedBy.containsKey(e)) roots.add(e);
        for (int k = 0; k < e.arity(); k++) {
          Expr in = e.input(k);
          if (!reached[in.id()] && active[in.id()]) {
            reached[in.id()] = true;
            stack.push(in);
          }
        }
      }
      roots.sort((a, b) -> Integer.compare(b.id(), a.id()));
      try (LocalForms forms = new LocalForms(explainer, roots.size() >= ownThreadFrom)) {
        return run(roots, forms);
      }
    }

    private DiffModel run(List<Expr> roots, LocalForms forms) {
      Expr lossNode = loss.node();
      Map<Expr, List<LocalForms.Pending>> terms = new HashMap<>();
      Map<Expr, Expr> adjointOf = new HashMap<>();
      for (Expr root : roots) {
        Expr adjoint = root == lossNode ? g.constant(1, root.shape()) : sum(terms.get(root), root.shape());
        adjointOf.put(root, adjoint);
        ModelIR.Value statement = namedBy.get(root);
        Map<Expr, Expr> contributions = propagate(root, adjoint);
        if (contributions.isEmpty()) continue;
        java.util.concurrent.Future<Map<Expr, Expr>> locals = forms.of(statement, root == lossNode, contributions.keySet());
        for (Map.Entry<Expr, Expr> c : contributions.entrySet()) {
          Expr leaf = c.getKey();
          terms.computeIfAbsent(leaf, k -> new ArrayList<>()).add(new LocalForms.Pending(statement,
              explainer.spellingOf(leaf), root == lossNode, locals, leaf, c.getValue()));
        }
      }

      if (!bypassed.isEmpty()) bypassedAdjoints(adjointOf, terms, forms);

      List<Adjoint> out = new ArrayList<>();
      out.add(new Adjoint(loss.name(), loss.spelling(), Adjoint.Kind.LOSS, g.constant(1, lossNode.shape()), List.of(),
          loss.span()));
      List<ModelIR.Value> values = model.values();
      for (int i = values.size() - 1; i >= 0; i--) {
        ModelIR.Value v = values.get(i);
        if (v == loss) continue;
        out.add(adjoint(v.name(), v.spelling(), Adjoint.Kind.VALUE, v.node(), v.span(), lossNode, adjointOf, terms));
      }
      for (ModelIR.Leaf p : model.params()) {
        out.add(adjoint(p.name(), p.spelling(), Adjoint.Kind.PARAM, p.var(), p.span(), lossNode, adjointOf, terms));
      }
      return new DiffModel(model, out, List.of(), forms.explanation());
    }

    private Adjoint adjoint(String name, String spelling, Adjoint.Kind kind, Expr node, dev.nnc.diag.Span span,
        Expr lossNode, Map<Expr, Expr> adjointOf, Map<Expr, List<LocalForms.Pending>> terms) {
      if (node == lossNode) return new Adjoint(name, spelling, kind, g.constant(1, node.shape()), List.of(), span);
      List<LocalForms.Pending> list = terms.get(node);
      if (list == null || list.isEmpty()) {
        return new Adjoint(name, spelling, kind, g.constant(0, node.shape()), List.of(), span);
      }
      Expr value = adjointOf.containsKey(node) ? adjointOf.get(node) : sum(list, node.shape());
      List<Step> ordered = new ArrayList<>(LocalForms.Pending.steps(list));
      java.util.Collections.reverse(ordered); // consumers in definition order
      // Cite the statement the step comes from (where the local derivative is taken), as a learner reads it:
      // ∂L/∂z = ∂L/∂a · a(1−a) is the step of `a = σ(z)`; with several consumers, the first one.
      Span stepSpan = ordered.get(0).consumer().span();
      return new Adjoint(name, spelling, kind, value, ordered, stepSpan);
    }

    /**
     * The adjoints of the bypassed names, in the original model: every original statement that reads one (a
     * rewritten statement or another bypassed name) pushes its adjoint through its expression as written; only the
     * contributions to bypassed names are kept (the rest reached the params through the rewritten forms). Readers
     * come in decreasing id order, so a bypassed reader's adjoint is complete before it is pushed.
     */
    private void bypassedAdjoints(Map<Expr, Expr> adjointOf, Map<Expr, List<LocalForms.Pending>> terms,
        LocalForms forms) {
      Map<String, ModelIR.Value> byName = new HashMap<>();
      for (ModelIR.Value v : model.values()) byName.putIfAbsent(v.name(), v);
      java.util.Set<Expr> targets = new java.util.HashSet<>();
      for (String name : bypassed) targets.add(byName.get(name).node());
      List<ModelIR.Value> readers = new ArrayList<>();
      for (ModelIR.Value v : original.values()) {
        ModelIR.Value now = byName.get(v.name());
        if (now.node() != v.node() || bypassed.contains(v.name())) readers.add(v);
      }
      readers.sort((a, b) -> Integer.compare(b.node().id(), a.node().id()));
      Expr lossNode = loss.node();
      for (ModelIR.Value reader : readers) {
        ModelIR.Value now = byName.get(reader.name());
        Expr seed;
        boolean isLoss = now.node() == lossNode && reader.name().equals(loss.name());
        if (isLoss) seed = g.constant(1, reader.node().shape());
        else if (bypassed.contains(reader.name())) seed = terms.containsKey(now.node()) ? sum(terms.get(now.node()), now.node().shape()) : null;
        else seed = adjointOf.get(now.node());
        if (seed == null) continue; // does not reach the loss
        Expr root = reader.node();
        Map<Expr, Expr> contributions = Differentiator.propagate(g, rules, root, seed,
            e -> e != root && (namedEither.containsKey(e) || e instanceof Expr.Var), this::isActive);
        contributions.keySet().retainAll(targets);
        if (contributions.isEmpty()) continue;
        ModelIR.Value statement = new ModelIR.Value(now.name(), now.spelling(), root, now.sourceText(), now.span());
        java.util.concurrent.Future<Map<Expr, Expr>> locals = forms.of(statement, isLoss, contributions.keySet());
        for (Map.Entry<Expr, Expr> c : contributions.entrySet()) {
          Expr leaf = c.getKey();
          terms.computeIfAbsent(leaf, k -> new ArrayList<>())
              .add(new LocalForms.Pending(statement, explainer.spellingOf(leaf), isLoss, locals, leaf, c.getValue()));
        }
      }
    }

    /** The sum of the contributions, consumers in definition order. */
    private Expr sum(List<LocalForms.Pending> list, Shape shape) {
      if (list == null || list.isEmpty()) return g.constant(0, shape);
      Expr total = null;
      for (int i = list.size() - 1; i >= 0; i--) {
        Expr c = conform(list.get(i).contribution(), shape);
        total = total == null ? c : g.add(total, c);
      }
      return total;
    }

    private Expr conform(Expr c, Shape shape) {
      return Differentiator.conform(g, c, shape);
    }

    /**
     * Pushes {@code seed} = ∂L/∂root through the root statement's own (unnamed, active) nodes; returns the summed
     * contributions to the boundary nodes (named values and params) it reads, in order of first contribution.
     */
    private Map<Expr, Expr> propagate(Expr root, Expr seed) {
      return Differentiator.propagate(g, rules, root, seed, e -> isBoundary(e, root), this::isActive);
    }
  }

  /** The statement-local reverse pass, shared by the real pass and the explanation pass. */
  static Map<Expr, Expr> propagate(Graph g, Rules rules, Expr root, Expr seed,
      java.util.function.Predicate<Expr> boundary, java.util.function.Predicate<Expr> active) {
    return propagate(g, rules, root, seed, boundary, active, false);
  }

  /**
   * @param sourceOrder sum the contributions to one node in the order of the source (the consumer written first comes
   *     first: {@code −y/a + (1−y)/(1−a)}), as the explanations print them; the reverse sweep meets them last first
   */
  static Map<Expr, Expr> propagate(Graph g, Rules rules, Expr root, Expr seed,
      java.util.function.Predicate<Expr> boundary, java.util.function.Predicate<Expr> active, boolean sourceOrder) {
    List<Expr> region = new ArrayList<>();
    Deque<Expr> stack = new ArrayDeque<>();
    java.util.Set<Expr> seen = new java.util.HashSet<>();
    stack.push(root);
    seen.add(root);
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      region.add(e);
      for (int k = 0; k < e.arity(); k++) {
        Expr in = e.input(k);
        if (!boundary.test(in) && active.test(in) && seen.add(in)) stack.push(in);
      }
    }
    region.sort((a, b) -> Integer.compare(b.id(), a.id()));
    Map<Expr, Expr> adjoint = new HashMap<>();
    adjoint.put(root, seed);
    Map<Expr, Expr> leaves = new LinkedHashMap<>();
    for (Expr e : region) {
      Expr dY = adjoint.remove(e);
      if (dY == null) continue;
      Expr[] parts = rules.adjoints(e, dY, active);
      List<Expr> inputs = e.inputs();
      for (int i = 0; i < parts.length; i++) {
        Expr c = parts[i];
        if (c == null) continue;
        Expr in = inputs.get(i);
        c = conform(g, c, in.shape());
        Map<Expr, Expr> target = boundary.test(in) ? leaves : adjoint;
        Expr before = target.get(in);
        target.put(in, before == null ? c : sourceOrder ? g.add(c, before) : g.add(before, c));
      }
    }
    return leaves;
  }

  /** Gives {@code c} exactly {@code shape} (same extents, maybe other Dim records) so it can be added. */
  static Expr conform(Graph g, Expr c, Shape shape) {
    if (c.shape().equals(shape)) return c;
    List<Integer> identity = new ArrayList<>();
    for (int i = 0; i < shape.rank(); i++) identity.add(i);
    return g.broadcast(c, identity, shape);
  }
}
