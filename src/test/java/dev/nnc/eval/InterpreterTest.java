package dev.nnc.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.Role;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpreterTest {
  private final Graph g = new Graph();
  private final Dim b = Dim.free("B");
  private final Dim three = Dim.literal(3);
  private final Expr.Var m = g.var("M", Role.INPUT, Shape.of(b, three)); // [[1,2,3],[4,5,6]]
  private final Expr.Var v = g.var("v", Role.INPUT, Shape.of(three)); // [1,0,-1]
  private final Interpreter in = new Interpreter(g, Map.of("B", 2))
      .bind(m, new double[] {1, 2, 3, 4, 5, 6})
      .bind(v, new double[] {1, 0, -1});

  @Test
  void broadcastReduceAndProducts() {
    assertArrayEquals(new double[] {2, 2, 2, 5, 5, 5}, in.eval(g.add(m, g.broadcast(v, m.shape()))),
        0, "row broadcast") ;
    Expr col = g.broadcast(g.reduce(ReduceOp.SUM, m, List.of(1)), List.of(0), m.shape());
    assertArrayEquals(new double[] {6, 6, 6, 15, 15, 15}, in.eval(col));
    assertArrayEquals(new double[] {5, 7, 9}, in.eval(g.reduce(ReduceOp.SUM, m, List.of(0))));
    assertArrayEquals(new double[] {3, 6}, in.eval(g.reduce(ReduceOp.MAX, m, List.of(1))));
    assertArrayEquals(new double[] {1}, in.eval(g.reduceAll(ReduceOp.MIN, m)));
    assertEquals(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)),
        in.eval(g.reduce(ReduceOp.LOGSUMEXP, m, List.of(1)))[0], 1e-15);
    assertArrayEquals(new double[] {-2, -2}, in.eval(g.matmul(m, v)));
    assertArrayEquals(new double[] {2}, in.eval(g.matmul(v, v)), 0);
  }

  @Test
  void matricesAndSoftmax() {
    assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, in.eval(g.transpose(m)));
    assertArrayEquals(new double[] {14, 32, 32, 77}, in.eval(g.matmul(m, g.transpose(m))));
    assertArrayEquals(new double[] {5, 7, 9}, in.eval(g.matmul(g.constant(1, Shape.of(b)), m)));
    double[] s = in.eval(g.softmax(m, 1));
    double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assertEquals(Math.exp(1) / z, s[0], 1e-15);
    assertEquals(Math.exp(3) / z, s[5], 1e-15);
    double[] ls = in.eval(g.logSoftmax(m, 0));
    assertEquals(1 - Math.log(Math.exp(1) + Math.exp(4)), ls[0], 1e-15);
    assertEquals(1.0, in.eval(g.unary(UnaryOp.SIGMOID, g.constant(800)))[0]);
    assertEquals(0.0, in.eval(g.unary(UnaryOp.SIGMOID, g.constant(-800)))[0]);
    assertEquals(800.0, in.eval(g.unary(UnaryOp.SOFTPLUS, g.constant(800)))[0]);
  }

  @Test
  void missingValuesAndSizesAreClearErrors() {
    Expr k = g.constant(1, Shape.of(Dim.free("K")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> in.eval(k));
    Expr.Var w = g.var("w", Role.PARAM, Shape.SCALAR);
    assertEquals("no value for w", assertThrows(IllegalArgumentException.class, () -> in.eval(w)).getMessage());
    assertEquals("no size given for the free dim K", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> in.bind(v, new double[] {1, 2}));
  }
}
