package dev.nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticRenderer;
import dev.nnc.diag.Source;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random tensor models (products, broadcasting, reductions with random axes, softmax, transposes, undefined
 * names): the checker never throws, every diagnostic has a position and renders, and every model it accepts has a
 * scalar loss and IR whose elementwise operands agree in shape.
 */
class CheckerFuzzTest {
  private static final String DECLS = "  dim K = 3\n"
      + "  input s, x[n], y[n], u[m], A[n, m], C[m, n], R[n, m, K], row[1, m], k3[3]\n"
      + "  param w[n], b, W[m, n] ~ normal(0, 0.1), c[K]\n";
  private static final String[] LEAVES = {"s", "x", "y", "u", "A", "C", "R", "row", "k3", "w", "b", "W", "c", "n", "K",
      "π", "2", "0.5", "q"};
  /** Every elementwise spelling of the registry (aliases too), not a list of our own. */
  private static final String[] UNARY = dev.nnc.prim.InDomain.named().stream()
      .flatMap(p -> p.spellings().stream()).toArray(String[]::new);
  private static final String[] BINARY = {"+", "−", "*", "/", "·", "@", "⊙", " ", "^"};
  private static final String[] REDUCE = {"sum", "mean", "max", "min", "logsumexp", "softmax", "log_softmax"};

  private final SplittableRandom random = new SplittableRandom(20261122);

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }

  private String expr(int depth, List<String> values) {
    if (depth == 0 || random.nextInt(4) == 0) {
      if (!values.isEmpty() && random.nextBoolean()) return values.get(random.nextInt(values.size()));
      return pick(LEAVES);
    }
    switch (random.nextInt(7)) {
      case 0:
        return pick(UNARY) + "(" + expr(depth - 1, values) + ")";
      case 1: {
        String f = pick(REDUCE);
        String axis = random.nextBoolean() ? "" : ", axis=" + (random.nextInt(7) - 3);
        return f + "(" + expr(depth - 1, values) + axis + ")";
      }
      case 2:
        return "(" + expr(depth - 1, values) + ")" + (random.nextBoolean() ? "ᵀ" : "²");
      case 3:
        return "(−" + expr(depth - 1, values) + ")";
      case 4:
        return (random.nextBoolean() ? "max(" : "leaky_relu(") + expr(depth - 1, values) + ", "
            + (random.nextBoolean() ? "0.1" : expr(depth - 1, values)) + ")";
      default: {
        String op = pick(BINARY);
        String right = expr(depth - 1, values);
        if (op.equals(" ") && Character.isDigit(right.charAt(0))) op = "·";
        return "(" + expr(depth - 1, values) + (op.equals(" ") ? " " : " " + op + " ") + right + ")";
      }
    }
  }

  private String model(int index) {
    StringBuilder text = new StringBuilder("model F" + index + " {\n" + DECLS);
    List<String> values = new ArrayList<>();
    int statements = 1 + random.nextInt(4);
    for (int i = 0; i < statements; i++) {
      String name = "v" + i;
      text.append("  ").append(name).append(" = ").append(expr(3, values)).append('\n');
      values.add(name);
    }
    text.append("  L = sum(").append(values.get(values.size() - 1)).append(")\n}\n");
    return text.toString();
  }

  @Test
  void randomTensorModelsNeverCrashTheChecker() {
    int accepted = 0;
    int rejected = 0;
    for (int i = 0; i < 400; i++) {
      String text = model(i);
      Source source = Source.of("fuzz" + i + ".nn", text);
      Result result = Compiler.compile(source, Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
      for (Diagnostic d : result.diagnostics()) {
        assertTrue(d.span().line() > 0, () -> "no position for " + d + " in\n" + text);
        assertNotNull(DiagnosticRenderer.render(source, d));
      }
      if (result.hasErrors()) {
        rejected++;
        assertTrue(result.models().isEmpty(), text);
        continue;
      }
      accepted++;
      assertEquals(1, result.models().size(), text);
      ModelIR ir = result.models().get(0);
      assertTrue(ir.lossValue().node().shape().isScalar(), text);
      for (Expr e : ir.graph().nodes()) {
        if (e instanceof Expr.Binary b) {
          assertEquals(b.shape(), b.a().shape(), text);
          assertEquals(b.shape(), b.b().shape(), text);
        }
      }
    }
    // The generator must exercise both sides: well-shaped models and every kind of rejection.
    assertTrue(accepted >= 40, "accepted " + accepted);
    assertTrue(rejected >= 40, "rejected " + rejected);
  }
}
