package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random tensor models (seeded .nn text over shapes [], [n], [m], [n, m], [m, n], [n, n]: broadcasting, products
 * in every orientation, transposes, reductions with and without axis=, softmax and log_softmax) through the whole
 * compiler; the generated classes agree with the interpreter on values, gradients and steps.
 */
class RandomTensorModelsTest {
  static final int MODELS = 60;
  static final String[] SHAPES = {"", "[n]", "[m]", "[n, m]", "[m, n]", "[n, n]"};

  @Test
  void randomTensorModelsAgreeWithTheInterpreter() throws Exception {
    Random r = new Random(8_0000_1L);
    List<Result> results = new ArrayList<>();
    int otherStages = 0;
    for (int k = 0; k < MODELS; k++) {
      String text = model(r, k);
      try {
        results.add(Pipeline.compile("tensor" + k + ".nn", text, "tns", Api.CORE));
      } catch (RuntimeException e) {
        // A failure inside another stage is that stage's bug (and its tests' business); a failure here is not.
        for (StackTraceElement f : e.getStackTrace()) if (f.getClassName().startsWith("dev.nnc.codegen.J")) throw e;
        otherStages++;
        System.out.println("skipped (" + e + " before code generation):\n" + text);
      }
    }
    assertTrue(otherStages <= MODELS / 10, otherStages + " models failed before code generation");
    int compared = 0;
    for (int from = 0; from < results.size(); from += 50) {
      compared += Pipeline.compileAndAgree(results.subList(from, Math.min(results.size(), from + 50)), 31L * from);
    }
    assertTrue(compared > 1200, MODELS + " models, " + compared + " numbers");
  }

  /** Names available per shape as the model grows. */
  private static final class Scope {
    final Map<String, List<String>> byShape = new LinkedHashMap<>();

    Scope() {
      for (String s : SHAPES) byShape.put(s, new ArrayList<>());
    }

    void add(String shape, String name) {
      byShape.get(shape).add(name);
    }
  }

  static String model(Random r, int k) {
    Scope scope = new Scope();
    StringBuilder s = new StringBuilder("model T" + k + " {\n  dim n, m\n");
    s.append("  input X[n, m], v[m], u[n], s\n");
    s.append("  param W[m, n], b[n], c[m], a, S[n, n]\n");
    scope.add("[n, m]", "X");
    scope.add("[m]", "v");
    scope.add("[n]", "u");
    scope.add("", "s");
    scope.add("[m, n]", "W");
    scope.add("[n]", "b");
    scope.add("[m]", "c");
    scope.add("", "a");
    scope.add("[n, n]", "S");
    int statements = 1 + r.nextInt(5);
    for (int i = 1; i <= statements; i++) {
      String shape = SHAPES[r.nextInt(SHAPES.length)];
      s.append("  t").append(i).append(" = ").append(expr(r, scope, shape, 3)).append('\n');
      scope.add(shape, "t" + i);
    }
    String last = "t" + statements;
    String lastShape = "";
    for (Map.Entry<String, List<String>> e : scope.byShape.entrySet()) if (e.getValue().contains(last)) lastShape = e.getKey();
    String tail = lastShape.isEmpty() ? last : (r.nextBoolean() ? "sum(" : "mean(") + last + " * " + last + ")";
    s.append("  L = ").append(tail).append(" + a² + sum(b * b) + sum(c) S·u·u + sum(W) + s\n}\n");
    return s.toString();
  }

  private static String leaf(Random r, Scope scope, String shape) {
    List<String> names = scope.byShape.get(shape);
    return names.get(r.nextInt(names.size()));
  }

  private static String expr(Random r, Scope scope, String shape, int depth) {
    if (depth == 0 || r.nextInt(10) < 2) return leaf(r, scope, shape);
    String a = expr(r, scope, shape, depth - 1);
    switch (r.nextInt(8)) {
      case 0 -> {
        return "(" + a + ") + (" + expr(r, scope, shape, depth - 1) + ")";
      }
      case 1 -> {
        return "(" + a + ") * (" + expr(r, scope, shape, depth - 1) + ")";
      }
      case 2 -> {
        return "(" + a + ") − (" + expr(r, scope, "", depth - 1) + ")"; // scalar broadcast
      }
      case 3 -> {
        return dev.nnc.prim.InDomain.call(r, a); // every function of the registry, in its domain
      }
      case 4 -> {
        return "(" + a + ") / (1 + (" + expr(r, scope, shape, depth - 1) + ")²)";
      }
      default -> {
        String special = special(r, scope, shape, depth);
        return special != null ? special : "exp(σ(" + a + "))";
      }
    }
  }

