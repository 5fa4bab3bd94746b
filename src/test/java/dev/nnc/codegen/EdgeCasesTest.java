package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Small models at the edges of the generator's cases, each compiled and checked against the interpreter. */
class EdgeCasesTest {
  static final String[] MODELS = {
    "model LossIsAParam { param w; L = w }",
    "model Constant { input x; L = 3 }",
    "model Alias { input x; param w; a = w x; b = a; c = x; L = b + c }",
    "model Unused { dim n; param w[n], v[n]; L = sum(w * w) }",
    "model Rank3 { dim p, q, r; input X[p, q, r]; param w[r], b[q, r]; Y = softmax(X * w + b, axis=0); "
        + "L = sum(log_softmax(Y, axis=1) * X) + logsumexp(X) + max(sum(Y, axis=2)) }",
    "model Fixed { dim n = 3, k = 2; input X[n, k]; param W[k, n]; L = sum((X W)²) / n }",
    "model Outputs { input x[n]; param w[n]; y = σ(w * x); output y; L = sum(y) }",
    "model Vectors { input x[n], t[n]; param W[n, n], b[n]; h = tanh(W x + b); L = mean((h − t)²) + (x·W)·b }",
  };

  @Test
  void edgeCasesAgreeWithTheInterpreter() throws Exception {
    List<Result> results = new ArrayList<>();
    for (int k = 0; k < MODELS.length; k++) results.add(Pipeline.compile("edge" + k + ".nn", MODELS[k], "edge"));
    assertTrue(Pipeline.compileAndAgree(results, 17) > 50);
  }

  @Test
  void wrongInputLengthsAreRejectedWithBothSizes() throws Exception {
    Result r = Pipeline.compile("lr.nn", "model LR { input x[n], y; param w[n], b; L = (w·x + b − y)² }", "");
    Class<?> c = Javac.load(r.files().get(0));
    Object model = c.getConstructor(int.class).newInstance(3);
    InvocationTargetException e = assertThrows(InvocationTargetException.class,
        () -> c.getMethod("forward", double[].class, double.class).invoke(model, new double[4], 1.0));
    String msg = e.getCause().getMessage();
    assertTrue(e.getCause() instanceof IllegalArgumentException && msg.contains("x") && msg.contains("3")
        && msg.contains("4"), msg);
    InvocationTargetException bad = assertThrows(InvocationTargetException.class,
        () -> c.getConstructor(int.class).newInstance(0));
    assertTrue(bad.getCause() instanceof IllegalArgumentException, bad.getCause().toString());
  }

  @Test
  void initializeIsDeterministicPerSeed() throws Exception {
    Result r = Pipeline.compile("init.nn", "model Init { dim n = 4, m = 3; param A[n, m] ~ normal(1, 0.5), "
        + "B[n, m] ~ uniform(-2, 2), C[n, m] ~ xavier, D[n, m] ~ he, e ~ normal(0, 1), f[m] ~ zeros; "
        + "L = sum(A * B * C * D) + e + sum(f) }", "");
    Class<?> c = Javac.load(r.files().get(0));
    Object one = c.getConstructor().newInstance();
    Object two = c.getConstructor().newInstance();
    Object other = c.getConstructor().newInstance();
    c.getMethod("initialize", long.class).invoke(one, 42L);
    c.getMethod("initialize", long.class).invoke(two, 42L);
    c.getMethod("initialize", long.class).invoke(other, 43L);
    for (String p : new String[] {"A", "B", "C", "D", "e", "f"}) {
      double[] a = Agreement.get(c, one, p);
      double[] b = Agreement.get(c, two, p);
      double[] o = Agreement.get(c, other, p);
      assertTrue(java.util.Arrays.equals(a, b), p + " is the same for the same seed");
      assertTrue(p.equals("f") || !java.util.Arrays.equals(a, o), p + " differs for another seed");
    }
    double[] b = Agreement.get(c, one, "B");
    for (double v : b) assertTrue(v >= -2 && v < 2, "uniform(-2, 2): " + v);
    double[] cx = Agreement.get(c, one, "C");
    double bound = Math.sqrt(6.0 / (4 + 3));
    for (double v : cx) assertTrue(Math.abs(v) <= bound, "xavier bound " + bound + ": " + v);
    for (double v : Agreement.get(c, one, "f")) assertTrue(v == 0, "zeros");
  }

  /**
   * A rank-4 param is a convolution kernel K[F, C, KH, KW]: its fan-in is C·KH·KW, as in PyTorch (the rule for a
   * product's W[I, O] would take F·C·KH = 120 here and draw with about half the spread). 12,000 draws: the sample
   * standard deviation of `he` is √(2/75) ≈ 0.163 to a few percent; xavier's bound is √(6/(75 + 200)).
   */
  @Test
  void convolutionKernelsDrawWithTheirChannelFanIn() throws Exception {
    Result r = Pipeline.compile("kernel.nn", "model Kernels { dim B = 2; input X[B, 3, 9, 9]; "
        + "param K[8, 3, 5, 5] ~ he, J[8, 3, 5, 5] ~ xavier; "
        + "L = sum(conv2d(X, K)) + sum(conv2d(X, J)) }", "");
    Class<?> c = Javac.load(r.files().get(0));
    Object m = c.getConstructor().newInstance();
    double var = 0;
    int n = 0;
    for (long seed = 1; seed <= 20; seed++) {
      c.getMethod("initialize", long.class).invoke(m, seed);
      for (double v : Agreement.get(c, m, "K")) {
        var += v * v;
        n++;
      }
    }
    double std = Math.sqrt(var / n);
    assertTrue(Math.abs(std - Math.sqrt(2.0 / 75)) < 0.05 * Math.sqrt(2.0 / 75), "he std " + std + " over " + n);
    double bound = Math.sqrt(6.0 / (75 + 200));
    double max = 0;
    for (double v : Agreement.get(c, m, "J")) max = Math.max(max, Math.abs(v));
    assertTrue(max <= bound && max > 0.9 * bound, "xavier bound " + bound + ", largest " + max);
  }
}
