package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.eval.GradientCheck;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Shape;
import dev.nnc.train.GeneratedJvp;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nnc gradcheck FILE}: the course's gradient check. At a seeded random point (inputs uniform in (0.1, 0.9),
 * which is inside the domain of log, sqrt and log(1−x); params drawn by their initialiser, zero-initialised ones
 * like inputs), every param's symbolic gradient — the simplified adjoint, run in the IR interpreter — is compared
 * with central differences (h = 1e-4 and h/2, Richardson-extrapolated; see {@link GradientCheck}). Relative error:
 * |s − n| / max(|s| + |n|, 1e-8), 0 within the differences' rounding noise. Params with more than 10
 * entries are checked at 10 seeded random entries; the table shows each param's worst entry. Then, along a seeded
 * random unit direction of the params: reverse mode (gradient · direction) against forward mode twice — the
 * interpreter's tangent and the generated class's {@code jvp()} ({@link GeneratedJvp}) — gated, and the central
 * difference, shown.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, description = {
    "Checks the symbolic gradients against central differences (h = 1e-4 and h/2, Richardson-extrapolated) at a "
        + "seeded random point; a difference within the differences' rounding noise counts as 0.",
    "Then, along a random unit direction of the params, reverse mode against forward mode (the interpreter's and the "
        + "generated class's jvp()), with the central difference beside them.",
    "Relative error = |s - n| / max(|s| + |n|, 1e-8); exit 0 if every one is below the tolerance, else 1."})
final class GradcheckCommand implements Callable<Integer> {
  private static final int ENTRIES_PER_PARAM = 10;
  private static final double[][] RANGES = {{0.1, 0.9}, {-1, 1}, {0.5, 2}, {-2, 2}, {1, 4}, {3, 10}};

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
  Path file;

  @Option(names = "--seed", paramLabel = "N", description = "seed of the random point (default 1)")
  long seed = 1;

  @Option(names = "--tolerance", paramLabel = "T", description = "largest accepted relative error (default 1e-6)")
  double tolerance = 1e-6;

