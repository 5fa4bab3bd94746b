package dev.nnc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diff.DiffModel;
import dev.nnc.diff.Rewrite;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Forward values get their stable forms, named in {@link DiffModel#rewrites()}; the reverse pass is unaffected. */
class StabilityTest {
  private static HandModel logisticRegression() {
    HandModel h = new HandModel();
    Graph g = h.g;
    Expr y = h.input("y", Shape.SCALAR);
    Expr w = h.param("w", Shape.SCALAR);
    Expr z = h.value("z", g.mul(w, h.input("x", Shape.SCALAR)));
    Expr a = h.value("a", g.unary(UnaryOp.SIGMOID, z));
    Expr one = g.constant(1);
    h.value("L", g.neg(g.add(g.mul(y, g.unary(UnaryOp.LOG, a)),
        g.mul(g.sub(one, y), g.unary(UnaryOp.LOG, g.sub(one, a))))));
    return h;
  }

  @Test
  void logSigmoidBecomesSoftplusAndIsNamed() {
    HandModel h = logisticRegression();
    DiffModel before = h.diff();
    DiffModel after = Simplifier.simplifyStrictly(before);
    assertEquals(List.of(new Rewrite("L", "log(a) → −softplus(−z)"), new Rewrite("L", "log(1−a) → −softplus(z)")),
        after.rewrites());
    assertEquals(after.rewrites(), after.rewritesOf("L"));
    assertEquals(List.of(), after.rewritesOf("a"));
    ExprText text = ExprText.of(after.model());
    assertEquals("−(y·−softplus(−z) + (1 − y)·−softplus(z))", text.printDefinition(after.model().value("L").node()));
    assertSame(before.model().value("a").node(), after.model().value("a").node(), "a itself is unchanged");
    assertEquals("a − y", ExprText.of(before.model()).print(after.adjoint("z").value()));
  }

  @Test
  void lossAndGradientStayFiniteForLogitsUpTo800() {
    HandModel h = logisticRegression();
    DiffModel before = h.diff();
    DiffModel after = Simplifier.simplifyStrictly(before);
    Expr lossBefore = before.model().value("L").node();
    Expr lossAfter = after.model().value("L").node();
    for (double x : new double[] {-800, -40, -3, -0.25, 0, 0.25, 3, 40, 800}) {
      for (double y : new double[] {0, 1, 0.3}) {
        Interpreter eval = h.interpreter(Map.of("x", new double[] {x}, "y", new double[] {y}, "w", new double[] {1}), Map.of());
        double stable = eval.scalar(lossAfter);
        double grad = eval.scalar(after.adjoint("w").value());
        assertTrue(Double.isFinite(stable) && Double.isFinite(grad), "z=" + x + " y=" + y);
        if (Math.abs(x) <= 3) {
          assertEquals(eval.scalar(lossBefore), stable, 1e-12, "same loss at z=" + x);
          assertEquals(eval.scalar(before.adjoint("w").value()), grad, 1e-12, "same gradient at z=" + x);
        }
      }
    }
    Interpreter far = h.interpreter(Map.of("x", new double[] {800}, "y", new double[] {0}, "w", new double[] {1}), Map.of());
    assertEquals(800, far.scalar(lossAfter), 1e-9, "−log(1 − σ(800)) = softplus(800) = 800");
    assertTrue(Double.isInfinite(far.scalar(lossBefore)), "the unstable form overflows there");
  }

  @Test
  void logOfSoftmaxBecomesLogSoftmax() {
    HandModel h = new HandModel();
    Graph g = h.g;
    Shape s = Shape.of(Dim.free("B"), Dim.literal(10));
    Expr x = h.param("X", s);
    Expr t = h.input("T", s);
    Expr y = h.value("Y", g.softmax(x, 1));
    h.value("L", g.neg(g.reduceAll(ReduceOp.SUM, g.mul(t, g.unary(UnaryOp.LOG, y)))));
    DiffModel after = Simplifier.simplifyStrictly(new DiffModel(h.model(), List.of()));
    assertEquals(List.of(new Rewrite("L", "log(Y) → log_softmax(X)")), after.rewrites());
    assertEquals("−sum(T·log_softmax(X))", ExprText.of(after.model()).printDefinition(after.model().value("L").node()));
  }

  @Test
  void nothingToRewriteKeepsTheModel() {
    HandModel h = new HandModel();
    Expr x = h.param("x", Shape.SCALAR);
    h.value("J", h.g.unary(UnaryOp.LOG, h.g.add(x, h.g.constant(1))));
    DiffModel before = h.diff();
    DiffModel after = Simplifier.simplifyStrictly(before);
    assertSame(before.model(), after.model());
    assertEquals(List.of(), after.rewrites());
  }
}
