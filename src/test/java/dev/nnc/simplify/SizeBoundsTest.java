package dev.nnc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simplified derivative DAG is at most 3× the forward DAG for long chains and wide sums. */
class SizeBoundsTest {
  private static final UnaryOp[] CHAIN = {UnaryOp.SIN, UnaryOp.EXP, UnaryOp.LOG, UnaryOp.COS};

  @Test
  void nestedChainOfAThousandFunctions() {
    HandModel h = new HandModel();
    Expr e = h.param("x", Shape.SCALAR);
    for (int i = 0; i < 1000; i++) e = h.g.unary(CHAIN[i % CHAIN.length], e);
    h.value("J", e);
    assertWithinThreeTimes(h, "nested");
  }

  @Test
  void chainOfAThousandNamedStatements() {
    HandModel h = new HandModel();
    Expr e = h.param("x", Shape.SCALAR);
    for (int i = 0; i < 1000; i++) e = h.value("x" + i, h.g.unary(CHAIN[i % CHAIN.length], e));
    assertWithinThreeTimes(h, "named");
  }

  @Test
  void sumOfTwoHundredProducts() {
    HandModel h = new HandModel();
    Expr sum = null;
    for (int i = 0; i < 200; i++) {
      Expr term = h.g.mul(h.g.mul(h.param("a" + i, Shape.SCALAR), h.param("b" + i, Shape.SCALAR)),
          h.param("c" + i, Shape.SCALAR));
      sum = sum == null ? term : h.g.add(sum, term);
    }
    h.value("J", sum);
    assertWithinThreeTimes(h, "sum of products");
  }

  @Test
  void deepArithmeticIslandStaysBoundedAndFast() {
    // One island 2,000 deep: x·(1 + x·(1 + x·(…))): forms hit the size limits and become atoms.
    HandModel h = new HandModel();
    dev.nnc.Cost.onSmallStack(() -> assertWithinThreeTimes(island(2000), "deep island"));
    dev.nnc.Cost.assertNearLinear(500, n -> {
      DiffModel d = island(n).diff();
      return () -> Simplifier.simplifyStrictly(d);
    });
  }

  /** x·(1 + x·(1 + x·(… n deep))). */
  private static HandModel island(int n) {
    HandModel h = new HandModel();
    Expr x = h.param("x", Shape.SCALAR);
    Expr e = x;
    for (int i = 0; i < n; i++) e = h.g.mul(x, h.g.add(h.g.constant(1), e));
    h.value("J", e);
    return h;
  }

  @Test
  void deepChainThroughTensorOperationsIsFast() {
    // J = sum(sin(v ⊙ broadcast(sum(sin(v ⊙ broadcast(…)))))): 2,000 islands, each under a reduction.
    dev.nnc.Cost.onSmallStack(() -> assertWithinThreeTimes(tensorChain(2000), "tensor chain"));
    dev.nnc.Cost.assertNearLinear(500, n -> {
      DiffModel d = tensorChain(n).diff();
      return () -> Simplifier.simplifyStrictly(d);
    });
  }

  private static HandModel tensorChain(int n) {
    HandModel h = new HandModel();
    Shape vec = Shape.of(dev.nnc.ir.Dim.free("n"));
    Expr v = h.param("v", vec);
    Expr e = h.param("s", Shape.SCALAR);
    for (int i = 0; i < n; i++) {
      e = h.g.reduceAll(dev.nnc.ir.ReduceOp.SUM, h.g.unary(UnaryOp.SIN, h.g.mul(v, h.g.broadcast(e, vec))));
    }
    h.value("J", e);
    return h;
  }

  private static Void assertWithinThreeTimes(HandModel h, String what) {
    DiffModel before = h.diff();
    DiffModel after = Simplifier.simplifyStrictly(before);
    List<Expr> forward = new ArrayList<>();
    for (ModelIR.Value v : after.model().values()) forward.add(v.node());
    List<Expr> all = new ArrayList<>(forward);
    for (Adjoint a : after.adjoints()) all.add(a.value());
    int f = DagSize.nodes(forward);
    int total = DagSize.nodes(all);
    System.out.printf("%s: forward %d nodes, forward + reverse %d (%.2f×)%n", what, f, total, (double) total / f);
    assertTrue(total <= 3 * f, what + ": " + total + " > 3 × " + f);
    assertEquals(before.adjoints().size(), after.adjoints().size());
    return null;
  }
}
