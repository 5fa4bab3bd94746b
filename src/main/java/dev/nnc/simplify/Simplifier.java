package dev.nnc.simplify;

import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.diff.Derivatives;
import dev.nnc.diff.Differentiator;
import dev.nnc.diff.Rewrite;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import java.util.ArrayList;
import java.util.List;

/**
 * The simplification pass over a differentiated model:
 * <ol>
 *   <li>the reverse pass, island by island ({@link IslandSimplifier}): canonical sums and products, like terms,
 *       rational normalisation with cancellation of common factors, each rewrite accepted only when it does not
 *       add operations — so {@code ∂L/∂z = (−y/a + (1−y)/(1−a))·a(1−a)} comes out as {@code a − y}; common
 *       subexpressions are shared through the graph's interning;
 *   <li>a safety net: if the reverse pass as a whole ended up with more operations than it had, it is kept as it
 *       was (the per-island choices are greedy; this makes "never costs more" a guarantee, not a hope);
 *   <li>numerical-stability rewrites of the forward values ({@link Stability}), recorded as {@link Rewrite}s.
 * </ol>
 */
public final class Simplifier {
  private Simplifier() {}

  public static DiffModel simplify(DiffModel diff) {
    return simplify(diff, false);
  }

  /**
   * The whole middle of the pipeline: the stability rewrites that must precede differentiation
   * ({@link StableForms}: {@code log Σ exp}, {@code log(1 + exp)}, a hand-written σ or softmax, also through named
   * intermediates), the
   * differentiator, then {@link #simplify(DiffModel)}.
   */
  public static DiffModel differentiate(ModelIR model) {
    Derivatives.Result expanded = expanded(model);
    return differentiatePlain(expanded.model()).withDerivatives(expanded.expanded());
  }

  /**
   * {@code model} with every {@code ∂E/∂x} it writes expanded, each by this whole pipeline run on a sub-model (so
   * the derivative the model computes is already simplified): the first step of {@link #differentiate}, of
   * {@link #differentiateUnsimplified} and of the CLI's trace. The model itself when it writes none (a constant-time
   * test).
   */
  public static Derivatives.Result expanded(ModelIR model) {
    return Derivatives.expand(model, Simplifier::differentiate);
  }

  /**
   * As {@link #differentiate(ModelIR)} without the final {@link #simplify(DiffModel)}: the reverse pass as the chain
   * rule builds it, for the cost report's "before simplification" size. Run it on a model of its own (a fresh
   * compile): it adds nodes to the model's graph.
   */
  public static DiffModel differentiateUnsimplified(ModelIR model) {
    ModelIR m = expanded(model).model();
    StableForms.Result before = StableForms.apply(m);
    return Differentiator.differentiate(before.model(), m, before.bypassed());
  }

  private static DiffModel differentiatePlain(ModelIR model) {
    StableForms.Result before = StableForms.apply(model);
    DiffModel diff = Differentiator.differentiate(before.model(), model, before.bypassed());
    if (!before.rewrites().isEmpty()) {
      List<Rewrite> rewrites = new ArrayList<>(before.rewrites());
      rewrites.addAll(diff.rewrites());
      diff = diff.with(diff.model(), diff.adjoints(), rewrites);
    }
    return simplify(diff);
  }

  /** As {@link #simplify(DiffModel)}, but a failure of the pass propagates (for tests). */
  static DiffModel simplifyStrictly(DiffModel diff) {
    return simplify(diff, true);
  }

  private static DiffModel simplify(DiffModel diff, boolean strict) {
    ModelIR model = diff.model();
    List<Expr> values = new ArrayList<>();
    for (ModelIR.Value v : model.values()) values.add(v.node());
    List<Adjoint> adjoints = diff.adjoints();
    try {
      List<Adjoint> simplified = simplifyAdjoints(model, values, diff.adjoints(), false);
      java.util.BitSet forwardNodes = reachable(values);
      int hazardsBefore = hazardousParams(model.graph(), forwardNodes, diff.adjoints());
      int hazards = hazardousParams(model.graph(), forwardNodes, simplified);
      if (hazards > 0) {
        // Some param's gradient divides by a value (NaN where it underflows to 0). Try again weighing hazards
        // first: inlining an adjoint like ∂L/∂Y = −T/(B·Y) lets the division cancel. Kept only if it helps.
        List<Adjoint> careful = simplifyAdjoints(model, values, diff.adjoints(), true);
        int carefulHazards = hazardousParams(model.graph(), forwardNodes, careful);
        if (carefulHazards < hazards) {
          simplified = careful;
          hazards = carefulHazards;
        }
      }
      // (the forward pass's own operations are on both sides of the comparison: not counted)
      if (hazards < hazardsBefore || hazards == hazardsBefore
          && operationsWith(values, simplified) <= operationsWith(values, diff.adjoints())) {
        adjoints = simplified;
      }
    } catch (RuntimeException bug) {
      if (strict) throw bug;
      // Simplification is an optimisation: the chain rule as built is correct. A failure here must cost the user
      // a simpler derivative, not the compilation (the property tests call the pass directly, so bugs still show).
      adjoints = diff.adjoints();
    }
    Stability.Result stable = Stability.apply(model);
    List<Rewrite> rewrites = new ArrayList<>(diff.rewrites());
    rewrites.addAll(stable.rewrites());
    return diff.with(stable.model(), adjoints, rewrites);
  }

