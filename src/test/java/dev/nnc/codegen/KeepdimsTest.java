package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import dev.nnc.diff.DiffModel;
import dev.nnc.eval.GradientCheck;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code keepdims}: a reduction keeps its reduced axes with extent 1, so a row-wise softmax can be written by hand
 * ({@code Z − max(Z, axis=1, keepdims)}); its values equal the built-in softmax, its gradients central differences,
 * and the generated Java the interpreter.
 */
class KeepdimsTest {
  private static final String MODEL = """
      model RowSoftmax {
        dim B = 3, N = 4
        input S[B, N], T[B, N]
        param W[N, N] ~ normal(0, 0.5)
        Z = S W
        M = max(Z, axis=1, keepdims)
        E = exp(Z − M)
        P = E / sum(E, axis=1, keepdims)
        Q = softmax(Z)
        C = mean(Z, keepdims)
        D = Z − mean(Z, axis=0, keepdims) + min(Z, axis=-1, keepdims) + logsumexp(Z, axis=1, keepdims)
        L = −sum(T * log P) / B + sum(C) + sum(D) / 100
        output P, Q
      }
      """;

  private static Map<String, double[]> values(ModelIR m) {
    SplittableRandom r = new SplittableRandom(7);
    Map<String, double[]> v = new HashMap<>();
    for (String n : List.of("S", "T", "W")) {
      double[] a = new double[n.equals("W") ? 16 : 12];
      for (int i = 0; i < a.length; i++) a[i] = r.nextDouble(-1, 1);
      v.put(n, a);
    }
    return v;
  }

  @Test
  void shapesKeepTheReducedAxesWithExtentOne() {
    ModelIR m = Pipeline.compile("k.nn", MODEL, "k").derivatives().get(0).model();
    assertEquals("[B, 1]", m.value("M").node().shape().toString());
    assertEquals("[1, 1]", m.value("C").node().shape().toString());
    assertEquals("[B, N]", m.value("D").node().shape().toString());
  }

  @Test
  void handWrittenSoftmaxEqualsTheBuiltIn() {
    ModelIR m = Pipeline.compile("k.nn", MODEL, "k").derivatives().get(0).model();
    Interpreter in = Interpreter.forModel(m, Map.of(), values(m));
    double[] p = in.eval(m.value("P").node());
    double[] q = in.eval(m.value("Q").node());
    for (int i = 0; i < p.length; i++) assertEquals(q[i], p[i], 1e-15, "entry " + i);
    double[] max = in.eval(m.value("M").node());
    double[] z = in.eval(m.value("Z").node());
    for (int b = 0; b < 3; b++) {
      double expected = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < 4; j++) expected = Math.max(expected, z[b * 4 + j]);
      assertEquals(expected, max[b], 0, "row max " + b);
    }
  }

  @Test
  void gradientsMatchCentralDifferencesAndTheGeneratedJavaTheInterpreter() throws Exception {
    Result r = Pipeline.compile("k.nn", MODEL, "k");
    DiffModel d = r.derivatives().get(0);
    List<GradientCheck.Entry> entries = GradientCheck.check(d, Map.of(), values(d.model()), 100, 1);
    assertEquals(16, entries.size());
    for (GradientCheck.Entry e : entries) assertTrue(e.passes(1e-7), e.toString());
    assertTrue(Pipeline.compileAndAgree(List.of(r), 3) > 0);
  }
}