  /** Shape-changing forms that produce {@code shape}. */
  private static String special(Random r, Scope scope, String shape, int depth) {
    int d = depth - 1;
    switch (shape) {
      case "" -> {
        return switch (r.nextInt(6)) {
          case 0 -> "sum(" + expr(r, scope, "[n, m]", d) + ")";
          case 1 -> "mean(" + expr(r, scope, "[m, n]", d) + ")";
          case 2 -> "(" + expr(r, scope, "[n]", d) + ")·(" + expr(r, scope, "[n]", d) + ")";
          case 3 -> "logsumexp(" + expr(r, scope, "[m]", d) + ")";
          case 4 -> "max(" + expr(r, scope, "[n, n]", d) + ")";
          default -> "min(" + expr(r, scope, "[n]", d) + ")";
        };
      }
      case "[n]" -> {
        return switch (r.nextInt(6)) {
          case 0 -> "(" + expr(r, scope, "[n, m]", d) + ")·(" + expr(r, scope, "[m]", d) + ")";
          case 1 -> "(" + expr(r, scope, "[m]", d) + ")·(" + expr(r, scope, "[m, n]", d) + ")";
          case 2 -> "sum(" + expr(r, scope, "[n, m]", d) + ", axis=1)";
          case 3 -> "softmax(" + expr(r, scope, "[n]", d) + ")";
          case 4 -> "logsumexp(" + expr(r, scope, "[n, n]", d) + ", axis=0)";
          default -> "(" + expr(r, scope, "[m, n]", d) + ")ᵀ·(" + expr(r, scope, "[m]", d) + ")";
        };
      }
      case "[m]" -> {
        return switch (r.nextInt(4)) {
          case 0 -> "(" + expr(r, scope, "[n]", d) + ")·(" + expr(r, scope, "[n, m]", d) + ")";
          case 1 -> "max(" + expr(r, scope, "[n, m]", d) + ", axis=0)";
          case 2 -> "log_softmax(" + expr(r, scope, "[m]", d) + ")";
          default -> "(" + expr(r, scope, "[m, n]", d) + ")·(" + expr(r, scope, "[n]", d) + ")";
        };
      }
      case "[n, m]" -> {
        return switch (r.nextInt(5)) {
          case 0 -> "(" + expr(r, scope, "[m, n]", d) + ")ᵀ";
          case 1 -> "(" + expr(r, scope, "[n, n]", d) + ")·(" + expr(r, scope, "[n, m]", d) + ")";
          case 2 -> "(" + expr(r, scope, "[n, m]", d) + ") + (" + expr(r, scope, "[m]", d) + ")";
          case 3 -> "softmax(" + expr(r, scope, "[n, m]", d) + ")";
          default -> "log_softmax(" + expr(r, scope, "[n, m]", d) + ", axis=0)";
        };
      }
      case "[m, n]" -> {
        return switch (r.nextInt(3)) {
          case 0 -> "(" + expr(r, scope, "[n, m]", d) + ")ᵀ";
          case 1 -> "(" + expr(r, scope, "[m, n]", d) + ")·(" + expr(r, scope, "[n, n]", d) + ")ᵀ";
          default -> "(" + expr(r, scope, "[m, n]", d) + ") * (" + expr(r, scope, "[n]", d) + ")";
        };
      }
      default -> {
        return switch (r.nextInt(3)) {
          case 0 -> "(" + expr(r, scope, "[n, m]", d) + ")·(" + expr(r, scope, "[m, n]", d) + ")";
          case 1 -> "(" + expr(r, scope, "[m, n]", d) + ")ᵀ·(" + expr(r, scope, "[m, n]", d) + ")";
          default -> "(" + expr(r, scope, "[n]", d) + ") * (" + expr(r, scope, "[n, n]", d) + ")";
        };
      }
    }
  }
}