  private static List<Adjoint> simplifyAdjoints(ModelIR model, List<Expr> values, List<Adjoint> adjoints,
      boolean avoidHazards) {
    java.util.BitSet onehot = new java.util.BitSet();
    for (ModelIR.Leaf l : model.inputs()) if (l.onehot()) onehot.set(l.var().id());
    IslandSimplifier islands = new IslandSimplifier(model.graph(), values, Rational.Limits.DEFAULT, avoidHazards,
        onehot);
    List<Adjoint> out = new ArrayList<>();
    for (Adjoint a : adjoints) out.add(a.withValue(islands.simplify(a.value())));
    return out;
  }

  /**
   * How many param gradients are computed through a division by a value ({@link Hazards}); {@code graph} holds the
   * adjoints' nodes.
   */
  static int hazardousParams(dev.nnc.ir.Graph graph, List<Expr> forward, List<Adjoint> adjoints) {
    return hazardousParams(graph, reachable(forward), adjoints);
  }

  /** The ids of the nodes {@code roots} reach. */
  private static java.util.BitSet reachable(List<Expr> roots) {
    java.util.BitSet seen = new java.util.BitSet();
    java.util.ArrayDeque<Expr> stack = new java.util.ArrayDeque<>(roots);
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (seen.get(e.id())) continue;
      seen.set(e.id());
      for (int k = 0; k < e.arity(); k++) stack.push(e.input(k));
    }
    return seen;
  }

  /**
   * {@link #hazardousParams(dev.nnc.ir.Graph, List, List)} with the forward nodes given (the same for every
   * candidate); the nodes the param gradients reach are visited in id order from a bit set.
   */
  private static int hazardousParams(dev.nnc.ir.Graph graph, java.util.BitSet forwardNodes, List<Adjoint> adjoints) {
    // Only a division outside the forward pass makes a hazard: a graph without one (most models) needs no walk.
    boolean anyDivision = false;
    for (Expr e : graph.nodes()) {
      if (Hazards.isDivision(e) && !forwardNodes.get(e.id())) {
        anyDivision = true;
        break;
      }
    }
    if (!anyDivision) return 0;
    // One pass over everything the param gradients reach, operands first (ids are a topological order), instead of
    // a walk per param (as Hazards.divides): that was params × backward size, minutes for long models (issue 11).
    java.util.BitSet reached = new java.util.BitSet();
    List<Expr> reach = new ArrayList<>();
    java.util.ArrayDeque<Expr> stack = new java.util.ArrayDeque<>();
    for (Adjoint a : adjoints) if (a.kind() == Adjoint.Kind.PARAM) stack.push(a.value());
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (reached.get(e.id())) continue;
      reached.set(e.id());
      for (int k = 0; k < e.arity(); k++) stack.push(e.input(k));
    }
    for (int id = reached.nextSetBit(0); id >= 0; id = reached.nextSetBit(id + 1)) reach.add(graph.node(id));
    java.util.BitSet readsVar = new java.util.BitSet();
    java.util.BitSet divides = new java.util.BitSet();
    for (Expr e : reach) {
      int id = e.id();
      boolean var = e instanceof Expr.Var;
      boolean div = !forwardNodes.get(id) && Hazards.isDivision(e) && readsVar.get(e.input(1).id());
      for (int k = 0; k < e.arity(); k++) {
        Expr in = e.input(k);
        var |= readsVar.get(in.id());
        div |= !forwardNodes.get(id) && divides.get(in.id());
      }
      readsVar.set(id, var);
      divides.set(id, div);
    }
    int n = 0;
    for (Adjoint a : adjoints) if (a.kind() == Adjoint.Kind.PARAM && divides.get(a.value().id())) n++;
    return n;
  }

  /** Operations of the forward pass and the reverse pass together. */
  private static int operationsWith(List<Expr> forward, List<Adjoint> adjoints) {
    List<Expr> all = new ArrayList<>(forward);
    for (Adjoint a : adjoints) all.add(a.value());
    return DagSize.operations(all);
  }

  /** Operations the reverse pass adds to the forward pass. */
  static int backwardOperations(List<Expr> forward, List<Adjoint> adjoints) {
    return operationsWith(forward, adjoints) - DagSize.operations(forward);
  }
}
