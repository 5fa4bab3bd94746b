package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * One NaN semantics for the interpreter and the generated Java (docs/language.md, "NaN"): random models built from
 * NaN-producing pieces (√ and log of values that go negative, {@code ** 0.5}, 0/0) feeding max, min, relu, abs,
 * odd integer powers of negative bases and max/min reductions, run with inputs that make those pieces NaN (and
 * with NaN and ±∞ given as inputs). Values, gradients and steps must agree, NaN for NaN.
 */
class NanSemanticsTest {
  static final int MODELS = 100;

  @Test
  void interpreterAndGeneratedJavaAgreeOnNaNProducingInputs() throws Exception {
    Random r = new Random(20261130L);
    List<Result> results = new ArrayList<>();
    for (int k = 0; k < MODELS; k++) results.add(Pipeline.compile("nan" + k + ".nn", model(r, k), "nan"));
    ClassLoader loader = Javac.compile(results.stream().flatMap(x -> x.files().stream()).toList());
    int compared = 0;
    int nanValues = 0;
    for (int k = 0; k < results.size(); k++) {
      Result res = results.get(k);
      Class<?> c = loader.loadClass(res.files().get(0).qualifiedName());
      for (int trial = 0; trial < 3; trial++) {
        long seed = 1000L * k + trial;
        compared += Agreement.check(res.derivatives().get(0), c, Map.of("N", 4), seed, NanSemanticsTest::hostile);
        nanValues += nanCount(res.derivatives().get(0).model(), seed);
      }
    }
    assertTrue(compared > 3000, compared + " numbers compared");
    // The inputs must really make NaNs, or the test proves nothing about them.
    assertTrue(nanValues > 200, nanValues + " NaN values seen");
  }

  /** The reproducers of the issue, exactly: min(NaN, b) is NaN, and (negative)³ is finite, in both. */
  @Test
  void minOfNaNIsNaNAndACubeOfANegativeIsDefined() throws Exception {
    Result res = Pipeline.compile("Repro.nn", """
        input a, b, c, d, z, ζ₃
        Ω = min((d − c) ** 0.5, b)
        Z = ((sin ζ₃)³) ** 3
        hidden = sigmoid(z²) @ ln(1e-3 · Z)
        score = ((z + Z) − min(hidden, π)) ** 3 + Ω
        cube = (z − 2) ** 3
        """, "nan");
    ModelIR m = res.derivatives().get(0).model();
    Map<String, double[]> in = Map.of("a", new double[] {0}, "b", new double[] {1}, "c", new double[] {2},
        "d", new double[] {1}, "z", new double[] {0.3}, "ζ3", new double[] {-1.2});
    java.util.HashMap<String, double[]> values = new java.util.HashMap<>();
    for (ModelIR.Leaf l : m.inputs()) values.put(l.name(), in.get(l.name()));
    Interpreter ref = Interpreter.forModel(m, Map.of(), values);
    assertTrue(Double.isNaN(ref.scalar(m.value("Ω").node())), "min(NaN, 1)");
    assertTrue(Double.isNaN(ref.scalar(m.value("score").node())), "(z + Z − min(NaN, π))³");
    assertEquals(-4.913, ref.scalar(m.value("cube").node()), 1e-12, "(0.3 − 2)³");
    ClassLoader loader = Javac.compile(res.files());
    Class<?> c = loader.loadClass(res.files().get(0).qualifiedName());
    Agreement.check(res.derivatives().get(0), c, Map.of(), 7, (rnd, leaf) -> in.get(leaf.name())[0]);
  }

  private static int nanCount(ModelIR m, long seed) {
    Random rnd = new Random(seed);
    java.util.HashMap<String, double[]> values = new java.util.HashMap<>();
    Interpreter sizes = new Interpreter(m.graph(), Map.of("N", 4));
    List<ModelIR.Leaf> leaves = new ArrayList<>(m.inputs());
    leaves.addAll(m.params());
    for (ModelIR.Leaf l : leaves) {
      double[] v = new double[sizes.size(l.var().shape())];
      for (int i = 0; i < v.length; i++) v[i] = hostile(rnd, l);
      values.put(l.name(), v);
    }
    Interpreter ref = Interpreter.forModel(m, Map.of("N", 4), values);
    int n = 0;
    for (ModelIR.Value v : m.values()) for (double x : ref.eval(v.node())) if (Double.isNaN(x)) n++;
    return n;
  }

  /** Mostly values in [−3, 3] (half of them negative, so √ and log go NaN), sometimes NaN, ±∞ or 0. */
  static double hostile(Random r, ModelIR.Leaf leaf) {
    return switch (r.nextInt(16)) {
      case 0 -> Double.NaN;
      case 1 -> Double.POSITIVE_INFINITY;
      case 2 -> Double.NEGATIVE_INFINITY;
      case 3 -> 0.0;
      default -> r.nextDouble() * 6 - 3;
    };
  }

  static String model(Random r, int k) {
    StringBuilder s = new StringBuilder("model Nan" + k + " {\n  dim N\n  input x, y\n  input V[N]\n  param a, b\n"
        + "  param W[N]\n");
    List<String> names = new ArrayList<>(List.of("x", "y", "a", "b"));
    int statements = 2 + r.nextInt(5);
    for (int i = 1; i <= statements; i++) {
      String name = "t" + i;
      s.append("  ").append(name).append(" = ").append(expr(r, names, 3)).append('\n');
      names.add(name);
    }
    String last = names.get(names.size() - 1);
    s.append("  T = ").append(tensor(r, last)).append('\n');
    s.append("  L = ").append(last).append(" + sum(T) + a b\n}\n");
    return s.toString();
  }

  private static String tensor(Random r, String scalar) {
    return switch (r.nextInt(4)) {
      case 0 -> "max(√V * W) + " + scalar + " * W";
      case 1 -> "min(log(V) + W) * W";
      case 2 -> "relu(V − " + scalar + ") * W";
      default -> "max(V, W) − min(W, √(V))";
    };
  }

  private static String expr(Random r, List<String> names, int depth) {
    if (depth == 0 || r.nextInt(10) < 2) return names.get(r.nextInt(names.size()));
    String a = expr(r, names, depth - 1);
    String b = expr(r, names, depth - 1);
    return switch (r.nextInt(16)) {
      case 0 -> "√(" + a + ")";
      case 1 -> "log(" + a + ")";
      case 2 -> "(" + a + ") ** 0.5";
      case 3 -> "(" + a + ") ** 3";
      case 4 -> "(" + a + ")³";
      case 5 -> "max(" + a + ", " + b + ")";
      case 6 -> "min(" + a + ", " + b + ")";
      case 7 -> "relu(" + a + ")";
      case 8 -> "abs(" + a + ")";
      case 9 -> "(" + a + ") − (" + b + ")";
      case 10 -> "(" + a + ") * (" + b + ")";
      case 11 -> "(" + a + ") / (" + b + ")";
      case 12 -> "leaky_relu(" + a + ", 0.1)";
      case 13 -> "σ(" + a + ")";
      case 14 -> "tanh(" + a + ")";
      default -> "(" + a + ") + (" + b + ")";
    };
  }
}
