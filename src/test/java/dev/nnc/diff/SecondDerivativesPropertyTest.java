package dev.nnc.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.eval.Interpreter;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.simplify.Simplifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Held-out style property (issue 16): for random scalar models from the property generator
 * ({@link RandomScalarModelsTest.Generator}: every registry entry, nesting up to 8), the model is extended with
 * {@code Gᵢ = ∂L/∂xᵢ} and {@code Hᵢⱼ = ∂Gᵢ/∂xⱼ} written as ∂ nodes, and compiled by the real pipeline
 * ({@link Simplifier#differentiate}: expansion, simplification). Every second derivative must agree with
 * <ul>
 *   <li>central differences of the (expanded, simplified) first derivative: 1e-5 relative (h = 1e-5, or Richardson's
 *       extrapolation of h = 1e-3 and h/2 where the third derivative is large);
 *   <li>forward-over-reverse ({@link ForwardMode} tangent of {@code Gᵢ} along {@code eⱼ}): 1e-8 relative;
 *   <li>the interpreter's own semantics of the unexpanded ∂ nodes (the plain reverse pass): 1e-8 relative.
 * </ul>
 * Relative means |a − b| ≤ tol·max(1, |b|). Points near a kink or pole are rejected as in the first-order test.
 */
class SecondDerivativesPropertyTest {
  private static final int MODELS = 300;
  private static final long SEED = 20261130L;

  @Test
  void secondDerivativesOfRandomModelsAgreeWithNumericAndForwardOverReverse() {
    SplittableRandom seeds = new SplittableRandom(SEED);
    int accepted = 0;
    int tried = 0;
    int entries = 0;
    while (accepted < MODELS) {
      assertTrue(tried < MODELS * 20, "too many rejected random models: " + tried);
      long seed = seeds.nextLong();
      tried++;
      RandomScalarModelsTest.Generator gen = new RandomScalarModelsTest.Generator(seed);
      ModelIR base = gen.model();
      Map<String, double[]> values = new HashMap<>();
      for (Expr p : gen.params) values.put(((Expr.Var) p).name(), new double[] {gen.r.nextDouble(-1.5, 1.5)});
      if (!RandomScalarModelsTest.wellConditioned(base, values)) continue;
      Graph g = gen.g;
      Expr loss = base.lossValue().node();
      int k = gen.params.size();
      for (int i = 0; i < k; i++) gen.m.let("G" + i, g.derivative(loss, (Expr.Var) gen.params.get(i)));
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          Expr gi = g.derivative(loss, (Expr.Var) gen.params.get(i));
          gen.m.let("H" + i + "_" + j, g.derivative(gi, (Expr.Var) gen.params.get(j)));
        }
      }
      ModelIR lowered = gen.m.build("Random", base.loss());
      DiffModel d = Simplifier.differentiate(lowered);
      ModelIR m = d.model();
      Interpreter in = Interpreter.forModel(m, Map.of(), values);
      Interpreter plain = Interpreter.forModel(lowered, Map.of(), values);
      boolean usable = true;
      for (int i = 0; i < k && usable; i++) {
        double gi = in.scalar(m.value("G" + i).node());
        usable = Double.isFinite(gi) && Math.abs(gi) < 1e4;
        for (int j = 0; j < k && usable; j++) {
          double h = in.scalar(m.value("H" + i + "_" + j).node());
          usable = Double.isFinite(h) && Math.abs(h) < 1e4;
        }
      }
      if (!usable) continue;
      ForwardMode fm = new ForwardMode(m.graph());
      for (int i = 0; i < k; i++) {
        Expr gi = m.value("G" + i).node();
        for (int j = 0; j < k; j++) {
          String what = "seed " + seed + " at " + values.keySet() + "=" + show(values) + ": ∂²L/∂x" + i + "∂x" + j;
          double s = in.scalar(m.value("H" + i + "_" + j).node());
          Expr.Var xj = (Expr.Var) gen.params.get(j);
          Expr tangent = fm.tangent(gi, Map.of(xj, m.graph().constant(1)));
          double forward = tangent == null ? 0 : in.scalar(tangent);
          check(forward, s, 1e-8, what + " forward-over-reverse");
          check(plain.scalar(lowered.value("H" + i + "_" + j).node()), s, 1e-8, what + " unexpanded ∂ in the interpreter");
          double numeric = central(m, values, gi, xj.name(), 1e-5);
          if (Math.abs(numeric - s) > 1e-5 * Math.max(1, Math.abs(s))) {
            double d1 = central(m, values, gi, xj.name(), 1e-3);
            double d2 = central(m, values, gi, xj.name(), 5e-4);
            check((4 * d2 - d1) / 3, s, 1e-5, what + " central differences of ∂L/∂x" + i + " (h = 1e-5: " + numeric + ")");
          }
          entries++;
        }
      }
      accepted++;
    }
    assertTrue(entries >= MODELS, "checked " + entries + " second derivatives");
  }

  private static double central(ModelIR m, Map<String, double[]> values, Expr of, String x, double h) {
    Map<String, double[]> at = new HashMap<>(values);
    double x0 = values.get(x)[0];
    at.put(x, new double[] {x0 + h});
    double plus = Interpreter.forModel(m, Map.of(), at).scalar(of);
    at.put(x, new double[] {x0 - h});
    double minus = Interpreter.forModel(m, Map.of(), at).scalar(of);
    return (plus - minus) / (2 * h);
  }

  private static void check(double actual, double expected, double tol, String what) {
    if (Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected))) return;
    fail(what + ": " + actual + " vs the symbolic " + expected);
  }

  private static String show(Map<String, double[]> values) {
    List<String> out = new ArrayList<>();
    values.forEach((k, v) -> out.add(k + "=" + v[0]));
    return String.join(" ", out);
  }
}
