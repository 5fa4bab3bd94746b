package dev.nnc.codegen;

import dev.nnc.diag.Span;
import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Role;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import java.util.List;

/** Differentiated models built by hand (independent of the parser and differentiator), for generator tests. */
final class HandModels {
  private HandModels() {}

  static Span line(int n) {
    return new Span(n, 1, n, 2);
  }

  /** The course's logistic regression, with the simplified reverse pass written out: dz = a − y. */
  static DiffModel logisticRegression() {
    Graph g = new Graph();
    Dim n = Dim.free("n");
    Expr.Var x = g.var("x", Role.INPUT, Shape.of(n));
    Expr.Var y = g.var("y", Role.INPUT, Shape.SCALAR);
    Expr.Var w = g.var("w", Role.PARAM, Shape.of(n));
    Expr.Var b = g.var("b", Role.PARAM, Shape.SCALAR);
    Expr z = g.add(g.matmul(w, x), b);
    Expr a = g.unary(UnaryOp.SIGMOID, z);
    Expr one = g.constant(1);
    Expr loss = g.neg(g.add(g.mul(y, g.unary(UnaryOp.LOG, a)),
        g.mul(g.sub(one, y), g.unary(UnaryOp.LOG, g.sub(one, a)))));
    Expr da = g.neg(g.sub(g.div(y, a), g.div(g.sub(one, y), g.sub(one, a))));
    Expr dz = g.sub(a, y);
    Expr dw = g.mul(x, g.broadcast(dz, Shape.of(n)));
    ModelIR m = new ModelIR("LogisticRegression", "examples/logistic_regression.nn", line(2),
        List.of(new ModelIR.DimInfo("n", -1, line(3))),
        List.of(new ModelIR.Leaf(x, "x", null, line(3)), new ModelIR.Leaf(y, "y", null, line(3))),
        List.of(new ModelIR.Leaf(w, "w", ModelIR.Init.ZEROS, line(4)),
            new ModelIR.Leaf(b, "b", ModelIR.Init.ZEROS, line(4))),
        List.of(new ModelIR.Value("z", "z", z, "wᵀx + b", line(5)),
            new ModelIR.Value("a", "a", a, "σ(z)", line(6)),
            new ModelIR.Value("L", "L", loss, "−(y log a + (1−y) log(1−a))", line(7))),
        List.of(), "L", g);
    return new DiffModel(m, List.of(
        new Adjoint("L", "L", Adjoint.Kind.LOSS, one, List.of(), line(7)),
        new Adjoint("a", "a", Adjoint.Kind.VALUE, da, List.of(), line(7)),
        new Adjoint("z", "z", Adjoint.Kind.VALUE, dz, List.of(), line(6)),
        new Adjoint("w", "w", Adjoint.Kind.PARAM, dw, List.of(), line(5)),
        new Adjoint("b", "b", Adjoint.Kind.PARAM, dz, List.of(), line(5))));
  }
}
