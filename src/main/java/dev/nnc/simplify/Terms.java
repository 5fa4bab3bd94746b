package dev.nnc.simplify;

import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.InternKey;
import dev.nnc.ir.InternTable;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Candidate expressions that are not (yet) nodes of the graph. The simplifier weighs several candidates per
 * island and keeps one; building the others as graph nodes would leave garbage in the model's graph, so
 * candidates are {@link Term}s — hash-consed like the graph, resolved to an existing node whenever one with the
 * same structure exists — and only the winner is {@link #materialise materialised} through the graph.
 * Everything here is iterative: terms can be as deep as the model.
 */
final class Terms {
  /** A candidate node: either an existing graph node ({@link #node} set at creation) or spec over kids. */
  static final class Term {
    final int id;
    /** What the term is over its kids; null for a term made from a node (asked for only when there is no node). */
    private final NodeSpec spec;
    final List<Term> kids;
    final Shape shape;
    /** The graph node this term is, once known (an existing node, or after materialisation). */
    Expr node;
    /** The graph size at the last failed lookup: until the graph grows, looking again is pointless. */
    int triedAt = -1;

    private Term(int id, NodeSpec spec, List<Term> kids, Shape shape, Expr node) {
      this.id = id;
      this.spec = spec;
      this.kids = kids;
      this.shape = shape;
      this.node = node;
    }

    NodeSpec spec() {
      return spec != null ? spec : NodeSpec.of(node);
    }
  }

  /**
   * Cost of a candidate: first its {@link Hazards} (divisions by values, and uses of nodes that make them), then new
   * operations (nodes not already computed), then how many of them divide.
   */
  record Cost(int hazards, int ops, int divisions) implements Comparable<Cost> {
    @Override
    public int compareTo(Cost o) {
      if (hazards != o.hazards) return Integer.compare(hazards, o.hazards);
      return ops != o.ops ? Integer.compare(ops, o.ops) : Integer.compare(divisions, o.divisions);
    }
  }

  /**
   * Nodes whose value comes from a hazardous division (finished adjoints that divide by a value); empty unless the
   * simplifier avoids hazards. Divisions in candidates are counted as hazards only when {@link #countHazards}.
   */
  final BitSet hazardous = new BitSet();

  boolean countHazards;

  private final Graph graph;
  /** Candidates by spec over their kids' term ids. */
  private final InternTable<Term> terms = new InternTable<>();
  private final IdMap<Term> refs = new IdMap<>();
  private int nextId;

  Terms(Graph graph) {
    this.graph = graph;
  }

  Term ref(Expr node) {
    Term t = refs.get(node.id());
    if (t == null) {
      t = new Term(nextId++, null, List.of(), node.shape(), node); // its spec only if ever needed (never so far)
      refs.put(node.id(), t);
    }
    return t;
  }

  /** The term for {@code spec} over {@code kids}: an existing node when the graph has one. */
  Term make(NodeSpec spec, List<Term> kids, Shape shape) {
    Expr existing = lookup(spec, kids, shape);
    if (existing != null) return ref(existing);
    int[] ids = new int[kids.size()];
    for (int i = 0; i < ids.length; i++) ids[i] = kids.get(i).id;
    InternKey key = NodeSpec.key(spec, ids, shape);
    Term t = terms.get(key);
    if (t == null) {
      t = new Term(nextId++, spec, List.copyOf(kids), shape, null);
      terms.put(key, t);
    }
    return t;
  }

  private Expr lookup(NodeSpec spec, List<Term> kids, Shape shape) {
    for (int i = 0; i < kids.size(); i++) if (kids.get(i).node == null) return null; // no node over a non-node
    int[] ids = new int[kids.size()];
    for (int i = 0; i < ids.length; i++) ids[i] = kids.get(i).node.id();
    // the graph's own interner: no second index of its nodes (it was a map of every node, built per pass)
    return graph.find(spec.kind(), spec.internParam(), ids, shape);
  }

  Term constant(double value, Shape shape) {
    return make(NodeSpec.constant(value), List.of(), shape);
  }

  Term unary(UnaryOp op, Term x) {
    return make(NodeSpec.unary(op, 0), List.of(x), x.shape);
  }

  Term binary(BinaryOp op, Term a, Term b) {
    return make(NodeSpec.binary(op), List.of(a, b), a.shape);
  }

  /** A scalar term repeated over {@code shape} (itself when already of that shape). */
  Term broadcast(Term x, Shape shape) {
    if (x.shape.equals(shape)) return x;
    List<Integer> map = new ArrayList<>();
    int offset = shape.rank() - x.shape.rank();
    for (int i = 0; i < x.shape.rank(); i++) map.add(offset + i);
    return make(new NodeSpec("broadcast", map), List.of(x), shape);
  }

  /** {@code template} over new operand terms. */
  Term rebuild(Expr template, List<Term> kids) {
    return make(NodeSpec.of(template), kids, template.shape());
  }

  /** Sets {@link Term#node} on every term under {@code t} whose structure now exists in the graph (post-order). */
  void resolve(Term t) {
    if (t.node != null || t.triedAt == graph.size()) return;
    ArrayDeque<Term> stack = new ArrayDeque<>();
    IdSet expanded = new IdSet();
    stack.push(t);
    while (!stack.isEmpty()) {
      Term top = stack.peek();
      if (top.node != null || top.triedAt == graph.size()) {
        stack.pop();
      } else if (!expanded.contains(top.id)) {
        expanded.add(top.id);
        for (Term k : top.kids) if (k.node == null && !expanded.contains(k.id)) stack.push(k);
      } else {
        stack.pop();
        top.node = lookup(top.spec(), top.kids, top.shape);
        if (top.node == null) top.triedAt = graph.size();
      }
    }
  }

  /** Operations {@code t} adds to a program that already computes the {@code free} nodes. */
  Cost cost(Term t, BitSet free) {
    return cost(t, free, id -> false, id -> false);
  }

  /**
   * Like {@link #cost(Term, BitSet)}, not counting what lies under the {@code stop} terms (ids): candidates for one
   * island share its atoms, so comparing them needs only what lies above the atoms — and stopping there keeps the
   * comparison proportional to the island, not to everything below it. {@code stopNodes} are the graph nodes of
   * those terms that have one.
   */
  Cost cost(Term t, BitSet free, IntPredicate stop, IntPredicate stopNodes) {
    resolve(t);
    int hazards = 0;
    int ops = 0;
    int divs = 0;
    IdSet seenTerms = new IdSet();
    IdSet seenNodes = new IdSet();
    ArrayDeque<Term> terms = new ArrayDeque<>();
    ArrayDeque<Expr> nodes = new ArrayDeque<>();
    terms.push(t);
    while (!terms.isEmpty()) {
      Term top = terms.pop();
      if (seenTerms.contains(top.id) || stop.test(top.id)) continue;
      seenTerms.add(top.id);
      if (top.node != null) {
        if (hazardous.get(top.node.id())) hazards++;
        else if (!stopNodes.test(top.node.id())) nodes.push(top.node);
        continue;
      }
      if (!top.spec().kind().equals("const")) {
        ops++;
        if (top.spec().equals(NodeSpec.binary(BinaryOp.DIV))) {
          divs++;
          if (countHazards && Hazards.unsafe(top.kids.get(1))) hazards++;
        }
      }
      for (Term k : top.kids) terms.push(k);
    }
    while (!nodes.isEmpty()) {
      Expr n = nodes.pop();
      if (seenNodes.contains(n.id())) continue;
      if (hazardous.get(n.id())) {
        seenNodes.add(n.id());
        hazards++;
        continue;
      }
      if (free.get(n.id()) || stopNodes.test(n.id())) continue;
      seenNodes.add(n.id());
      if (n.arity() == 0) continue; // leaves cost nothing
      ops++;
      if (n instanceof Expr.Binary b && b.op() == BinaryOp.DIV) {
        divs++;
        if (countHazards && Hazards.unsafe(b.b())) hazards++;
      }
      for (int k = 0; k < n.arity(); k++) nodes.push(n.input(k));
    }
    return new Cost(hazards, ops, divs);
  }

  /** Builds {@code t} through the graph (post-order, iterative) and returns its node. */
  Expr materialise(Term t) {
    ArrayDeque<Term> stack = new ArrayDeque<>();
    stack.push(t);
    while (!stack.isEmpty()) {
      Term top = stack.peek();
      if (top.node != null) {
        stack.pop();
        continue;
      }
      boolean ready = true;
      for (Term k : top.kids) {
        if (k.node == null) {
          stack.push(k);
          ready = false;
        }
      }
      if (!ready) continue;
      stack.pop();
      List<Expr> inputs = new ArrayList<>(top.kids.size());
      for (Term k : top.kids) inputs.add(k.node);
      top.node = top.spec().build(graph, inputs, top.shape);
    }
    return t.node;
  }
}
