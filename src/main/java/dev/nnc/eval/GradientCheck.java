package dev.nnc.eval;

import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.diff.ForwardMode;
import dev.nnc.diff.Tangents;
import dev.nnc.ir.Expr;
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

  /**
   * The params whose gradient goes through a derivative rule declared approximate ({@code ∂f/∂x ≈ …}, a
   * straight-through estimator): central differences measure the body's derivative, which the rule deliberately
   * replaces, so such a param is not held to them. Each maps to the functions whose rules it goes through.
   */
  public static Map<String, List<String>> approximateParams(DiffModel model) {
    ModelIR ir = model.model();
    Expr loss = ir.lossValue().node();
    List<Expr.Custom> approximate = new ArrayList<>();
    java.util.BitSet seen = new java.util.BitSet();
    java.util.ArrayDeque<Expr> stack = new java.util.ArrayDeque<>(List.of(loss));
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (seen.get(e.id())) continue;
      seen.set(e.id());
      if (e instanceof Expr.Custom c && c.exact().contains(false)) approximate.add(c);
      for (Expr in : e.inputs()) stack.push(in);
    }
    Map<String, List<String>> out = new java.util.LinkedHashMap<>();
    if (approximate.isEmpty()) return out;
    for (ModelIR.Leaf p : ir.params()) {
      java.util.BitSet depends = new java.util.BitSet();
      for (int id = p.var().id(); id <= loss.id(); id++) {
        Expr e = ir.graph().node(id);
        boolean d = e == p.var();
        for (Expr in : e.inputs()) d |= depends.get(in.id());
        if (d) depends.set(id);
      }
      for (Expr.Custom c : approximate) {
        boolean through = false;
        for (int i = 0; i < c.args().size(); i++) through |= !c.exact().get(i) && depends.get(c.args().get(i).id());
        if (through && !out.computeIfAbsent(p.name(), k -> new ArrayList<>()).contains(c.function())) {
          out.get(p.name()).add(c.function());
        }
      }
    }
    return out;
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

  /**
   * The change of the loss along a direction {@code v} of all params, three independent ways: forward mode (the
   * loss's tangent, {@link ForwardMode}), reverse mode ({@code Σ ⟨∂L/∂θ, v_θ⟩}) and central differences
   * {@code (L(θ + hv) − L(θ − hv)) / 2h}. {@code direction} holds v by param name (flat row-major), for a fourth
   * way (the generated class's {@code jvp}, which {@code eval} cannot run: it comes before {@code codegen}).
   */
  public record Directional(double forward, double reverse, double numeric, Map<String, double[]> direction) {
    /** Forward against reverse mode: two symbolic derivations that share only the registry's derivative data. */
    public double modesError() {
      return relativeError(forward, reverse);
    }

    /** Whether forward mode was available (it is not through a recurrence: {@link #forward} is then NaN). */
    public boolean hasForward() {
      return !Double.isNaN(forward);
    }

    /** Reverse mode against the central difference along the direction (without forward mode). */
    public double reverseNumericError() {
      return relativeError(reverse, numeric);
    }

    public double numericError() {
      return relativeError(forward, numeric);
    }
  }

  /** {@link Directional} along a seeded random unit direction (entries uniform in (−1, 1), then normalised). */
  public static Directional directional(DiffModel model, Map<String, Integer> dims, Map<String, double[]> values,
      long seed) {
    ModelIR ir = model.model();
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, double[]> direction = new HashMap<>();
    Interpreter base = Interpreter.forModel(ir, dims, values);
    Map<Expr.Var, Expr> seeds = new HashMap<>();
    Map<Expr.Var, double[]> seedValues = new HashMap<>();
    double norm2 = 0;
    for (ModelIR.Leaf p : ir.params()) {
      double[] v = new double[values.get(p.name()).length];
      for (int i = 0; i < v.length; i++) {
        v[i] = random.nextDouble(-1, 1);
        norm2 += v[i] * v[i];
      }
      direction.put(p.name(), v);
    }
    double scale = norm2 > 0 ? 1 / Math.sqrt(norm2) : 1;
    double reverse = 0;
    for (ModelIR.Leaf p : ir.params()) {
      double[] v = direction.get(p.name());
      for (int i = 0; i < v.length; i++) v[i] *= scale; // a unit direction: the step h·v stays h long
      // the direction enters the graph as an input var per param (· is an operator in .nn: no model can spell the name)
      Expr.Var dot = Tangents.directionVar(ir.graph(), p);
      seeds.put(p.var(), dot);
      seedValues.put(dot, v);
      double[] grad = base.eval(model.adjoint(p.name()).value());
      for (int i = 0; i < v.length; i++) reverse += grad[i] * v[i];
    }
    Expr tangent;
    try {
      tangent = new ForwardMode(ir.graph()).tangent(ir.lossValue().node(), seeds);
    } catch (UnsupportedOperationException e) { // a recurrence: no forward mode (docs/differentiation.md)
      double numeric = (lossAlong(ir, dims, values, direction, H) - lossAlong(ir, dims, values, direction, -H)) / (2 * H);
      return new Directional(Double.NaN, reverse, numeric, direction);
    }
    double forward = 0;
    if (tangent != null) {
      Interpreter along = Interpreter.forModel(ir, dims, values);
      for (Map.Entry<Expr.Var, double[]> e : seedValues.entrySet()) along.bind(e.getKey(), e.getValue());
      forward = along.scalar(tangent);
    }
    double numeric = (lossAlong(ir, dims, values, direction, H) - lossAlong(ir, dims, values, direction, -H)) / (2 * H);
    return new Directional(forward, reverse, numeric, direction);
  }

  private static double lossAlong(ModelIR ir, Map<String, Integer> dims, Map<String, double[]> values,
      Map<String, double[]> direction, double h) {
    Map<String, double[]> shifted = new HashMap<>(values);
    for (Map.Entry<String, double[]> d : direction.entrySet()) {
      double[] v = values.get(d.getKey()).clone();
      for (int i = 0; i < v.length; i++) v[i] += h * d.getValue()[i];
      shifted.put(d.getKey(), v);
    }
    return Interpreter.forModel(ir, dims, shifted).scalar(ir.lossValue().node());
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
