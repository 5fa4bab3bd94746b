package dev.nnc.diff;

import dev.nnc.ir.ModelIR;
import dev.nnc.notation.Explanation;
import java.util.List;

/**
 * A model with its reverse pass: one {@link Adjoint} per assigned value and per param, loss first, then in
 * reverse definition order (params after the values), all nodes of {@code model.graph()}. {@code rewrites} lists
 * the numerical-stability rewrites the simplifier applied to the forward values (empty before simplification).
 * {@code explanation} holds the local forms of the adjoints' {@link Step steps}.
 */
public record DiffModel(ModelIR model, List<Adjoint> adjoints, List<Rewrite> rewrites, Explanation explanation) {
  public DiffModel {
    adjoints = List.copyOf(adjoints);
    rewrites = List.copyOf(rewrites);
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
    return new DiffModel(newModel, newAdjoints, newRewrites, explanation);
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
    List<Adjoint> params = new java.util.ArrayList<>();
    for (Adjoint a : adjoints) (a.kind() == Adjoint.Kind.PARAM ? params : values).add(a);
    List<Adjoint> out = new java.util.ArrayList<>();
    java.util.Set<Adjoint> placed = new java.util.HashSet<>();
    for (Adjoint v : values) {
      out.add(v);
      for (Adjoint p : params) {
        if (placed.contains(p) || p.steps().isEmpty()) continue;
        if (p.steps().get(0).consumer().name().equals(v.name())) {
          out.add(p);
          placed.add(p);
        }
      }
    }
    for (Adjoint p : params) if (!placed.contains(p)) out.add(p);
    return out;
  }

  /** The stability rewrites applied to value {@code name}'s expression. */
  public List<Rewrite> rewritesOf(String name) {
    return rewrites.stream().filter(r -> r.valueName().equals(name)).toList();
  }
}
