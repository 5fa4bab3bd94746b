package dev.nnc.diff;

import dev.nnc.ir.ModelIR;
import dev.nnc.notation.Explanation;
import java.util.List;

/**
 * A model with its reverse pass: one {@link Adjoint} per assigned value and per param, loss first, then in
 * reverse definition order (params after the values), all nodes of {@code model.graph()}. {@code rewrites} lists
 * the numerical-stability rewrites the simplifier applied to the forward values (empty before simplification).
 * {@code explanation} holds the local forms of the adjoints' {@link Step steps}. {@code derivatives} are the
 * derivations of the {@code ∂E/∂x} the model writes, expanded before its reverse pass (second-order steps).
 */
public record DiffModel(ModelIR model, List<Adjoint> adjoints, List<Rewrite> rewrites, Explanation explanation,
    List<Derivatives.Expanded> derivatives) {
  public DiffModel {
    adjoints = List.copyOf(adjoints);
    rewrites = List.copyOf(rewrites);
    derivatives = List.copyOf(derivatives);
  }

  /** A model whose source writes no {@code ∂} (or whose derivations are not kept). */
  public DiffModel(ModelIR model, List<Adjoint> adjoints, List<Rewrite> rewrites, Explanation explanation) {
    this(model, adjoints, rewrites, explanation, List.of());
  }

  /** A model without derivation steps (hand-built adjoints in tests, forward-only generation). */
  public DiffModel(ModelIR model, List<Adjoint> adjoints) {
    this(model, adjoints, List.of(), Explanation.none(model.loss()));
  }

  /** A model with rewrites but without derivation steps (hand-built in tests). */
  public DiffModel(ModelIR model, List<Adjoint> adjoints, List<Rewrite> rewrites) {
    this(model, adjoints, rewrites, Explanation.none(model.loss()));
  }

  /** The same derivation with other adjoints and rewrites (the simplified ones). */
  public DiffModel with(ModelIR newModel, List<Adjoint> newAdjoints, List<Rewrite> newRewrites) {
    return new DiffModel(newModel, newAdjoints, newRewrites, explanation, derivatives);
  }

  /** The same, with the derivations of the {@code ∂}s the model writes ({@link Derivatives}). */
  public DiffModel withDerivatives(List<Derivatives.Expanded> expanded) {
    return new DiffModel(model, adjoints, rewrites, explanation, expanded);
  }

  public Adjoint adjoint(String name) {
    for (Adjoint a : adjoints) if (a.name().equals(name)) return a;
    return null;
  }

  /**
   * The adjoints in the graph's reverse order, as backpropagation meets them: the loss, then the values in reverse
   * definition order, each param right after the statement that completes its adjoint (its first reader: the last
   * one the reverse sweep reaches) — {@code ∂L/∂A2} then {@code ∂L/∂W2}, {@code ∂L/∂b2}, then {@code ∂L/∂Z1}.
   */
  public List<Adjoint> inBackwardOrder() {
    List<Adjoint> values = new java.util.ArrayList<>();
    // params by the statement their first step comes from (identity, not equals: an Adjoint hashes all its steps)
    java.util.Map<String, List<Adjoint>> paramsAfter = new java.util.HashMap<>();
    List<Adjoint> unplaced = new java.util.ArrayList<>();
    for (Adjoint a : adjoints) {
      if (a.kind() != Adjoint.Kind.PARAM) values.add(a);
      else if (a.steps().isEmpty()) unplaced.add(a);
      else paramsAfter.computeIfAbsent(a.steps().get(0).consumer().name(), k -> new java.util.ArrayList<>()).add(a);
    }
    List<Adjoint> out = new java.util.ArrayList<>();
    for (Adjoint v : values) {
      out.add(v);
      List<Adjoint> after = paramsAfter.remove(v.name());
      if (after != null) out.addAll(after);
    }
    // params whose first step's statement is no value's adjoint, then those without steps, in param order
    java.util.Set<Adjoint> placed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    placed.addAll(out);
    for (Adjoint p : adjoints) if (p.kind() == Adjoint.Kind.PARAM && !placed.contains(p)) out.add(p);
    return out;
  }

  /** The stability rewrites applied to value {@code name}'s expression. */
  public List<Rewrite> rewritesOf(String name) {
    return rewrites.stream().filter(r -> r.valueName().equals(name)).toList();
  }
}