  @Mixin DimOption dims;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Result result = Inputs.compile(file, Compiler.Options.defaults().stopAfter(Compiler.Stage.DIFF), err);
      if (result == null) return Main.MODEL_ERRORS;
      boolean ok = true;
      for (DiffModel model : result.derivatives()) {
        try {
          ok &= check(model, dims.sizes(result.models()), out);
        } catch (ModelValues.BadValue e) {
          err.println(e.render(file.toString()));
          return Main.MODEL_ERRORS;
        }
      }
      return ok ? Main.OK : Main.MODEL_ERRORS;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private boolean check(DiffModel model, Map<String, Integer> given, PrintWriter out) throws ModelValues.BadValue {
    ModelIR ir = model.model();
    Map<String, Integer> sizes = ModelValues.dims(ir, given, Map.of(), 3);
    StringBuilder title = new StringBuilder(ir.name());
    List<String> free = new ArrayList<>();
    for (ModelIR.DimInfo d : ir.dims()) if (d.isFree()) free.add(d.name() + "=" + sizes.get(d.name()));
    if (!free.isEmpty()) title.append(" (").append(String.join(", ", free)).append(")");
    out.println(title.append(", seed ").append(seed));
    if (ir.params().isEmpty()) {
      out.println("  no params: nothing to check");
      return true;
    }
    Map<String, double[]> values = point(model, sizes);
    if (values == null) {
      out.println("  FAILED: no random point found where the loss and its gradients are finite (inputs tried in "
          + "(0.1, 0.9), (-1, 1), (0.5, 2), (-2, 2), (1, 4), (3, 10))");
      return false;
    }
    List<GradientCheck.Entry> entries = GradientCheck.check(model, sizes, values, ENTRIES_PER_PARAM, seed);
    // Each param's worst entry: a failing one first, else the largest relative error.
    Map<ModelIR.Leaf, GradientCheck.Entry> worst = new LinkedHashMap<>();
    for (GradientCheck.Entry e : entries) {
      GradientCheck.Entry w = worst.get(e.param());
      if (w == null || worse(e, w)) worst.put(e.param(), e);
    }
    Interpreter sizer = new Interpreter(ir.graph(), sizes);
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"param", "symbolic", "numeric", "relative error"});
    double max = 0;
    int noisy = 0;
    double noise = 0;
    boolean ok = true;
    Map<String, List<String>> approximate = GradientCheck.approximateParams(model);
    int skipped = 0;
    for (GradientCheck.Entry e : entries) {
      if (approximate.containsKey(e.param().name())) { // a declared approximation (≈) is not held to the numbers
        skipped++;
        continue;
      }
      ok &= e.passes(tolerance);
      if (e.withinNoise() && !(e.error() < tolerance)) {
        noisy++;
        noise = Math.max(noise, e.noise());
      } else {
        max = Double.isNaN(e.error()) ? Double.POSITIVE_INFINITY : Math.max(max, e.error());
      }
    }
    for (GradientCheck.Entry e : worst.values()) {
      String error = String.format(Locale.ROOT, "%.2e", e.error());
      if (e.withinNoise() && !(e.error() < tolerance)) error += " (noise)";
      List<String> rules = approximate.get(e.param().name());
      if (rules != null) error = "not compared: through the approximate rule of " + String.join(", ", rules);
      rows.add(new String[] {label(e, sizer), num(e.symbolic()), num(e.numeric()), error});
    }
    int[] width = new int[4];
    for (String[] r : rows) for (int i = 0; i < 4; i++) width[i] = Math.max(width[i], r[i].length());
    for (String[] r : rows) {
      out.println(String.format(Locale.ROOT, "  %-" + width[0] + "s  %" + width[1] + "s  %" + width[2] + "s  %"
          + width[3] + "s", (Object[]) r).stripTrailing());
    }
    // a second, independent check: forward mode (the interpreter's, and the generated class's jvp) vs reverse mode vs
    // finite differences along a random direction. Forward vs reverse mode gates (both exact up to rounding); the
    // plain central difference along the direction is shown, not gated: the per-entry check above is the one with
    // Richardson extrapolation and a noise floor.
    GradientCheck.Directional d = GradientCheck.directional(model, sizes, values, seed);
    List<String[]> modes = new ArrayList<>();
    modes.add(new String[] {"reverse mode, gradient · direction", num(d.reverse()), ""});
    double dirError = d.modesError();
    if (!d.hasForward()) { // through a recurrence there is no forward mode: reverse mode against the central difference
      dirError = d.reverseNumericError();
      modes.add(new String[] {"forward mode", "—", "not run: no forward mode through a recurrence"});
    } else {
      modes.add(new String[] {"forward mode, interpreter", num(d.forward()), error(dirError)});
      try {
        double generated = GeneratedJvp.along(model, sizes, values, d.direction());
        double generatedError = GradientCheck.relativeError(generated, d.reverse());
        modes.add(new String[] {"forward mode, generated jvp()", num(generated), error(generatedError)});
        dirError = Double.isNaN(generatedError) ? Double.POSITIVE_INFINITY : Math.max(dirError, generatedError);
      } catch (GeneratedJvp.Unavailable e) {
        modes.add(new String[] {"forward mode, generated jvp()", (e.isFailure() ? "FAILED: " : "not run: ")
            + e.getMessage(), ""});
        if (e.isFailure()) dirError = Double.POSITIVE_INFINITY;
      }
    }
    modes.add(new String[] {d.hasForward() ? "central difference (not gated)" : "central difference (gated)",
        num(d.numeric()), error(d.hasForward() ? d.numericError() : d.reverseNumericError())});
    out.println("  along a random unit direction of the params (relative error against reverse mode):");
    int[] w = new int[2];
    for (String[] r : modes) for (int i = 0; i < 2; i++) w[i] = Math.max(w[i], r[i].length());
    for (String[] r : modes) {
      out.println(String.format(Locale.ROOT, "    %-" + w[0] + "s  %" + w[1] + "s  %s", (Object[]) r).stripTrailing());
    }
    ok = ok && dirError < tolerance;
    max = Math.max(max, Double.isNaN(dirError) ? Double.POSITIVE_INFINITY : dirError);
    String within = noisy == 0 ? "" : String.format(Locale.ROOT, "; %d entr%s within the differences' rounding "
        + "noise (|s − n| ≤ %.1e)", noisy, noisy == 1 ? "y" : "ies", noise);
    int checked = entries.size() - skipped;
    String approx = skipped == 0 ? "" : String.format(Locale.ROOT, "; %d entr%s through a rule declared approximate"
        + " (≈) not compared with central differences", skipped, skipped == 1 ? "y" : "ies");
    out.println(String.format(Locale.ROOT, "  %s: %d entr%s checked, largest relative error %.2e %s %s%s%s",
        ok ? "ok" : "FAILED", checked, checked == 1 ? "y" : "ies", max, ok ? "<" : "≥",
        dev.nnc.ir.Numbers.format(tolerance), within, approx));
    return ok;
  }

  /** A failing entry is worse than a passing one; otherwise the larger relative error is (NaN the largest). */
  private boolean worse(GradientCheck.Entry e, GradientCheck.Entry than) {
    boolean fails = !e.passes(tolerance);
    if (fails != !than.passes(tolerance)) return fails;
    return !(e.error() <= than.error());
  }

  /** {@code w}, or {@code W1[3, 7]} for an entry of a tensor. */
  private static String label(GradientCheck.Entry e, Interpreter sizer) {
    Shape shape = e.param().var().shape();
    if (shape.isScalar()) return e.param().spelling();
    int[] ext = sizer.extents(shape);
    int[] idx = new int[ext.length];
    int rest = e.index();
    for (int i = ext.length - 1; i >= 0; i--) {
      idx[i] = rest % ext[i];
      rest /= ext[i];
    }
    StringBuilder sb = new StringBuilder(e.param().spelling()).append('[');
    for (int i = 0; i < idx.length; i++) sb.append(i > 0 ? ", " : "").append(idx[i]);
    return sb.append(']').toString();
  }

  private static String error(double e) {
    return String.format(Locale.ROOT, "%.2e", e);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.10g", v);
  }

  /**
   * A random point where the loss and every gradient are finite, or null: tries a few input ranges, (0.1, 0.9)
   * first — the inside of the domains of log, sqrt and log(1−x), and a range of probabilities.
   */
  private Map<String, double[]> point(DiffModel model, Map<String, Integer> sizes) {
    ModelIR ir = model.model();
    double[][] ranges = RANGES;
    for (int attempt = 0; attempt < ranges.length; attempt++) {
      SplittableRandom random = new SplittableRandom(seed * 31 + attempt);
      double lo = ranges[attempt][0];
      double hi = ranges[attempt][1];
      Interpreter sizer = new Interpreter(ir.graph(), sizes);
      Map<String, double[]> values = new HashMap<>();
      for (ModelIR.Leaf leaf : ir.inputs()) {
        values.put(leaf.name(), ModelValues.random(leaf, sizer, random, lo, hi, true));
      }
      for (ModelIR.Leaf leaf : ir.params()) values.put(leaf.name(), initial(leaf, sizer, random, lo, hi));
      if (finite(model, sizes, values)) return values;
    }
    return null;
  }

  private static double[] initial(ModelIR.Leaf leaf, Interpreter sizer, SplittableRandom random, double lo,
      double hi) {
    Shape shape = leaf.var().shape();
    int n = sizer.size(shape);
    ModelIR.Init init = leaf.init() == null ? ModelIR.Init.ZEROS : leaf.init();
    int fanIn = 1;
    for (dev.nnc.ir.Dim d : ModelIR.Init.fanInDims(shape)) fanIn *= sizer.extent(d);
    int fanOut = 1;
    for (dev.nnc.ir.Dim d : ModelIR.Init.fanOutDims(shape)) fanOut *= sizer.extent(d);
    return switch (init.kind()) {
      case ZEROS -> ModelValues.uniform(random, n, lo, hi); // zeros would make the check degenerate
      case NORMAL -> ModelValues.normal(random, n, init.a(), init.b());
      case UNIFORM -> ModelValues.uniform(random, n, init.a(), init.b());
      case XAVIER -> ModelValues.normal(random, n, 0, Math.sqrt(2.0 / (fanIn + fanOut)));
      case HE -> ModelValues.normal(random, n, 0, Math.sqrt(2.0 / fanIn));
    };
  }

  private static boolean finite(DiffModel model, Map<String, Integer> sizes, Map<String, double[]> values) {
    Interpreter in = Interpreter.forModel(model.model(), sizes, values);
    if (!Double.isFinite(in.scalar(model.model().lossValue().node()))) return false;
    for (Adjoint a : model.adjoints()) {
      if (a.kind() != Adjoint.Kind.PARAM) continue;
      for (double v : in.eval(a.value())) if (!Double.isFinite(v)) return false;
    }
    return true;
  }

}
