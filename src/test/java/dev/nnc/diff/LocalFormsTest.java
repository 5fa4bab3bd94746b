package dev.nnc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.ast.SourceFile;
import dev.nnc.check.Checker;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Source;
import dev.nnc.ir.ModelIR;
import dev.nnc.parse.SourceParser;
import org.junit.jupiter.api.Test;

/**
 * A long model's local forms are derived on a thread of their own ({@link LocalForms}); the explanation must be the
 * one derived in line: the same forms for every step of every adjoint (printed by the one renderer), the same
 * explanation graph, the same adjoint values.
 */
class LocalFormsTest {
  @Test
  void aLongModelsFormsAreTheFormsDerivedInLine() {
    int n = LocalForms.OWN_THREAD_FROM + 100;
    StringBuilder text = new StringBuilder("model Long {\n  input x, y\n  param b, w0, w1, w2, w3, w4, w5, w6\n");
    text.append("  v1 = tanh(w1 x + b)\n");
    for (int k = 2; k < n; k++) {
      // minus signs and divisions too: their forms go through the tidy pass (−(−u) → u)
      String w = "w" + (k % 7);
      String rhs = switch (k % 4) {
        case 0 -> "tanh(" + w + " v" + (k - 1) + " + b)";
        case 1 -> "−(" + w + " v" + (k - 1) + ") − b";
        case 2 -> "v" + (k - 1) + " / (1 + " + w + "²)";
        default -> "σ(b − " + w + " v" + (k - 1) + ")";
      };
      text.append("  v").append(k).append(" = ").append(rhs).append('\n');
    }
    text.append("  L = (v").append(n - 1).append(" − y)²\n}\n");
    Source src = Source.of("long.nn", text.toString());
    Diagnostics d = new Diagnostics();
    SourceFile ast = SourceParser.parse(src, d);
    ModelIR model = Checker.check(ast, src, d).get(0);
    assertFalse(d.hasErrors(), d.toString());

    DiffModel inLine = Differentiator.differentiateInLine(model);
    DiffModel threaded = Differentiator.differentiate(model);
    assertEquals(inLine.adjoints().size(), threaded.adjoints().size());
    int withSteps = 0;
    for (Adjoint a : inLine.adjoints()) {
      Adjoint b = threaded.adjoint(a.name());
      assertSame(a.value(), b.value(), a.name()); // the same graph interns the same adjoint
      assertEquals(a.steps().size(), b.steps().size(), a.name());
      assertEquals(Steps.local(inLine, a.name()), Steps.local(threaded, a.name()), a.name());
      if (!a.steps().isEmpty()) withSteps++;
    }
    assertTrue(withSteps >= n, withSteps + " adjoints with steps");
    assertEquals(inLine.explanation().graph().size(), threaded.explanation().graph().size());
    assertEquals(inLine.explanation().symbols().size(), threaded.explanation().symbols().size());
  }
}
