package dev.nnc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nnc.eval.Interpreter;
import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import dev.nnc.prim.BinaryPrim;
import dev.nnc.prim.InDomain;
import dev.nnc.prim.Prims;
import dev.nnc.prim.ReducePrim;
import dev.nnc.prim.UnaryPrim;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of the table against central differences, one operator at a time. */
class RulesTest {
  private static final double TOL = 1e-7;

  static Stream<UnaryPrim> unaries() {
    return Prims.unaries().stream();
  }

  static Stream<BinaryPrim> binaries() {
    return Prims.binaries().stream();
  }

  /** Every elementwise entry's reverse rule against central differences at points of its test domain. */
  @ParameterizedTest
  @MethodSource("unaries")
  void unaryRule(UnaryPrim p) {
    SplittableRandom r = new SplittableRandom(p.op().name().hashCode());
    for (int i = 0; i < 6; i++) {
      double x0 = InDomain.point(p.domain(), r);
      ModelBuilder m = new ModelBuilder();
      Expr x = m.param("x");
      Expr f = m.g.unary(p.op(), x, p.param() == null ? 0 : 0.05 + 0.5 * r.nextDouble());
      m.let("L", m.g.mul(f, m.c(1.5)));
      DiffModel d = Differentiator.differentiate(m.build("U"));
      FiniteDifferences.assertGradients(d, Map.of(), Map.of("x", new double[] {x0}), TOL, p.op() + " at " + x0);
    }
  }

  @ParameterizedTest
  @MethodSource("binaries")
  void binaryRule(BinaryPrim p) {
    SplittableRandom r = new SplittableRandom(p.op().name().hashCode());
    for (int i = 0; i < 6; i++) {
      double a0 = InDomain.point(p.domains().get(0), r);
      double b0 = InDomain.point(p.domains().get(1), r);
      if (p.kinkWhereEqual() && Math.abs(a0 - b0) < 0.05) continue;
      ModelBuilder m = new ModelBuilder();
      Expr a = m.param("a");
      Expr b = m.param("b");
      m.let("L", m.g.mul(m.g.binary(p.op(), a, b), m.c(-0.75)));
      DiffModel d = Differentiator.differentiate(m.build("B"));
      FiniteDifferences.assertGradients(d, Map.of(), Map.of("a", new double[] {a0}, "b", new double[] {b0}),
          TOL, p.op() + " at " + a0 + ", " + b0);
    }
  }

  @Test
  void powerWithAConstantExponentUsesThatConstant() {
    ModelBuilder m = new ModelBuilder();
    Expr a = m.param("a");
    m.let("L", m.g.pow(a, m.c(3)));
    DiffModel d = Differentiator.differentiate(m.build("P"));
    assertEquals("3a²", Steps.local(d, "a"));
    FiniteDifferences.assertGradients(d, Map.of(), Map.of("a", new double[] {-1.3}), TOL, "a³ at −1.3");
  }

  @Test
  void kinksUseTheOneSidedValues() {
    for (UnaryOp op : List.of(UnaryOp.RELU, UnaryOp.ABS)) {
      ModelBuilder m = new ModelBuilder();
      Expr x = m.param("x");
      m.let("L", m.g.unary(op, x));
      DiffModel d = Differentiator.differentiate(m.build("K"));
      Interpreter in = Interpreter.forModel(d.model(), Map.of(), Map.of("x", new double[] {0}));
      assertEquals(0, in.scalar(d.adjoint("x").value()), op + "'(0)");
    }
    for (BinaryOp op : List.of(BinaryOp.MAX, BinaryOp.MIN)) {
      ModelBuilder m = new ModelBuilder();
      Expr a = m.param("a");
      Expr b = m.param("b");
      m.let("L", m.g.binary(op, a, b));
      DiffModel d = Differentiator.differentiate(m.build("T"));
      Interpreter in = Interpreter.forModel(d.model(), Map.of(), Map.of("a", new double[] {2}, "b", new double[] {2}));
      assertEquals(1, in.scalar(d.adjoint("a").value()), op + " tie goes to the first operand");
      assertEquals(0, in.scalar(d.adjoint("b").value()), op + " tie goes to the first operand");
    }
  }

