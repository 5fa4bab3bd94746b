package dev.nnc.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Source;
import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the gradient check passes exact gradients that plain central differences fail (a cubic, an exact zero)
 * and still fails a gradient that is wrong by a little.
 */
class HonestGradientCheckTest {
  private static DiffModel compile(String text) {
    Result r = Compiler.compile(Source.of("t.nn", text), Compiler.Options.defaults().stopAfter(Compiler.Stage.DIFF));
    assertTrue(!r.hasErrors(), r.diagnostics().toString());
    return r.derivatives().get(0);
  }

  private static Map<String, double[]> random(DiffModel d, long seed) {
    return random(d, seed, 2);
  }

  /** Params uniform in (−scale, scale), inputs in (0.1, 0.9). */
  private static Map<String, double[]> random(DiffModel d, long seed, double scale) {
    SplittableRandom random = new SplittableRandom(seed);
    java.util.HashMap<String, double[]> values = new java.util.HashMap<>();
    Interpreter sizer = new Interpreter(d.model().graph(), Map.of());
    for (ModelIR.Leaf leaf : d.model().params()) {
      double[] v = new double[sizer.size(leaf.var().shape())];
      for (int i = 0; i < v.length; i++) v[i] = random.nextDouble(-scale, scale);
      values.put(leaf.name(), v);
    }
    for (ModelIR.Leaf leaf : d.model().inputs()) {
      double[] v = new double[sizer.size(leaf.var().shape())];
      for (int i = 0; i < v.length; i++) v[i] = random.nextDouble(0.1, 0.9);
      values.put(leaf.name(), v);
    }
    return values;
  }

  /** The largest relative error among the entries that are not within rounding noise (0 if none). */
  private static double worst(DiffModel d, Map<String, double[]> values) {
    double max = 0;
    for (GradientCheck.Entry e : GradientCheck.check(d, Map.of(), values, 100, 1)) {
      if (!e.withinNoise()) max = Math.max(max, e.error());
    }
    return max;
  }

  @Test
  void aCubicPassesWherePlainCentralDifferencesFail() {
    DiffModel d = compile("param W[2, 2]\nL = sum(W W W)\n");
    for (long seed = 1; seed <= 5; seed++) {
      Map<String, double[]> values = random(d, seed);
      assertTrue(worst(d, values) < 1e-9, "seed " + seed + ": " + worst(d, values));
    }
    // The old check — plain central differences, h = 1e-4 — fails at the points nnc gradcheck draws for W (its
    // initialiser, normal(0, 0.01)): there the h² term is large relative to the gradient 3W².
    double old = 0;
    ModelIR.Leaf w = d.model().params().get(0);
    for (long seed = 1; seed <= 50; seed++) {
      Map<String, double[]> values = random(d, seed, 0.02);
      double[] symbolic = Interpreter.forModel(d.model(), Map.of(), values).eval(d.adjoint("W").value());
      for (int i = 0; i < 4; i++) {
        double central = GradientCheck.centralDifference(d.model(), Map.of(), values, w, i, 1e-4);
        old = Math.max(old, GradientCheck.relativeError(symbolic[i], central));
      }
      assertTrue(worst(d, values) < 1e-9, "seed " + seed + ": " + worst(d, values));
    }
    assertTrue(old > 1e-6, "the h² error the extrapolation removes is really there: " + old);
  }

  @Test
  void anExactZeroGradientPasses() {
    // ∂L/∂b is exactly 0 (b − b), but L is large, so the differences carry rounding noise of ~1e-11.
    DiffModel d = compile("param a, b\nL = 1000 a² + 7 a + (b − b) + 3\n");
    for (long seed = 1; seed <= 20; seed++) {
      Map<String, double[]> values = random(d, seed);
      double numeric = GradientCheck.centralDifference(d.model(), Map.of(), values, d.model().params().get(1), 0,
          1e-4);
      assertEquals(0, Interpreter.forModel(d.model(), Map.of(), values).scalar(d.adjoint("b").value()));
      GradientCheck.Entry b = GradientCheck.check(d, Map.of(), values, 100, 1).get(1);
      assertTrue(b.passes(1e-6) && b.withinNoise(), "seed " + seed + ": " + b + " (plain: " + numeric + ")");
      if (numeric != 0) assertTrue(GradientCheck.relativeError(0, numeric) > 1e-6, "the old check cried wolf");
    }
  }

  @Test
  void aSlightlyWrongGradientStillFails() {
    DiffModel exact = compile("param W[2, 2]\ninput x[2]\nL = sum(σ(W x))² + sum(W W W)\n");
    List<Adjoint> broken = new ArrayList<>();
    for (Adjoint a : exact.adjoints()) {
      if (!a.name().equals("W")) {
        broken.add(a);
        continue;
      }
      Expr off = exact.model().graph().mul(a.value(),
          exact.model().graph().constant(1 + 1e-4, a.value().shape()));
      broken.add(a.withValue(off)); // a deliberately broken rule: 0.01 % too large
    }
    DiffModel wrong = new DiffModel(exact.model(), broken, exact.rewrites());
    for (long seed = 1; seed <= 5; seed++) {
      Map<String, double[]> values = random(exact, seed);
      assertTrue(worst(exact, values) < 1e-8, "exact, seed " + seed + ": " + worst(exact, values));
      assertTrue(worst(wrong, values) > 1e-6, "broken, seed " + seed + ": " + worst(wrong, values));
    }
  }
}
