package dev.nnc.simplify;

import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import dev.nnc.simplify.Terms.Cost;
import dev.nnc.simplify.Terms.Term;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Simplifies reverse-pass expressions island by island.
 *
 * <p>An island is a maximal connected set of elementwise arithmetic nodes (+ − × ÷, unary minus, integer
 * powers, constants, and broadcasts of scalars, which are looked through). Everything else is an atom: inputs,
 * params, dims, named forward values ({@code a = σ(z)} stays {@code a}), functions ({@code log}, {@code σ}, …),
 * and tensor operations (matmul, reductions, softmax, non-scalar broadcasts), whose own operands are islands of
 * their own. Each node gets a {@link Rational} normal form over its atoms, built bottom-up in id order (so no
 * recursion, whatever the depth of the model); forms too large for the {@link Rational.Limits} make the node an
 * atom. At each island root the normal form is rendered as a candidate next to the expression as built, and the
 * cheaper one in new operations wins (ties: fewer divisions, then the normal form) — so a rewrite never adds work.
 *
 * <p>Roots are simplified in the order given (the adjoint list: loss first, towards the params), and each
 * finished root joins the nodes that are computed anyway: a later adjoint may use it for free, or inline its
 * normal form when that is cheaper ({@code ∂L/∂z = ∂L/∂a · a(1 − a)} becomes {@code a − y}).
 */
final class IslandSimplifier {
  private static final int MAX_POWER = 8;

  private final Graph graph;
  private final Terms terms;
  private final Rational.Limits limits;
  /** Nodes the forward pass computes. */
  private final BitSet forward = new BitSet();
  /** Forward values with a name: always atoms. */
  private final BitSet named = new BitSet();
  /** Nodes computed anyway: forward nodes and finished roots (a candidate's cost counts only the rest). */
  private final BitSet free = new BitSet();
  private final BitSet processed = new BitSet();
  private final IdMap<Rational> form = new IdMap<>();
  private final IdMap<Term> term = new IdMap<>();
  private final IdMap<Term> chosen = new IdMap<>();
  private final IdMap<Expr> done = new IdMap<>();
  private final BitSet doneOriginals = new BitSet();
  /** Normal form and shape → a node that already computes it. */
  private final Map<FormKey, Expr> known = new HashMap<>();
  private final BitSet onehot;
  /** Every processed node by id (to ask an atom's shape). */
  private final IdMap<Expr> nodes = new IdMap<>();

  private record FormKey(Rational form, Shape shape) {}

  IslandSimplifier(Graph graph, Collection<Expr> forwardValues, Rational.Limits limits) {
    this(graph, forwardValues, limits, false);
  }

  /**
   * @param avoidHazards weigh {@link Hazards} before operations: a candidate that divides by a value (or uses a
   *     finished adjoint that does) loses to one that does not, even when it is cheaper
   */
  IslandSimplifier(Graph graph, Collection<Expr> forwardValues, Rational.Limits limits, boolean avoidHazards) {
    this(graph, forwardValues, limits, avoidHazards, new BitSet());
  }

  /**
   * @param onehot ids of the input {@link Expr.Var}s declared {@code onehot}: every slice along their last axis sums
   *     to 1, so {@code Σ(s ⊙ T, last axis) = s} for a scalar {@code s} (the course's {@code ∂L/∂A2 = (Y − T)/B})
   */
  IslandSimplifier(Graph graph, Collection<Expr> forwardValues, Rational.Limits limits, boolean avoidHazards,
      BitSet onehot) {
    this.onehot = onehot;
    this.graph = graph;
    this.terms = new Terms(graph);
    this.terms.countHazards = avoidHazards;
    this.limits = limits;
    for (Expr v : forwardValues) {
      named.set(v.id());
      markReachable(v, forward);
    }
    free.or(forward);
  }

  /** The simplified version of {@code root} (a node of the same graph). */
  Expr simplify(Expr root) {
    if (forward.get(root.id())) return root;
    Expr finished = done.get(root.id());
    if (finished != null) return finished;
    for (Expr n : collect(root)) process(n);
    Term best = rootTerm(root);
    // The greedy per-island choices can lose sharing between islands; never end up above the root as it was
    // (with the roots already finished standing for themselves).
    Term original = terms.ref(root);
    if (best != original && terms.cost(original, free, id -> false, doneOriginals::get).compareTo(terms.cost(best, free)) < 0) {
      best = original;
    }
    Expr result = terms.materialise(best);
    if (terms.countHazards && Hazards.divides(result, forward, terms.hazardous)) {
      // later adjoints that use this one inherit its division: they should rather inline its normal form, where
      // the division may cancel (Y ⊙ −T/(B·Y) = −T/B)
      terms.hazardous.set(result.id());
      terms.hazardous.set(root.id());
    }
    markReachable(result, free);
    done.put(root.id(), result);
    doneOriginals.set(root.id());
    Term finishedTerm = terms.ref(result);
    term.put(root.id(), finishedTerm);
    chosen.put(root.id(), finishedTerm);
    remember(form.get(root.id()), root.shape(), result);
    return result;
  }

