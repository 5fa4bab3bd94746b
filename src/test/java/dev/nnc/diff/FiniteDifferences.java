package dev.nnc.diff;

import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.eval.GradientCheck;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import java.util.Map;

/** Checks every gradient entry of a model against central differences. */
final class FiniteDifferences {
  private FiniteDifferences() {}

  /**
   * Fails unless every entry of every param's symbolic gradient agrees with central differences: with h = 1e-4
   * (the course's), or — where the third derivative is large — with Richardson's extrapolation of h = 1e-3 and
   * h/2 (error O(h⁴)); agreement means |s − n| ≤ tol·max(1, |s|).
   */
  static void assertGradients(DiffModel d, Map<String, Integer> dims, Map<String, double[]> values, double tol,
      String what) {
    String problem = firstMismatch(d, dims, values, tol);
    if (problem != null) fail(what + ": " + problem);
  }

  static String firstMismatch(DiffModel d, Map<String, Integer> dims, Map<String, double[]> values, double tol) {
    ModelIR ir = d.model();
    Interpreter in = Interpreter.forModel(ir, dims, values);
    for (ModelIR.Leaf p : ir.params()) {
      double[] s = in.eval(d.adjoint(p.name()).value());
      for (int i = 0; i < s.length; i++) {
        double bound = tol * Math.max(1, Math.abs(s[i]));
        double central = GradientCheck.centralDifference(ir, dims, values, p, i, 1e-4);
        if (Math.abs(central - s[i]) <= bound) continue;
        double d1 = GradientCheck.centralDifference(ir, dims, values, p, i, 1e-3);
        double d2 = GradientCheck.centralDifference(ir, dims, values, p, i, 5e-4);
        double richardson = (4 * d2 - d1) / 3;
        if (Math.abs(richardson - s[i]) <= bound) continue;
        return "∂" + ir.loss() + "/∂" + p.name() + "[" + i + "]: symbolic " + s[i] + ", central difference " + central
            + ", extrapolated " + richardson;
      }
    }
    return null;
  }
}
