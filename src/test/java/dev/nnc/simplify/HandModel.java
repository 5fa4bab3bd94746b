package dev.nnc.simplify;

import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds a ModelIR and its unsimplified reverse pass by hand (test stand-in for checker + differentiator). */
final class HandModel {
  final Graph g = new Graph();
  private final List<ModelIR.Leaf> inputs = new ArrayList<>();
  private final List<ModelIR.Leaf> params = new ArrayList<>();
  private final List<ModelIR.Value> values = new ArrayList<>();

  Expr.Var input(String name, dev.nnc.ir.Shape shape) {
    Expr.Var v = g.var(name, Role.INPUT, shape);
    inputs.add(new ModelIR.Leaf(v, name, null, null));
    return v;
  }

  Expr.Var param(String name, dev.nnc.ir.Shape shape) {
    Expr.Var v = g.var(name, Role.PARAM, shape);
    params.add(new ModelIR.Leaf(v, name, ModelIR.Init.ZEROS, null));
    return v;
  }

  Expr value(String name, Expr node) {
    values.add(new ModelIR.Value(name, name, node, "", null));
    return node;
  }

  ModelIR model() {
    String loss = values.get(values.size() - 1).name();
    return new ModelIR("Hand", "hand.nn", null, List.of(), inputs, params, values, List.of(), loss, g);
  }

  /** The model with adjoints for every value (loss first, reverse order) and every param. */
  DiffModel diff() {
    ModelIR m = model();
    Map<Integer, Expr> adj = new MiniReverse(g).run(m.lossValue().node());
    List<Adjoint> out = new ArrayList<>();
    for (int i = values.size() - 1; i >= 0; i--) {
      ModelIR.Value v = values.get(i);
      Expr a = adj.getOrDefault(v.node().id(), g.constant(0, v.node().shape()));
      Adjoint.Kind kind = i == values.size() - 1 ? Adjoint.Kind.LOSS : Adjoint.Kind.VALUE;
      out.add(new Adjoint(v.name(), v.name(), kind, a, "", "", null));
    }
    for (ModelIR.Leaf p : params) {
      Expr a = adj.getOrDefault(p.var().id(), g.constant(0, p.var().shape()));
      out.add(new Adjoint(p.name(), p.name(), Adjoint.Kind.PARAM, a, "", "", null));
    }
    return new DiffModel(m, out);
  }
}
