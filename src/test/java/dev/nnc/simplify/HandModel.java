package dev.nnc.simplify;

import dev.nnc.diff.DiffModel;
import dev.nnc.diff.Differentiator;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds a ModelIR by hand (a stand-in for the checker), differentiated by the real {@link Differentiator}. */
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

  /** The model with its unsimplified reverse pass: adjoints for every value (loss first) and every param. */
  DiffModel diff() {
    return Differentiator.differentiate(model());
  }

  /** An interpreter with every input and param bound by name (free dims sized by {@code dims}). */
  Interpreter interpreter(Map<String, double[]> values, Map<String, Integer> dims) {
    return Interpreter.forModel(model(), dims, values);
  }
}
