package dev.nnc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Source;
import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.diff.Differentiator;
import dev.nnc.diff.Rewrite;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The course examples through parse → check → diff → simplify. */
class ExamplesEndToEndTest {
  static ModelIR lower(String file) throws IOException {
    Path path = Path.of("examples", file);
    Result r = Compiler.compile(Source.of(path.toString(), Files.readString(path)),
        Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    assertFalse(r.hasErrors(), () -> r.diagnostics().toString());
    return r.models().get(0);
  }

  static String show(DiffModel d, String name) {
    return ExprText.of(d.model()).print(d.adjoint(name).value());
  }

  @Test
  void logisticRegression() throws IOException {
    DiffModel d = Simplifier.simplifyStrictly(Differentiator.differentiate(lower("logistic_regression.nn")));
    assertEquals("a − y", show(d, "z"));
    assertEquals("(a − y)·x", show(d, "w"));
    assertEquals("a − y", show(d, "b"));
    assertEquals(List.of(new Rewrite("L", "log(a) → −softplus(−z)"), new Rewrite("L", "log(1−a) → −softplus(z)")),
        d.rewrites());
  }

  @Test
  void batchedLogisticRegression() throws IOException {
    DiffModel d = Simplifier.simplifyStrictly(Differentiator.differentiate(lower("logistic_regression_batch.nn")));
    assertEquals("(A − Y)/m", show(d, "Z"));
    assertEquals("(A − Y)/(m·A·(1 − A))", show(d, "A"));
    assertEquals("X @ ((A − Y)/m)", show(d, "w"));
    assertEquals("sum((A − Y)/m)", show(d, "b"));
  }

  @Test
  void courseExamples() throws IOException {
    DiffModel j = Simplifier.simplifyStrictly(Differentiator.differentiate(lower("computation_graph.nn")));
    assertEquals("3", show(j, "a"));
    assertEquals("3·c", show(j, "b"));
    assertEquals("3·b", show(j, "c"));
  }

  @Test
  void deterministic() throws IOException {
    for (String file : new String[] {"logistic_regression_batch.nn", "two_layer_net.nn"}) {
      List<String> first = new ArrayList<>();
      List<String> second = new ArrayList<>();
      for (List<String> out : List.of(first, second)) {
        DiffModel d = Simplifier.simplifyStrictly(Differentiator.differentiate(lower(file)));
        for (Adjoint a : d.adjoints()) out.add(a.name() + " = " + show(d, a.name()) + " #" + a.value().id());
      }
      assertEquals(first, second, file);
    }
  }

  /** Simplified and unsimplified reverse passes agree on random data; the simplified one is no larger. */
  @ParameterizedTest
  @ValueSource(strings = {"logistic_regression.nn", "logistic_regression_batch.nn", "two_layer_net.nn",
      "computation_graph.nn", "apple.nn"})
  void simplifiedAgreesWithTheChainRule(String file) throws IOException {
    ModelIR model = lower(file);
    DiffModel before = Differentiator.differentiate(model);
    DiffModel after = Simplifier.simplifyStrictly(before);
    List<Expr> forward = new ArrayList<>();
    for (ModelIR.Value v : model.values()) forward.add(v.node());
    assertTrue(Simplifier.backwardOperations(forward, after.adjoints())
        <= Simplifier.backwardOperations(forward, before.adjoints()));
    Interpreter in = Interpreter.forModel(after.model(), Map.of("n", 3, "m", 4, "B", 2), randomLeaves(model, 1));
    for (Adjoint a : before.adjoints()) {
      double[] expected = in.eval(a.value());
      double[] actual = in.eval(after.adjoint(a.name()).value());
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], actual[i], 1e-10 * (1 + Math.abs(expected[i])), "∂/∂" + a.name() + "[" + i + "]");
      }
    }
    for (ModelIR.Value v : model.values()) {
      double[] expected = in.eval(v.node());
      double[] actual = in.eval(after.model().value(v.name()).node());
      for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-10, v.name() + "[" + i + "]");
    }
  }

  /** Issue 5: no NaN or infinity in the loss or any param gradient for logits up to ±800. */
  @ParameterizedTest
  @ValueSource(doubles = {800, -800, 400, 40})
  void saturatedLogitsStayFinite(double logit) throws IOException {
    ModelIR lr = lower("logistic_regression_batch.nn");
    DiffModel d = Simplifier.simplifyStrictly(Differentiator.differentiate(lr));
    Map<String, double[]> v = new HashMap<>();
    v.put("X", new double[] {1, -1, 0.5, -0.5}); // n = 1, m = 4: Z = ±logit, ±logit/2
    v.put("Y", new double[] {0, 1, 1, 0});
    v.put("w", new double[] {logit});
    v.put("b", new double[] {0});
    assertFinite(d, Interpreter.forModel(d.model(), Map.of("n", 1, "m", 4), v), "LogisticRegressionBatch");
    if (Math.abs(logit) == 800) { // the chain rule as written does produce NaN there: the rewrites are what help
      DiffModel raw = Differentiator.differentiate(lr);
      double[] dw = Interpreter.forModel(lr, Map.of("n", 1, "m", 4), v).eval(raw.adjoint("w").value());
      assertTrue(Double.isNaN(dw[0]), "unsimplified ∂J/∂w = " + dw[0]);
    }

    ModelIR net = lower("two_layer_net.nn");
    DiffModel dn = Simplifier.simplifyStrictly(Differentiator.differentiate(net));
    Map<String, double[]> leaves = randomLeaves(net, 2);
    double[] w2 = leaves.get("W2");
    for (int i = 0; i < w2.length; i++) w2[i] = (i % 3 == 0 ? 2 : -2) * logit; // A2 = Z1 W2 + b2 reaches ±logit
    assertFinite(dn, Interpreter.forModel(dn.model(), Map.of("B", 2), leaves), "TwoLayerNet");
  }

  private static void assertFinite(DiffModel d, Interpreter in, String what) {
    for (double x : in.eval(d.model().lossValue().node())) assertTrue(Double.isFinite(x), what + " loss " + x);
    for (Adjoint a : d.adjoints()) {
      if (a.kind() != Adjoint.Kind.PARAM) continue;
      for (double x : in.eval(a.value())) assertTrue(Double.isFinite(x), what + " ∂/∂" + a.name() + " " + x);
    }
  }

  private static Map<String, double[]> randomLeaves(ModelIR model, long seed) {
    Random random = new Random(seed);
    Map<String, Integer> dims = Map.of("n", 3, "m", 4, "B", 2);
    Map<String, double[]> values = new HashMap<>();
    List<ModelIR.Leaf> leaves = new ArrayList<>(model.inputs());
    leaves.addAll(model.params());
    Interpreter sizes = new Interpreter(model.graph(), dims);
    for (ModelIR.Leaf leaf : leaves) {
      double[] v = new double[sizes.size(leaf.var().shape())];
      boolean probability = leaf.name().equals("y") || leaf.name().equals("Y") || leaf.name().equals("T");
      for (int i = 0; i < v.length; i++) v[i] = probability ? random.nextInt(2) : random.nextGaussian() * 0.5;
      values.put(leaf.name(), v);
    }
    return values;
  }
}
