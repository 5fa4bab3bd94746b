package dev.nnc.eval;

import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.ModelIR;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The course's gradient check: the symbolic gradient (the interpreted adjoint) against central differences, entry
 * by entry — made honest, so that it does not fail exact gradients:
 * <ul>
 *   <li>the numeric value is the Richardson extrapolation {@code (4·D(h/2) − D(h))/3} of the central differences
 *       {@code D(h) = (L(θ + h) − L(θ − h))/2h}, h = 1e-4: its error is O(h⁴) instead of O(h²), so the h² term of a
 *       cubic (e.g. {@code sum(W W W)}, where plain central differences are off by 1.2e-5 relatively) cancels;
 *   <li>a difference no larger than the rounding noise of the differences themselves — {@link #NOISE_ULPS} units of
 *       ε·max|L(θ ± h)|/h — counts as agreement, so an exact gradient of 0 (numerically about 1e-11) passes.
 * </ul>
 * Relative error: {@code |s − n| / max(|s| + |n|, 1e-8)} — symmetric, 0 when both agree exactly. An entry passes
 * when its relative error is below the tolerance or its difference is within the noise.
 */
public final class GradientCheck {
  public static final double H = 1e-4;
  public static final double FLOOR = 1e-8;
  /** The rounding noise of a difference quotient, in units of ε·|L|/h (a loss is a sum of many rounded terms). */
  public static final double NOISE_ULPS = 64;

  private GradientCheck() {}

  /** One checked entry of a param; {@code index} is the flat row-major position. */
  public record Entry(ModelIR.Leaf param, int index, double symbolic, double numeric, double error, double noise) {
    /** The symbolic and numeric values differ by no more than the differences' rounding noise. */
    public boolean withinNoise() {
      return Math.abs(symbolic - numeric) <= noise;
    }

    public boolean passes(double tolerance) {
      return error < tolerance || withinNoise();
    }
  }

  /** A numeric derivative and the size of its rounding noise (an absolute floor for the comparison). */
  public record Numeric(double value, double noise) {}

  public static double relativeError(double symbolic, double numeric) {
    if (symbolic == numeric) return 0;
    double scale = Math.max(Math.abs(symbolic) + Math.abs(numeric), FLOOR);
    double e = Math.abs(symbolic - numeric) / scale;
    return Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
  }

  /**
   * Checks every param; a param with more than {@code maxEntries} elements is checked at that many seeded random
   * positions. Returns the entries in param order.
   */
  public static List<Entry> check(DiffModel model, Map<String, Integer> dims, Map<String, double[]> values,
      int maxEntries, long seed) {
    ModelIR ir = model.model();
    Interpreter base = Interpreter.forModel(ir, dims, values);
    SplittableRandom random = new SplittableRandom(seed);
    List<Entry> out = new ArrayList<>();
    for (ModelIR.Leaf p : ir.params()) {
      Adjoint adjoint = model.adjoint(p.name());
      double[] symbolic = base.eval(adjoint.value());
      int n = symbolic.length;
      List<Integer> positions = new ArrayList<>();
      if (n <= maxEntries) {
        for (int i = 0; i < n; i++) positions.add(i);
      } else {
        while (positions.size() < maxEntries) {
          int i = random.nextInt(n);
          if (!positions.contains(i)) positions.add(i);
        }
        positions.sort(Integer::compare);
      }
      for (int i : positions) {
        Numeric numeric = richardson(ir, dims, values, p, i, H);
        out.add(new Entry(p, i, symbolic[i], numeric.value(), relativeError(symbolic[i], numeric.value()),
            numeric.noise()));
      }
    }
    return out;
  }

  /**
   * {@code (4·D(h/2) − D(h))/3} with {@code D} the central difference: exact for polynomials of degree ≤ 4. The
   * noise is {@link #NOISE_ULPS}·ε·max|L|/h (the extrapolation weights sum to 3 and divide by 2h and h).
   */
  public static Numeric richardson(ModelIR ir, Map<String, Integer> dims, Map<String, double[]> values,
      ModelIR.Leaf param, int index, double h) {
    double[] wide = {lossAt(ir, dims, values, param, index, h), lossAt(ir, dims, values, param, index, -h)};
    double[] near = {lossAt(ir, dims, values, param, index, h / 2), lossAt(ir, dims, values, param, index, -h / 2)};
    double dWide = (wide[0] - wide[1]) / (2 * h);
    double dNear = (near[0] - near[1]) / h;
    double scale = Math.max(Math.max(Math.abs(wide[0]), Math.abs(wide[1])),
        Math.max(Math.abs(near[0]), Math.abs(near[1])));
    double noise = NOISE_ULPS * Math.ulp(1.0) * scale / h;
    return new Numeric((4 * dNear - dWide) / 3, noise);
  }

  /** (L(θᵢ + h) − L(θᵢ − h)) / 2h for entry {@code index} of {@code param}. */
  public static double centralDifference(ModelIR ir, Map<String, Integer> dims, Map<String, double[]> values,
      ModelIR.Leaf param, int index, double h) {
    return (lossAt(ir, dims, values, param, index, h) - lossAt(ir, dims, values, param, index, -h)) / (2 * h);
  }

  private static double lossAt(ModelIR ir, Map<String, Integer> dims, Map<String, double[]> values,
      ModelIR.Leaf param, int index, double delta) {
    Map<String, double[]> shifted = new HashMap<>(values);
    double[] v = values.get(param.name()).clone();
    v[index] += delta;
    shifted.put(param.name(), v);
    return Interpreter.forModel(ir, dims, shifted).scalar(ir.lossValue().node());
  }
}
