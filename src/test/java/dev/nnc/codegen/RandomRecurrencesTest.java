package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random recurrences (seeded .nn text: scalar and vector states, one or two sequences, a sequence computed from
 * params, random step expressions and activations, losses on the last step, on every step or both) go through the
 * whole compiler; the generated classes compile together and agree with the interpreter (values, every gradient —
 * backpropagation through time in both — and steps) for T = 7.
 */
class RandomRecurrencesTest {
  static final int MODELS = 40;

  @Test
  void randomRecurrencesAgreeWithTheInterpreter() throws Exception {
    Random r = new Random(20261130L);
    List<Result> results = new ArrayList<>();
    for (int k = 0; k < MODELS; k++) {
      String text = k % 2 == 0 ? scalar(r, k) : vector(r, k);
      results.add(Pipeline.compile("recurrence" + k + ".nn", text, "rec", Api.CORE));
    }
    List<GeneratedFile> files = new ArrayList<>();
    for (Result res : results) files.addAll(res.files());
    ClassLoader loader = Javac.compile(files);
    int compared = 0;
    for (int k = 0; k < results.size(); k++) {
      Result res = results.get(k);
      Class<?> c = loader.loadClass(res.files().get(0).qualifiedName());
      compared += Agreement.check(res.derivatives().get(0), c, Map.of("T", 7), 31L * k, Agreement::randomValue);
    }
    assertTrue(compared > 1000, compared + " numbers");
  }

  /** A scalar state over one or two scalar sequences. */
  static String scalar(Random r, int k) {
    boolean two = r.nextBoolean();
    StringBuilder s = new StringBuilder("model S" + k + " {\n  dim T\n  input x[T]" + (two ? ", z[T]" : "")
        + ", y\n  param a, b, c, s0\n");
    List<String> names = new ArrayList<>(List.of("s[t−1]", "x[t]", "a", "b", "c"));
    if (two) names.add("z[t]");
    s.append("  s[0] = s0\n  s[t] = ").append(act(r)).append('(').append(expr(r, names, 3))
        .append(" + a s[t−1] + b x[t])\n");
    s.append("  L = ").append(switch (r.nextInt(3)) {
      case 0 -> "(s[T] − y)²";
      case 1 -> "sum(s * x) / T + b²";
      default -> "(s[T] − y)² + sum(s²) / T";
    }).append("\n}\n");
    return s.toString();
  }

  /** A vector state [H] over a sequence X[T, I] (or one computed from it), with matrix params. */
  static String vector(Random r, int k) {
    boolean computed = r.nextBoolean();
    StringBuilder s = new StringBuilder("model V" + k + " {\n  dim T, I = 2, H = 3\n  input X[T, I], Y[T]\n"
        + "  param W[I, H] ~ normal(0, 0.7), U[H, H] ~ normal(0, 0.5), b[H], h0[H], v[H], G[I, I] ~ normal(0, 1)\n");
    if (computed) s.append("  S = tanh(X G)\n");
    String seq = computed ? "S[t]" : "X[t]";
    s.append("  h[0] = h0\n  h[t] = ");
    s.append(switch (r.nextInt(4)) {
      case 0 -> act(r) + "(h[t−1] U + " + seq + " W + b)";
      case 1 -> "σ(h[t−1] U) * " + act(r) + "(" + seq + " W + b)";
      case 2 -> act(r) + "(h[t−1] U) + " + act(r) + "(" + seq + " W) * b";
      default -> "tanh(h[t−1] * b + (" + seq + " W) * (h[t−1] U))";
    }).append('\n');
    s.append("  L = ").append(switch (r.nextInt(3)) {
      case 0 -> "sum((h v − Y)²) / T";
      case 1 -> "(h[T] · v − 1)²";
      default -> "sum(h[T]²) + sum(h v) / T";
    }).append("\n}\n");
    return s.toString();
  }

  private static String act(Random r) {
    return List.of("tanh", "σ", "sin", "softplus", "atan").get(r.nextInt(5));
  }

  private static String expr(Random r, List<String> names, int depth) {
    if (depth == 0 || r.nextInt(10) < 2) return names.get(r.nextInt(names.size()));
    String a = expr(r, names, depth - 1);
    String b = expr(r, names, depth - 1);
    return switch (r.nextInt(7)) {
      case 0 -> "(" + a + ") + (" + b + ")";
      case 1 -> "(" + a + ") − (" + b + ")";
      case 2 -> "(" + a + ") * (" + b + ")";
      case 3 -> "tanh(" + a + ")";
      case 4 -> "(" + a + ") / (1 + (" + b + ")²)";
      case 5 -> "σ(" + a + ") (" + b + ")";
      default -> "sin(" + a + ")";
    };
  }
}
