package dev.nnc.diff;

import dev.nnc.diag.Span;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Role;
import dev.nnc.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link ModelIR} by hand, as lowering would, for tests that must not depend on the front end. */
public final class ModelBuilder {
  public final Graph g = new Graph();
  private final List<ModelIR.Leaf> inputs = new ArrayList<>();
  private final List<ModelIR.Leaf> params = new ArrayList<>();
  private final List<ModelIR.Value> values = new ArrayList<>();
  private final List<ModelIR.DimInfo> dims = new ArrayList<>();

  public Expr.Var param(String name, Dim... shape) {
    Expr.Var v = g.var(name, Role.PARAM, Shape.of(shape));
    params.add(new ModelIR.Leaf(v, name, ModelIR.Init.ZEROS, Span.NONE));
    return v;
  }

  public Expr.Var input(String name, Dim... shape) {
    Expr.Var v = g.var(name, Role.INPUT, Shape.of(shape));
    inputs.add(new ModelIR.Leaf(v, name, null, Span.NONE));
    return v;
  }

  public Dim dim(String name) {
    dims.add(new ModelIR.DimInfo(name, -1, Span.NONE));
    return Dim.free(name);
  }

  public Expr let(String name, Expr e) {
    values.add(new ModelIR.Value(name, name, e, "", Span.NONE));
    return e;
  }

  public Expr c(double v) {
    return g.constant(v);
  }

  public ModelIR build(String name, String loss) {
    return new ModelIR(name, name + ".nn", Span.NONE, dims, inputs, params, values, List.of(), loss, g);
  }

  public ModelIR build(String name) {
    return build(name, values.get(values.size() - 1).name());
  }
}
