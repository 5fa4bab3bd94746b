package dev.nnc.diff;

import dev.nnc.ir.ModelIR;
import java.util.List;

/**
 * A model with its reverse pass: one {@link Adjoint} per assigned value and per param, loss first, then in
 * reverse definition order (params after the values), all nodes of {@code model.graph()}.
 */
public record DiffModel(ModelIR model, List<Adjoint> adjoints) {
  public DiffModel {
    adjoints = List.copyOf(adjoints);
  }

  public Adjoint adjoint(String name) {
    for (Adjoint a : adjoints) if (a.name().equals(name)) return a;
    return null;
  }
}
