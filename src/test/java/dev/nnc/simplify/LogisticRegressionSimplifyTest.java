package dev.nnc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.diff.DiffModel;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import org.junit.jupiter.api.Test;

class LogisticRegressionSimplifyTest {
  @Test
  void scalarLogisticRegressionGradientIsAMinusY() {
    HandModel h = new HandModel();
    Graph g = h.g;
    Shape vec = Shape.of(Dim.free("n"));
    Expr x = h.input("x", vec);
    Expr y = h.input("y", Shape.SCALAR);
    Expr w = h.param("w", vec);
    Expr b = h.param("b", Shape.SCALAR);
    Expr z = h.value("z", g.add(g.matmul(w, x), b));
    Expr a = h.value("a", g.unary(UnaryOp.SIGMOID, z));
    Expr one = g.constant(1);
    h.value("L", g.neg(g.add(g.mul(y, g.unary(UnaryOp.LOG, a)),
        g.mul(g.sub(one, y), g.unary(UnaryOp.LOG, g.sub(one, a))))));
    DiffModel before = h.diff();
    ExprText text = ExprText.of(before.model());
    System.out.println("before dz: " + text.print(before.adjoint("z").value()));
    System.out.println("before da: " + text.print(before.adjoint("a").value()));
    DiffModel after = Simplifier.simplify(before);
    System.out.println("after da: " + text.print(after.adjoint("a").value()));
    System.out.println("after db: " + text.print(after.adjoint("b").value()));
    System.out.println("after dw: " + text.print(after.adjoint("w").value()));
    System.out.println(after.rewrites());
    assertEquals("a − y", text.print(after.adjoint("z").value()));
  }
}