  @Test
  void selectorsAndStepsHaveNoDerivative() {
    Graph g = new Graph();
    Expr x = g.var("x", dev.nnc.ir.Role.PARAM, Shape.SCALAR);
    Rules rules = new Rules(g);
    for (UnaryOp op : List.of(UnaryOp.STEP, UnaryOp.LEAKY_STEP, UnaryOp.SIGN)) {
      assertNull(rules.adjoints(g.unary(op, x, 0.1), g.constant(1), e -> true)[0]);
    }
    Expr[] ge = rules.adjoints(g.rawBinary(BinaryOp.GE, x, g.constant(2)), g.constant(1), e -> true);
    assertNull(ge[0]);
    assertNull(ge[1]);
  }

  // ---- tensor rules ----------------------------------------------------------------------------------------------

  private static final Dim B = Dim.free("B");
  private static final Dim N = Dim.literal(3);
  private static final Dim K = Dim.free("K");
  private static final Dim ONE = Dim.literal(1);
  private static final Map<String, Integer> DIMS = Map.of("B", 4, "K", 2);

  /**
   * Builds {@code L = Σ(f(params) ⊙ R)} with a random weight tensor R (so no symmetry hides a wrong sign or axis)
   * and checks every gradient entry.
   */
  private static void checkTensor(String what, List<Shape> paramShapes, BiFunction<Graph, List<Expr>, Expr> f,
      BiFunction<Integer, Integer, Double> valueAt) {
    ModelBuilder m = new ModelBuilder();
    List<Expr> params = new java.util.ArrayList<>();
    for (int i = 0; i < paramShapes.size(); i++) {
      params.add(m.param("p" + i, paramShapes.get(i).dims().toArray(new Dim[0])));
    }
    Expr out = f.apply(m.g, params);
    Expr r = m.input("R", out.shape().dims().toArray(new Dim[0]));
    m.let("Y", out);
    m.let("L", m.g.reduceAll(ReduceOp.SUM, m.g.mul(out, r)));
    DiffModel d = Differentiator.differentiate(m.build("T"));
    Interpreter sizes = new Interpreter(m.g, DIMS);
    Map<String, double[]> values = new HashMap<>();
    SplittableRandom random = new SplittableRandom(what.hashCode());
    for (int i = 0; i < paramShapes.size(); i++) {
      double[] v = new double[sizes.size(paramShapes.get(i))];
      for (int j = 0; j < v.length; j++) v[j] = valueAt == null ? random.nextDouble(-1.5, 1.5) : valueAt.apply(i, j);
      values.put("p" + i, v);
    }
    double[] rv = new double[sizes.size(out.shape())];
    for (int j = 0; j < rv.length; j++) rv[j] = random.nextDouble(-1, 1);
    values.put("R", rv);
    FiniteDifferences.assertGradients(d, DIMS, values, TOL, what);
  }

  private static void checkTensor(String what, List<Shape> shapes, BiFunction<Graph, List<Expr>, Expr> f) {
    checkTensor(what, shapes, f, null);
  }

  @Test
  void broadcastSumsOverRepeatedAxesIncludingStretchedOnes() {
    checkTensor("vector → matrix rows", List.of(Shape.of(N)), (g, ps) -> g.broadcast(ps.get(0), Shape.of(B, N)));
    checkTensor("scalar → matrix", List.of(Shape.SCALAR), (g, ps) -> g.broadcast(ps.get(0), Shape.of(B, N)));
    checkTensor("[B,1] → [B,N] (stretched axis)", List.of(Shape.of(B, ONE)), (g, ps) -> g.broadcast(ps.get(0), Shape.of(B, N)));
    checkTensor("[1,N] → [K,B,N]", List.of(Shape.of(ONE, N)), (g, ps) -> g.broadcast(ps.get(0), Shape.of(K, B, N)));
    checkTensor("column map [B] → [B,N]", List.of(Shape.of(B)),
        (g, ps) -> g.broadcast(ps.get(0), List.of(0), Shape.of(B, N)));
  }

  @Test
  void reductionsSpreadTheAdjointBack() {
    for (ReducePrim p : Prims.reductions()) {
      ReduceOp op = p.op();
      checkTensor(op + " all", List.of(Shape.of(B, N)), (g, ps) -> g.reduceAll(op, ps.get(0)));
      checkTensor(op + " axis 0", List.of(Shape.of(B, N)), (g, ps) -> g.reduce(op, ps.get(0), List.of(0)));
      checkTensor(op + " axis 1", List.of(Shape.of(B, N)), (g, ps) -> g.reduce(op, ps.get(0), List.of(1)));
      checkTensor(op + " axes 0,2", List.of(Shape.of(K, B, N)),
          (g, ps) -> g.reduce(op, ps.get(0), List.of(0, 2)));
    }
  }