  /** Unprocessed nodes under {@code root} that need a form, in id (topological) order. */
  private List<Expr> collect(Expr root) {
    List<Expr> out = new ArrayList<>();
    IdSet seen = new IdSet();
    ArrayDeque<Expr> stack = new ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Expr n = stack.pop();
      if (processed.get(n.id()) || !seen.add(n.id())) continue;
      out.add(n);
      if (forward.get(n.id()) && !expandable(n)) continue; // a forward atom: its inside is not needed
      for (int k = 0; k < n.arity(); k++) stack.push(n.input(k));
    }
    out.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return out;
  }

  private void process(Expr n) {
    processed.set(n.id());
    Rational f = null;
    Term t;
    if (forward.get(n.id())) {
      t = terms.ref(n);
      if (expandable(n)) {
        f = computeForm(n);
        remember(f, n.shape(), n);
      }
    } else if (arithmetic(n)) {
      List<Term> kids = new ArrayList<>();
      for (int k = 0; k < n.arity(); k++) kids.add(term.get(n.input(k).id()));
      t = terms.rebuild(n, kids);
      f = computeForm(n);
    } else {
      List<Term> kids = new ArrayList<>();
      for (int k = 0; k < n.arity(); k++) kids.add(rootTerm(n.input(k)));
      t = terms.rebuild(n, kids);
      f = rowSumOfOnehot(n);
      if (n instanceof Expr.Broadcast b && onlyScalars(form.get(b.x().id()))) f = form.get(b.x().id());
    }
    nodes.put(n.id(), n);
    term.put(n.id(), t);
    form.put(n.id(), f != null ? f : Rational.atom(n.id()));
  }

  /**
   * The form of {@code Σ(s ⊙ T, last axis)} where {@code T} is a one-hot input and {@code s} a product of scalars:
   * {@code s} (each row of T sums to 1); null for any other node.
   */
  private Rational rowSumOfOnehot(Expr n) {
    if (onehot.isEmpty() || !(n instanceof Expr.Reduce r) || r.op() != dev.nnc.ir.ReduceOp.SUM) return null;
    Expr x = r.x();
    int rank = x.shape().rank();
    if (rank == 0 || !r.axes().equals(List.of(rank - 1))) return null;
    Rational f = form.get(x.id());
    if (f == null || f.asAtom() == x.id()) {
      if (!(x instanceof Expr.Var v) || !onehot.get(v.id())) return null;
      return Rational.ONE; // Σ(T) itself
    }
    int one = -1;
    for (int i = 0; i < f.factorCount(); i++) {
      int atom = f.factor(i).asAtom();
      if (atom >= 0 && onehot.get(atom) && f.exponent(i) == 1 && one < 0) {
        one = atom;
        continue;
      }
      if (!onlyScalars(Rational.ofFactor(1, f.factor(i)))) return null;
    }
    return one < 0 ? null : f.dividedBy(Rational.atom(one), limits);
  }

  /**
   * Whether {@code f} is over scalar atoms only (a row sum of a one-hot input such as {@code −1/B}): broadcast, it
   * is the same form, as a broadcast scalar is.
   */
  private boolean onlyScalars(Rational f) {
    if (f == null) return false;
    for (int i = 0; i < f.factorCount(); i++) {
      for (Mono m : f.factor(i).monos) for (int a : m.atoms) if (!nodes.get(a).shape().isScalar()) return false;
    }
    return true;
  }

  /** A forward node whose algebra is looked into (named values are atoms). */
  private boolean expandable(Expr n) {
    return arithmetic(n) && !named.get(n.id());
  }

  private boolean arithmetic(Expr n) {
    if (n instanceof Expr.Const) return true;
    if (n instanceof Expr.Unary u) return u.op() == UnaryOp.NEG;
    if (n instanceof Expr.Broadcast b) return b.x().shape().isScalar();
    if (n instanceof Expr.Binary b) {
      return switch (b.op()) {
        case ADD, SUB, MUL, DIV -> true;
        case POW -> integerExponent(b.b()) != null;
        default -> false;
      };
    }
    return false;
  }

  private static Integer integerExponent(Expr e) {
    Expr x = e instanceof Expr.Broadcast b ? b.x() : e;
    if (!(x instanceof Expr.Const c)) return null;
    double v = c.value();
    if (v != Math.rint(v) || Math.abs(v) > MAX_POWER || v == 0) return null;
    return (int) v;
  }

  private Rational computeForm(Expr n) {
    if (n instanceof Expr.Const c) return Double.isFinite(c.value()) ? Rational.constant(c.value()) : null;
    if (n instanceof Expr.Unary u) return form.get(u.x().id()).negated();
    if (n instanceof Expr.Broadcast b) return form.get(b.x().id());
    Expr.Binary b = (Expr.Binary) n;
    Rational x = form.get(b.a().id());
    Rational y = form.get(b.b().id());
    return switch (b.op()) {
      case ADD -> x.plus(y, limits);
      case SUB -> x.plus(y.negated(), limits);
      case MUL -> x.times(y, limits);
      case DIV -> y.isZero() ? null : x.dividedBy(y, limits);
      case POW -> x.pow(integerExponent(b.b()), limits);
      default -> throw new IllegalStateException("not arithmetic: " + b.op());
    };
  }

  /** The term for {@code n} where it is used as a whole: an island root chooses its cheapest form. */
  private Term rootTerm(Expr n) {
    if (forward.get(n.id()) || !arithmetic(n)) return term.get(n.id());
    Term c = chosen.get(n.id());
    if (c != null) return c;
    Term best = term.get(n.id());
    Rational f = form.get(n.id());
    if (f.asAtom() != n.id()) {
      IdSet atoms = islandAtoms(n, f);
      IdSet atomNodes = new IdSet();
      for (int id : atoms.sorted()) {
        Term a = termsById.get(id);
        terms.resolve(a);
        if (a.node != null) atomNodes.add(a.node.id());
      }
      Cost bestCost = terms.cost(best, free, atoms::contains, atomNodes::contains);
      Expr known = this.known.get(new FormKey(f, n.shape()));
      // The normal form must be strictly cheaper (or as cheap with fewer divisions) to replace the expression as
      // built; a node that already computes the same form wins ties.
      Term rendered = new Renderer(terms, this::atomTerm, this::knownNode).render(f, n.shape());
      Cost renderedCost = terms.cost(rendered, free, atoms::contains, atomNodes::contains);
      if (renderedCost.compareTo(bestCost) < 0) {
        best = rendered;
        bestCost = renderedCost;
      }
      if (known != null) {
        Term existing = terms.ref(known);
        if (terms.cost(existing, free, atoms::contains, atomNodes::contains).compareTo(bestCost) <= 0) best = existing;
      }
    }
    chosen.put(n.id(), best);
    return best;
  }

  /** Term ids of the atoms of {@code n}'s island: the leaves of its expression and of its normal form. */
  private IdSet islandAtoms(Expr n, Rational f) {
    IdSet atoms = new IdSet();
    for (int i = 0; i < f.factorCount(); i++) {
      for (Mono m : f.factor(i).monos) for (int a : m.atoms) mark(atoms, term.get(a));
    }
    IdSet seen = new IdSet();
    ArrayDeque<Expr> stack = new ArrayDeque<>();
    stack.push(n);
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (!seen.add(e.id())) continue;
      // a row sum of a one-hot input (and its broadcast) has a form without itself: it is part of the island
      boolean collapsed = !forward.get(e.id()) && !arithmetic(e) && form.get(e.id()).asAtom() != e.id();
      if (e != n && !collapsed
          && (forward.get(e.id()) || !arithmetic(e) || form.get(e.id()).asAtom() == e.id())) {
        mark(atoms, term.get(e.id()));
        continue;
      }
      for (int k = 0; k < e.arity(); k++) stack.push(e.input(k));
    }
    return atoms;
  }

  private final IdMap<Term> termsById = new IdMap<>();

  private void mark(IdSet atoms, Term t) {
    atoms.add(t.id);
    termsById.put(t.id, t);
  }

  private Term atomTerm(int atom) {
    return term.get(atom);
  }

  private Expr knownNode(Rational f, Shape shape) {
    return known.get(new FormKey(f, shape));
  }

  private void remember(Rational f, Shape shape, Expr node) {
    if (f == null || f.asAtom() >= 0 || f.isConstant()) return;
    known.putIfAbsent(new FormKey(f, shape), node);
  }

  private static void markReachable(Expr root, BitSet set) {
    ArrayDeque<Expr> stack = new ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Expr n = stack.pop();
      if (set.get(n.id())) continue;
      set.set(n.id());
      for (int k = 0; k < n.arity(); k++) stack.push(n.input(k));
    }
  }
}
