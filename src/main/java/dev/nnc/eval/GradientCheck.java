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
 * The course's gradient check: the symbolic gradient (the interpreted adjoint) against central differences
 * {@code (L(θ + h) − L(θ − h)) / 2h} with {@code h = 1e-4}, entry by entry.
 *
 * <p>Relative error: {@code |s − n| / max(|s| + |n|, 1e-8)} — symmetric, 0 when both agree exactly (also when both
 * are 0), and an absolute error below 1e-8·T for gradients that are essentially zero.
 */
public final class GradientCheck {
  public static final double H = 1e-4;
  public static final double FLOOR = 1e-8;

  private GradientCheck() {}

  /** One checked entry of a param; {@code index} is the flat row-major position. */
  public record Entry(ModelIR.Leaf param, int index, double symbolic, double numeric, double error) {}

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
        double numeric = centralDifference(ir, dims, values, p, i, H);
        out.add(new Entry(p, i, symbolic[i], numeric, relativeError(symbolic[i], numeric)));
      }
    }
    return out;
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