  @Test
  void tiedMaximaShareTheGradient() {
    // max over copies of one value is that value: its derivative is 1 in total, not once per copy
    for (ReduceOp op : List.of(ReduceOp.MAX, ReduceOp.MIN)) {
      ModelBuilder m = new ModelBuilder();
      Expr p = m.param("p");
      m.let("L", m.g.mul(m.g.reduceAll(op, m.g.broadcast(p, Shape.of(N))), m.c(2)));
      DiffModel d = Differentiator.differentiate(m.build("Ties"));
      Interpreter in = Interpreter.forModel(d.model(), Map.of(), Map.of("p", new double[] {0.4}));
      assertEquals(2, in.scalar(d.adjoint("p").value()), 1e-15, op.toString());
    }
  }

  @Test
  void productsInAllFourRankCombinations() {
    checkTensor("matrix · matrix", List.of(Shape.of(B, N), Shape.of(N, K)), (g, ps) -> g.matmul(ps.get(0), ps.get(1)));
    checkTensor("matrix · vector", List.of(Shape.of(B, N), Shape.of(N)), (g, ps) -> g.matmul(ps.get(0), ps.get(1)));
    checkTensor("vector · matrix", List.of(Shape.of(B), Shape.of(B, N)), (g, ps) -> g.matmul(ps.get(0), ps.get(1)));
    checkTensor("vector · vector", List.of(Shape.of(N), Shape.of(N)), (g, ps) -> g.matmul(ps.get(0), ps.get(1)));
    checkTensor("Aᵀ · A", List.of(Shape.of(B, N)),
        (g, ps) -> g.matmul(g.transpose(ps.get(0)), ps.get(0)));
  }

  @Test
  void transposeSoftmaxAndLogSoftmax() {
    checkTensor("transpose", List.of(Shape.of(B, N)), (g, ps) -> g.transpose(ps.get(0)));
    checkTensor("transpose rank 3", List.of(Shape.of(K, B, N)), (g, ps) -> g.transpose(ps.get(0)));
    checkTensor("softmax last axis", List.of(Shape.of(B, N)), (g, ps) -> g.softmax(ps.get(0), 1));
    checkTensor("softmax axis 0", List.of(Shape.of(B, N)), (g, ps) -> g.softmax(ps.get(0), 0));
    checkTensor("softmax vector", List.of(Shape.of(N)), (g, ps) -> g.softmax(ps.get(0), 0));
    checkTensor("log_softmax last axis", List.of(Shape.of(B, N)), (g, ps) -> g.logSoftmax(ps.get(0), 1));
    checkTensor("log_softmax axis 0 of rank 3", List.of(Shape.of(K, B, N)), (g, ps) -> g.logSoftmax(ps.get(0), 0));
  }

  /** Every elementwise entry on a matrix, at points of its test domain (so broadcasting of the rule is covered). */
  @Test
  void elementwiseOnTensors() {
    for (UnaryPrim p : Prims.unaries()) {
      SplittableRandom r = new SplittableRandom(p.op().name().hashCode());
      double[] points = new double[64];
      for (int j = 0; j < points.length; j++) points[j] = InDomain.point(p.domain(), r);
      checkTensor(p.op() + " on a matrix", List.of(Shape.of(B, N)),
          (g, ps) -> g.unary(p.op(), ps.get(0), InDomain.param(p)), (i, j) -> points[j]);
    }
    for (BinaryPrim p : Prims.binaries()) {
      SplittableRandom r = new SplittableRandom(p.op().name().hashCode());
      double[][] points = new double[2][64];
      for (int j = 0; j < 64; j++) {
        do {
          points[0][j] = InDomain.point(p.domains().get(0), r);
          points[1][j] = InDomain.point(p.domains().get(1), r);
        } while (p.kinkWhereEqual() && Math.abs(points[0][j] - points[1][j]) < 0.05);
      }
      checkTensor(p.op() + " on matrices", List.of(Shape.of(B, N), Shape.of(B, N)),
          (g, ps) -> g.binary(p.op(), ps.get(0), ps.get(1)), (i, j) -> points[i][j]);
    }
  }
}
