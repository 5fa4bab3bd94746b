package dev.nnc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.eval.Interpreter;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.UnaryOp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The course's worked examples, the shape of the output, and the explanation record. */
class DifferentiatorTest {
  static ModelIR computationGraph() {
    ModelBuilder m = new ModelBuilder();
    Expr a = m.param("a");
    Expr b = m.param("b");
    Expr c = m.param("c");
    m.let("J", m.g.mul(m.c(3), m.g.add(a, m.g.mul(b, c))));
    return m.build("ComputationGraph");
  }

  static ModelIR apple() {
    ModelBuilder m = new ModelBuilder();
    Expr apple = m.param("apple");
    Expr num = m.param("apple_num");
    Expr tax = m.param("tax");
    m.let("price", m.g.mul(m.g.mul(apple, num), tax));
    return m.build("Apple");
  }

  /** The scalar logistic regression of LANGUAGE.md §1, lowered by hand. */
  static ModelIR logisticRegression() {
    ModelBuilder m = new ModelBuilder();
    Graph g = m.g;
    Dim n = m.dim("n");
    Expr x = m.input("x", n);
    Expr y = m.input("y");
    Expr w = m.param("w", n);
    Expr b = m.param("b");
    Expr z = m.let("z", g.add(g.matmul(w, x), b));
    Expr a = m.let("a", g.unary(UnaryOp.SIGMOID, z));
    m.let("L", g.neg(g.add(g.mul(y, g.unary(UnaryOp.LOG, a)),
        g.mul(g.sub(m.c(1), y), g.unary(UnaryOp.LOG, g.sub(m.c(1), a))))));
    return m.build("LogisticRegression");
  }

