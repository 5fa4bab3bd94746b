package dev.nnc.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.DiagnosticRenderer;
import dev.nnc.diag.Source;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.ModelIR;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Backpropagation through time in the interpreter (the reference semantics): every gradient of an Elman RNN — with a
 * loss on the last step and with a loss on every step — against central differences, for T = 1, 2 and 50.
 */
class RecurrenceGradientTest {
  static final String LAST = """
      model Elman {
        dim T, I = 2, H = 3
        input X[T, I], y
        param Wx[I, H] ~ normal(0, 0.5), Wh[H, H] ~ normal(0, 0.5), b[H], h0[H], v[H], c
        h[0] = h0
        h[t] = tanh(h[t−1] Wh + X[t] Wx + b)
        p = σ(h[T] · v + c)
        L = −(y log p + (1 − y) log(1 − p))
      }
      """;

  static final String EVERY = """
      model ElmanEvery {
        dim T, I = 2, H = 3
        input X[T, I], Y[T]
        param Wx[I, H] ~ normal(0, 0.5), Wh[H, H] ~ normal(0, 0.5), b[H], h0[H], v[H]
        h[0] = h0
        h[t] = tanh(h[t−1] Wh + X[t] Wx + b)
        L = sum((h v − Y)²) / T
      }
      """;

  static DiffModel compile(String text) {
    Result r = Compiler.compile(Source.of("rnn.nn", text), Compiler.Options.defaults().stopAfter(Compiler.Stage.DIFF));
    StringBuilder msg = new StringBuilder();
    r.diagnostics().forEach(d -> msg.append(DiagnosticRenderer.render(r.source(), d)));
    assertFalse(r.hasErrors(), msg.toString());
    return r.derivatives().get(0);
  }

  static Map<String, double[]> values(ModelIR m, Map<String, Integer> dims, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Interpreter sizer = new Interpreter(m.graph(), dims);
    Map<String, double[]> v = new HashMap<>();
    for (List<ModelIR.Leaf> leaves : List.of(m.inputs(), m.params())) {
      for (ModelIR.Leaf l : leaves) {
        double[] a = new double[sizer.size(l.var().shape())];
        for (int i = 0; i < a.length; i++) a[i] = l.name().equals("y") ? 1 : r.nextDouble(-1, 1);
        v.put(l.name(), a);
      }
    }
    return v;
  }

  @ParameterizedTest(name = "T = {0}")
  @ValueSource(ints = {1, 2, 50})
  void lossOnTheLastStep(int steps) {
    check(compile(LAST), steps);
  }

  @ParameterizedTest(name = "T = {0}")
  @ValueSource(ints = {1, 2, 50})
  void lossOnEveryStep(int steps) {
    check(compile(EVERY), steps);
  }

  private static void check(DiffModel d, int steps) {
    Map<String, Integer> dims = Map.of("T", steps);
    List<GradientCheck.Entry> entries = GradientCheck.check(d, dims, values(d.model(), dims, 7 + steps), 100, 3);
    // every entry of Wx (6), Wh (9), b (3), h0 (3), v (3) (+ c): nothing sampled away
    assertTrue(entries.size() >= 24, "entries " + entries.size());
    int nonzero = 0;
    for (GradientCheck.Entry e : entries) {
      assertTrue(e.passes(1e-7), "T=" + steps + ": " + e);
      if (Math.abs(e.symbolic()) > 1e-6) nonzero++;
    }
    assertTrue(nonzero > entries.size() / 2, "most gradients are not zero: " + nonzero + " of " + entries.size());
  }
}
