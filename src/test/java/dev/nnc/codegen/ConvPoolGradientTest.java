package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import dev.nnc.diff.DiffModel;
import dev.nnc.eval.GradientCheck;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * conv2d, maxpool, avgpool and flatten on random shapes with stride and padding (seeded): every gradient of
 * {@code L = Σ op(…) ⊙ R} (R a fixed random weighting, so that every output entry matters differently) against
 * central differences through the interpreter, and the generated Java against the interpreter (values, gradients,
 * step) — also the second-order rules, by differentiating the gradient of a conv again (the adjoint ops' own rules).
 */
class ConvPoolGradientTest {
  /** A random model over one op; {@code seed} picks the geometry. */
  record Case(String name, String source) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (int seed = 0; seed < 12; seed++) {
      SplittableRandom r = new SplittableRandom(seed * 7919L + 1);
      int b = 1 + r.nextInt(2);
      int c = 1 + r.nextInt(3);
      int f = 1 + r.nextInt(3);
      int s = 1 + r.nextInt(3);
      int p = r.nextInt(3);
      int h = 3 + r.nextInt(6);
      int w = 3 + r.nextInt(6);
      int kh = 1 + r.nextInt(Math.min(h + 2 * p, 4));
      int kw = 1 + r.nextInt(Math.min(w + 2 * p, 4));
      int oh = (h + 2 * p - kh) / s + 1;
      int ow = (w + 2 * p - kw) / s + 1;
      String geometry = (s == 1 ? "" : ", stride=" + s) + (p == 0 ? "" : ", padding=" + p);
      out.add(new Case("conv" + seed + " X[" + b + "," + c + "," + h + "," + w + "] K[" + f + "," + c + "," + kh + ","
          + kw + "]" + geometry,
          "model Conv" + seed + " {\n  input R[" + b + ", " + f + ", " + oh + ", " + ow + "]\n  param X[" + b + ", " + c
              + ", " + h + ", " + w + "] ~ normal(0, 1), K[" + f + ", " + c + ", " + kh + ", " + kw
              + "] ~ normal(0, 1)\n  Y = conv2d(X, K" + geometry + ")\n  L = sum(Y * R)\n}\n"));
      int k = 1 + r.nextInt(3);
      int ph = k * (1 + r.nextInt(3));
      int pw = k * (1 + r.nextInt(3));
      String pool = seed % 2 == 0 ? "maxpool" : "avgpool";
      out.add(new Case(pool + seed + " X[" + b + "," + c + "," + ph + "," + pw + "] k=" + k,
          "model Pool" + seed + " {\n  input R[" + b + ", " + (c * (ph / k) * (pw / k)) + "]\n  param X[" + b + ", " + c
              + ", " + ph + ", " + pw + "] ~ normal(0, 1)\n  P = " + pool + "(X, " + k + ")\n"
              + "  L = sum(tanh(flatten(P)) * R)\n}\n"));
    }
    return out.stream();
  }

  static Map<String, double[]> values(ModelIR m, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Interpreter sizer = new Interpreter(m.graph(), Map.of());
    Map<String, double[]> v = new HashMap<>();
    for (List<ModelIR.Leaf> leaves : List.of(m.inputs(), m.params())) {
      for (ModelIR.Leaf l : leaves) {
        double[] a = new double[sizer.size(l.var().shape())];
        for (int i = 0; i < a.length; i++) a[i] = r.nextDouble(-1, 1);
        v.put(l.name(), a);
      }
    }
    return v;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientsMatchCentralDifferences(Case c) {
    DiffModel d = Pipeline.compile(c.name() + ".nn", c.source(), "t").derivatives().get(0);
    List<GradientCheck.Entry> entries = GradientCheck.check(d, Map.of(), values(d.model(), 5), 60, 3);
    assertTrue(entries.size() > 0);
    for (GradientCheck.Entry e : entries) assertTrue(e.passes(1e-7), c + ": " + e);
    GradientCheck.Directional dir = GradientCheck.directional(d, Map.of(), values(d.model(), 5), 9);
    assertTrue(dir.modesError() < 1e-10, c + ": forward vs reverse " + dir);
    assertTrue(dir.numericError() < 1e-7, c + ": forward vs central differences " + dir);
  }

  @Test
  void generatedJavaAgreesWithTheInterpreter() throws Exception {
    List<Result> results = new ArrayList<>();
    for (Case c : cases().toList()) results.add(Pipeline.compile(c.name() + ".nn", c.source(), "t"));
    assertTrue(Pipeline.compileAndAgree(results, 11) > 1000);
  }

  @Test
  void aStackOfLayersChecksEntryByEntry() {
    // conv → relu → maxpool → conv (stride 2, padding 1) → avgpool → flatten → dense: every param entry checked.
    String source = "model Stack {\n  input X[2, 2, 8, 8], T[2, 3]\n"
        + "  param K1[3, 2, 3, 3] ~ normal(0, 0.5), K2[2, 3, 2, 2] ~ normal(0, 0.5), W[2, 3] ~ normal(0, 0.5)\n"
        + "  A = maxpool(relu(conv2d(X, K1, padding=1)), 2)\n  B = avgpool(conv2d(A, K2, stride=2, padding=1), 3)\n"
        + "  Z = flatten(B) W\n  L = −sum(T * log_softmax(Z)) / 2\n}\n";
    Result r = Pipeline.compile("stack.nn", source, "t");
    DiffModel d = r.derivatives().get(0);
    assertEquals("[2, 2, 1, 1]", d.model().value("B").node().shape().toString());
    List<GradientCheck.Entry> entries = GradientCheck.check(d, Map.of(), values(d.model(), 2), 200, 3);
    assertEquals(3 * 2 * 3 * 3 + 2 * 3 * 2 * 2 + 2 * 3, entries.size());
    for (GradientCheck.Entry e : entries) assertTrue(e.passes(1e-7), e.toString());
  }
}
