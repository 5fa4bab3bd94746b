package dev.nnc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diff.DiffModel;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The headline: the chain rule's (−y/a + (1−y)/(1−a))·a(1−a) comes out as a − y, scalar and batched. */
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
    // The differentiator's chain rule, as built: ∂L/∂a · a(1−a).
    assertEquals("(−(−(1 − y)/(1 − a)) + −y/a)·(a·(1 − a))", text.print(before.adjoint("z").value()));
    DiffModel after = Simplifier.simplifyStrictly(before);
    assertEquals("a − y", text.print(after.adjoint("z").value()));
    assertEquals("a − y", text.print(after.adjoint("b").value()));
    assertEquals("(a − y)·x", text.print(after.adjoint("w").value()));
    assertEquals("(a − y)/(a·(1 − a))", text.print(after.adjoint("a").value()));
    assertEquals("1", text.print(after.adjoint("L").value()));
  }

  /** Batched over m examples; the constant 1 of (1 − Y) either broadcast or a filled tensor, as lowering likes. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void batchedLogisticRegressionGradientIsAMinusYOverM(boolean broadcastOne) {
    HandModel h = new HandModel();
    Graph g = h.g;
    Dim n = Dim.free("n");
    Dim m = Dim.free("m");
    Shape batch = Shape.of(m);
    Expr xs = h.input("X", Shape.of(n, m));
    Expr ys = h.input("Y", batch);
    Expr w = h.param("w", Shape.of(n));
    Expr b = h.param("b", Shape.SCALAR);
    Expr z = h.value("Z", g.add(g.matmul(w, xs), g.broadcast(b, batch)));
    Expr a = h.value("A", g.unary(UnaryOp.SIGMOID, z));
    Expr one = broadcastOne ? g.broadcast(g.constant(1), batch) : g.constant(1, batch);
    Expr sum = g.add(g.matmul(ys, g.unary(UnaryOp.LOG, a)),
        g.matmul(g.sub(one, ys), g.unary(UnaryOp.LOG, g.sub(one, a))));
    h.value("J", g.div(g.neg(sum), g.dimSize(m)));
    DiffModel before = h.diff();
    DiffModel after = Simplifier.simplifyStrictly(before);
    ExprText text = ExprText.of(before.model());
    assertEquals("(A − Y)/m", text.print(after.adjoint("Z").value()));
    assertEquals("sum((A − Y)/m)", text.print(after.adjoint("b").value()));
    assertEquals("X @ ((A − Y)/m)", text.print(after.adjoint("w").value()));

    // Same numbers as the unsimplified chain rule.
    Random random = new Random(5);
    int nn = 3;
    int mm = 4;
    Map<String, double[]> vars = Map.of("X", randoms(random, nn * mm), "Y", new double[] {0, 1, 1, 0},
        "w", randoms(random, nn), "b", randoms(random, 1));
    Interpreter eval = h.interpreter(vars, Map.of("n", nn, "m", mm));
    for (String name : List.of("Z", "A", "w", "b")) {
      double[] expected = eval.eval(before.adjoint(name).value());
      double[] actual = eval.eval(after.adjoint(name).value());
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], actual[i], 1e-12 * (1 + Math.abs(expected[i])), "∂J/∂" + name + "[" + i + "]");
      }
    }
    assertTrue(Simplifier.backwardOperations(List.of(a), after.adjoints())
        < Simplifier.backwardOperations(List.of(a), before.adjoints()));
  }

  private static double[] randoms(Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
    return v;
  }
}
