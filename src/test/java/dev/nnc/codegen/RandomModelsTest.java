package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random scalar models (seeded .nn text: several statements over inputs, params and earlier values, with every
 * operator and activation the language has) go through the whole compiler; the generated classes compile together
 * and agree with the interpreter on values, gradients and steps.
 */
class RandomModelsTest {
  static final int MODELS = 520;

  @Test
  void randomModelsAgreeWithTheInterpreter() throws Exception {
    Random r = new Random(20261122L);
    List<Result> results = new ArrayList<>();
    for (int k = 0; k < MODELS; k++) results.add(Pipeline.compile("random" + k + ".nn", model(r, k), "rnd", Api.CORE));
    int compared = 0;
    for (int from = 0; from < results.size(); from += 130) {
      compared += Pipeline.compileAndAgree(results.subList(from, Math.min(results.size(), from + 130)), k0(from));
    }
    assertTrue(results.size() >= 500 && compared > 2000, results.size() + " models, " + compared + " numbers");
  }

  private static long k0(int from) {
    return 77L * from;
  }

  static String model(Random r, int k) {
    StringBuilder s = new StringBuilder("model R" + k + " {\n  input x, y\n  param a, b, c\n");
    List<String> names = new ArrayList<>(List.of("x", "y", "a", "b", "c"));
    int statements = 1 + r.nextInt(6);
    for (int i = 1; i <= statements; i++) {
      String name = "t" + i;
      s.append("  ").append(name).append(" = ").append(expr(r, names, 3)).append('\n');
      names.add(name);
    }
    s.append("  L = ").append(expr(r, names.subList(Math.max(0, names.size() - 3), names.size()), 2))
        .append(" + a b c\n}\n");
    return s.toString();
  }

  private static String expr(Random r, List<String> names, int depth) {
    if (depth == 0 || r.nextInt(10) < 2) {
      return r.nextInt(6) == 0 ? String.valueOf(1 + r.nextInt(3)) : names.get(r.nextInt(names.size()));
    }
    String a = expr(r, names, depth - 1);
    String b = expr(r, names, depth - 1);
    return switch (r.nextInt(18)) {
      case 0 -> "(" + a + ") + (" + b + ")";
      case 1 -> "(" + a + ") − (" + b + ")";
      case 2 -> "(" + a + ") * (" + b + ")";
      case 3 -> "(" + a + ")·(" + b + ")";
      case 4 -> "(" + a + ") / (1 + (" + b + ")²)";
      case 5, 6 -> dev.nnc.prim.InDomain.call(r, a); // every function of the registry, in its domain
      case 7 -> "exp(σ(" + a + "))";
      case 8 -> "log(1 + (" + a + ")²)";
      case 9 -> "√(2 + sin(" + a + "))";
      case 10, 11 -> dev.nnc.prim.InDomain.call(r, "(" + a + ")");
      case 12 -> "relu(" + a + ") + abs(" + b + ")";
      case 13 -> "(" + a + ")³";
      case 14 -> "max(" + a + ", " + b + ")";
      case 15 -> "−(" + a + ")";
      case 16 -> "leaky_relu(" + a + ", 0.1)";
      default -> "(" + a + ")^2 (" + b + ")";
    };
  }
}
