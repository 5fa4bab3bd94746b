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
import dev.nnc.ir.ModelIR;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stability rewrites fix the forward values; the simplifier's cancellations fix the gradients that the
 * chain rule writes with a division by the saturating value (∂ log S/∂S = 1/S, then · S).
 */
class StableGradientsTest {
  private static DiffModel compile(String text) {
    return Simplifier.simplifyStrictly(Differentiator.differentiate(lower(text)));
  }

  private static ModelIR lower(String text) {
    Result r = Compiler.compile(Source.of("inline.nn", text), Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    assertFalse(r.hasErrors(), () -> r.diagnostics().toString());
    return r.models().get(0);
  }

  private static void assertFinite(DiffModel d, Map<String, Integer> dims, Map<String, double[]> values) {
    Interpreter in = Interpreter.forModel(d.model(), dims, values);
    for (double x : in.eval(d.model().lossValue().node())) assertTrue(Double.isFinite(x), "loss " + x);
    for (Adjoint a : d.adjoints()) {
      if (a.kind() != Adjoint.Kind.PARAM) continue;
      for (double x : in.eval(a.value())) assertTrue(Double.isFinite(x), "∂/∂" + a.name() + " " + x);
    }
  }

  @Test
  void crossEntropyOfSoftmaxWithoutEpsilon() {
    String source = """
        model Softmaxed {
          dim B, O = 3
          input T[B, O]
          param X[B, O]
          L = −sum(T * log(softmax(X))) / B
        }
        """;
    DiffModel d = compile(source);
    assertEquals(1, d.rewrites().size());
    assertTrue(d.rewrites().get(0).description().contains("log_softmax"), d.rewrites().toString());
    String dx = ExprText.of(d.model()).print(d.adjoint("X").value());
    assertFalse(dx.contains("/softmax") || dx.contains("/(softmax"), "no division by the softmax left: " + dx);
    Map<String, double[]> v = new HashMap<>();
    v.put("T", new double[] {1, 0, 0, 0, 0, 1});
    v.put("X", new double[] {-800, 800, 0, 800, -800, 0}); // the true class gets probability e^−1600 = 0
    assertFinite(d, Map.of("B", 2), v);
    DiffModel raw = Differentiator.differentiate(lower(source));
    double[] chainRule = Interpreter.forModel(raw.model(), Map.of("B", 2), v).eval(raw.adjoint("X").value());
    assertTrue(Double.isNaN(chainRule[0]), "the unsimplified gradient is NaN there: " + chainRule[0]);
  }

  @Test
  void negativeLogSigmoid() {
    DiffModel d = compile("""
        model Neuron {
          input x
          param w
          a = σ(w x)
          L = −log(a)
        }
        """);
    assertEquals(List.of(new Rewrite("L", "log(a) → −softplus(−w x)")), d.rewrites());
    for (double x : new double[] {-800, 800}) {
      assertFinite(d, Map.of(), Map.of("x", new double[] {x}, "w", new double[] {1}));
    }
  }
}