  static Map<String, double[]> scalars(Object... nameValue) {
    Map<String, double[]> v = new HashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      Object x = nameValue[i + 1];
      v.put((String) nameValue[i], x instanceof double[] d ? d : new double[] {((Number) x).doubleValue()});
    }
    return v;
  }

  static double grad(DiffModel d, Interpreter in, String name) {
    return in.scalar(d.adjoint(name).value());
  }

  @Test
  void computationGraphAtFiveThreeTwo() {
    DiffModel d = Differentiator.differentiate(computationGraph());
    Interpreter in = Interpreter.forModel(d.model(), Map.of(), scalars("a", 5, "b", 3, "c", 2));
    assertEquals(33, in.scalar(d.model().lossValue().node()));
    assertEquals(3, grad(d, in, "a"));
    assertEquals(6, grad(d, in, "b"));
    assertEquals(9, grad(d, in, "c"));
  }

  @Test
  void computationGraphAtSevenFourTwo() {
    DiffModel d = Differentiator.differentiate(computationGraph());
    Interpreter in = Interpreter.forModel(d.model(), Map.of(), scalars("a", 7, "b", 4, "c", 2));
    assertEquals(45, in.scalar(d.model().lossValue().node()));
    assertEquals(3, grad(d, in, "a"));
    assertEquals(6, grad(d, in, "b"));
    assertEquals(12, grad(d, in, "c")); // 3·b; a widely copied note prints 9 here
  }

  @Test
  void appleExample() {
    DiffModel d = Differentiator.differentiate(apple());
    Interpreter in = Interpreter.forModel(d.model(), Map.of(), scalars("apple", 100, "apple_num", 2, "tax", 1.1));
    // binary floating point, exactly as the course's Python prints it: 220.00000000000003, 110.00000000000001
    assertEquals(220, in.scalar(d.model().lossValue().node()), 1e-12);
    assertEquals(2.2, grad(d, in, "apple"), 1e-15);
    assertEquals(110, grad(d, in, "apple_num"), 1e-12);
    assertEquals(200, grad(d, in, "tax"), 0);
  }

  @Test
  void logisticRegressionDzIsAMinusYNumerically() {
    DiffModel d = Differentiator.differentiate(logisticRegression());
    double[][] points = {{0.3, -1.2, 0.5, 1, 0.1}, {2, 0.4, -0.7, 0, -0.3}, {-1, -1, 1, 1, 2}};
    for (double[] p : points) {
      Map<String, double[]> v = scalars("x", new double[] {p[0], p[1]}, "w", new double[] {p[2], p[1] / 2},
          "y", p[3], "b", p[4]);
      Interpreter in = Interpreter.forModel(d.model(), Map.of("n", 2), v);
      double a = in.scalar(d.model().value("a").node());
      assertEquals(a - p[3], grad(d, in, "z"), 1e-12);
      assertEquals(a - p[3], grad(d, in, "b"), 1e-12);
      double[] dw = in.eval(d.adjoint("w").value());
      assertEquals((a - p[3]) * p[0], dw[0], 1e-12);
      assertEquals((a - p[3]) * p[1], dw[1], 1e-12);
    }
  }

  @Test
  void adjointsComeLossFirstThenReverseDefinitionOrderThenParams() {
    DiffModel d = Differentiator.differentiate(logisticRegression());
    List<String> names = d.adjoints().stream().map(Adjoint::name).toList();
    assertEquals(List.of("L", "a", "z", "w", "b"), names);
    List<Adjoint.Kind> kinds = d.adjoints().stream().map(Adjoint::kind).toList();
    assertEquals(List.of(Adjoint.Kind.LOSS, Adjoint.Kind.VALUE, Adjoint.Kind.VALUE, Adjoint.Kind.PARAM,
        Adjoint.Kind.PARAM), kinds);
  }

  @Test
  void explanationIsTheChainRuleStepInModelNotation() {
    DiffModel d = Differentiator.differentiate(logisticRegression());
    Adjoint z = d.adjoint("z");
    assertEquals("∂L/∂a · ∂a/∂z", Steps.chain(d, "z"));
    assertEquals("∂L/∂a · a(1−a)", Steps.local(d, "z"));
    Adjoint w = d.adjoint("w");
    assertEquals("∂L/∂z · ∂z/∂w", Steps.chain(d, "w"));
    assertEquals("∂L/∂z · x", Steps.local(d, "w"));
    assertEquals("∂L/∂a", Steps.chain(d, "a"));
    assertEquals("", Steps.chain(d, "L"));
  }

  @Test
  void fanOutSumsOverConsumersInDefinitionOrder() {
    ModelBuilder m = new ModelBuilder();
    Graph g = m.g;
    Expr x = m.param("x");
    Expr p = m.let("p", g.unary(UnaryOp.SIN, x));
    Expr q = m.let("q", g.mul(x, x));
    m.let("L", g.add(g.mul(p, q), x));
    DiffModel d = Differentiator.differentiate(m.build("FanOut"));
    Adjoint ax = d.adjoint("x");
    assertEquals("∂L/∂p · ∂p/∂x + ∂L/∂q · ∂q/∂x + ∂L/∂x", Steps.chain(d, "x"));
    assertEquals("∂L/∂p · cos(x) + ∂L/∂q · x + ∂L/∂q · x + 1", Steps.local(d, "x"));
    double xv = 0.7;
    Interpreter in = Interpreter.forModel(d.model(), Map.of(), scalars("x", xv));
    double expected = Math.cos(xv) * xv * xv + Math.sin(xv) * 2 * xv + 1;
    assertEquals(expected, in.scalar(ax.value()), 1e-12);
  }

  @Test
  void valuesAndParamsThatDoNotReachTheLossHaveZeroAdjoints() {
    ModelBuilder m = new ModelBuilder();
    Graph g = m.g;
    Expr x = m.param("x");
    Expr unused = m.param("u");
    m.let("L", g.mul(x, x));
    m.let("P", g.unary(UnaryOp.EXP, unused));
    DiffModel d = Differentiator.differentiate(m.build("Partial", "L"));
    assertTrue(Graph.isConst(d.adjoint("u").value(), 0));
    assertTrue(Graph.isConst(d.adjoint("P").value(), 0));
    assertEquals(List.of("L", "P", "x", "u"), d.adjoints().stream().map(Adjoint::name).toList());
  }

  /** v0 = 0.5 x + 1, v1 = 0.5 v0 + 1, …: n statements, each reading the one before. */
  private static dev.nnc.ir.ModelIR chain(int n) {
    ModelBuilder m = new ModelBuilder();
    Graph g = m.g;
    Expr prev = m.param("x");
    for (int i = 0; i < n; i++) prev = m.let("v" + i, g.add(g.mul(m.c(0.5), prev), m.c(1)));
    return m.build("Chain");
  }

  @Test
  void twentyThousandStatementChainIsLinearAndIterative() {
    int n = 20_000;
    dev.nnc.ir.ModelIR model = chain(n);
    DiffModel d = dev.nnc.Cost.onSmallStack(() -> Differentiator.differentiate(model)); // iterative: no frame per statement
    assertEquals(n + 1, d.adjoints().size());
    Interpreter in = Interpreter.forModel(d.model(), Map.of(), scalars("x", 3));
    assertEquals(Math.pow(0.5, n), in.scalar(d.adjoint("x").value()), 1e-300);
    assertEquals(0.5, in.scalar(d.adjoint("v" + (n - 2)).value()));
    dev.nnc.Cost.assertNearLinear(2_500, size -> { // linear: 4× the statements, about 4× the CPU time
      dev.nnc.ir.ModelIR c = chain(size);
      return () -> Differentiator.differentiate(c);
    });
  }

  @Test
  void thousandDeepNestingOfFunctions() {
    ModelBuilder m = new ModelBuilder();
    Graph g = m.g;
    Expr x = m.param("x");
    Expr e = x;
    UnaryOp[] ops = {UnaryOp.SIN, UnaryOp.TANH, UnaryOp.SIGMOID};
    for (int i = 0; i < 1000; i++) e = g.unary(ops[i % 3], e);
    m.let("L", e);
    DiffModel d = Differentiator.differentiate(m.build("Deep"));
    double h = 1e-5;
    double x0 = 0.3;
    double up = Interpreter.forModel(d.model(), Map.of(), scalars("x", x0 + h)).scalar(e);
    double down = Interpreter.forModel(d.model(), Map.of(), scalars("x", x0 - h)).scalar(e);
    double symbolic = Interpreter.forModel(d.model(), Map.of(), scalars("x", x0)).scalar(d.adjoint("x").value());
    assertEquals((up - down) / (2 * h), symbolic, 1e-9 + 1e-6 * Math.abs(symbolic));
    // the local form is IR; printing it is bounded only where a caller asks (nnc grad: 600 characters, then …)
    String local = dev.nnc.notation.Derivations.local(d.adjoint("x").steps(), d.explanation(),
        dev.nnc.notation.MathPrinter.Notation.UNICODE, 600);
    assertEquals(601, local.length());
    assertTrue(local.endsWith("…"), local);
    assertTrue(Steps.local(d, "x").length() > 601, "the form itself is complete");
  }
}
