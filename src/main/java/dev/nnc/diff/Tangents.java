package dev.nnc.diff;

import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Forward mode over a whole model, as the generated {@code jvp} computes it: one direction var per input and per param
 * (the direction's entries, which the caller sets), and the tangent — the change along that direction — of every
 * output and of the loss, built by {@link ForwardMode} from the registry's JVP rules in the model's graph.
 *
 * @param directions one per input, then one per param, in declaration order
 * @param roots the outputs in declaration order, then the loss (once, also when it is an output); a null tangent is
 *     identically zero (the value does not depend on any leaf)
 */
public record Tangents(List<Direction> directions, List<Root> roots) {
  /** The direction of one leaf: an input var of the graph, of the leaf's shape. */
  public record Direction(ModelIR.Leaf leaf, Expr.Var var) {}

  /** The tangent of one output or of the loss. */
  public record Root(ModelIR.Value value, Expr tangent) {}

  public Tangents {
    directions = List.copyOf(directions);
    roots = java.util.Collections.unmodifiableList(new ArrayList<>(roots)); // null tangents allowed
  }

  /**
   * The direction var of {@code leaf}. Its name holds {@code ·}, an operator in .nn, so no model can spell it; the
   * graph interns vars by name, so every caller (the generator, {@code GradientCheck}) gets the same node.
   */
  public static Expr.Var directionVar(Graph g, ModelIR.Leaf leaf) {
    return g.var("tangent·" + leaf.name(), Role.INPUT, leaf.var().shape());
  }

  /** {@link #of}, or null where the model has no forward mode (a recurrence: docs/differentiation.md). */
  public static Tangents ofOrNull(DiffModel dm) {
    try {
      return of(dm);
    } catch (UnsupportedOperationException noForwardMode) {
      return null;
    }
  }

  /** The tangents of {@code dm}'s outputs and loss along a direction of every input and param (new graph nodes). */
  public static Tangents of(DiffModel dm) {
    ModelIR m = dm.model();
    Graph g = m.graph();
    List<Direction> directions = new ArrayList<>();
    Map<Expr.Var, Expr> seeds = new HashMap<>();
    List<ModelIR.Leaf> leaves = new ArrayList<>(m.inputs());
    leaves.addAll(m.params());
    for (ModelIR.Leaf l : leaves) {
      Expr.Var v = directionVar(g, l);
      directions.add(new Direction(l, v));
      seeds.put(l.var(), v);
    }
    List<ModelIR.Value> of = new ArrayList<>();
    for (String name : m.outputs()) of.add(value(m, name));
    if (!m.outputs().contains(m.loss())) of.add(m.lossValue());
    List<Expr> nodes = new ArrayList<>();
    for (ModelIR.Value v : of) nodes.add(v.node());
    List<Expr> tangents = new ForwardMode(g).tangents(nodes, seeds);
    List<Root> roots = new ArrayList<>();
    for (int i = 0; i < of.size(); i++) roots.add(new Root(of.get(i), tangents.get(i)));
    return new Tangents(directions, roots);
  }

  private static ModelIR.Value value(ModelIR m, String name) {
    for (ModelIR.Value v : m.values()) if (v.name().equals(name)) return v;
    throw new IllegalStateException("output " + name + " is no value of " + m.name());
  }
}
