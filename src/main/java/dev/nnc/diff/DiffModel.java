package dev.nnc.diff;

import dev.nnc.ir.ModelIR;
import java.util.List;

/**
 * A model with its reverse pass: one {@link Adjoint} per assigned value and per param, loss first, then in
 * reverse definition order (params after the values), all nodes of {@code model.graph()}. {@code rewrites} lists
 * the numerical-stability rewrites the simplifier applied to the forward values (empty before simplification).
 */
public record DiffModel(ModelIR model, List<Adjoint> adjoints, List<Rewrite> rewrites) {
  public DiffModel {
    adjoints = List.copyOf(adjoints);
    rewrites = List.copyOf(rewrites);
  }

  public DiffModel(ModelIR model, List<Adjoint> adjoints) {
    this(model, adjoints, List.of());
  }

  public Adjoint adjoint(String name) {
    for (Adjoint a : adjoints) if (a.name().equals(name)) return a;
    return null;
  }

  /** The stability rewrites applied to value {@code name}'s expression. */
  public List<Rewrite> rewritesOf(String name) {
    return rewrites.stream().filter(r -> r.valueName().equals(name)).toList();
  }
}
