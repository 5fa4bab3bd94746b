package dev.nnc.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.ast.AstPrinter;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticRenderer;
import dev.nnc.diag.Source;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 4: one depth rule for every nesting form (brackets, functions applied without brackets, signs,
 * powers, postfix ² ³ ᵀ), applied before parsing, and honoured by {@code nnc fmt}: whatever is accepted prints, in
 * both spellings, as text that is accepted again and has the same values. (Before, {@code x²²²…} with a few hundred
 * {@code ²} was accepted and its ASCII print {@code ((x^2)^2)…} rejected by the bracket limit.)
 */
class DepthRuleTest {
  private static final int LIMIT = TokenShaper.MAX_NESTING;

  /** Each nesting form, {@code n} levels deep. */
  private static final Map<String, IntFunction<String>> FORMS = Map.of(
      "brackets", n -> "(".repeat(n) + "x" + ")".repeat(n),
      "calls", n -> "sin(".repeat(n) + "x" + ")".repeat(n),
      "applications", n -> "sin ".repeat(n) + "x",
      "signs", n -> "−".repeat(n) + "x",
      "powers", n -> "x" + "^x".repeat(n),
      "postfix squares", n -> "x" + "²".repeat(n),
      "cubes under a function", n -> "sin x" + "³".repeat(n - 1),
      "transposes and squares", n -> "x" + "ᵀ²".repeat(n / 2),
      "signed exponents", n -> "x" + "^−x".repeat(n / 2));

  @Test
  void everyFormIsAcceptedAtTheLimitAndRejectedPastIt() {
    for (var form : FORMS.entrySet()) {
      String at = "input x\nL = " + form.getValue().apply(LIMIT) + "\n";
      assertEquals(List.of(), codes(check(at)), form.getKey() + " at " + LIMIT);
      String past = "input x\nL = " + form.getValue().apply(LIMIT + 2) + "\n";
      Result r = check(past);
      assertEquals(List.of("E0106"), codes(r), form.getKey() + " past the limit: " + rendered(r));
      assertEquals(2, r.diagnostics().get(0).span().line());
    }
  }

  @Test
  void fmtOfEveryFormAtTheLimitIsAcceptedWithTheSameValues() {
    for (var form : FORMS.entrySet()) {
      assertFmtKeepsMeaning("input x\nL = " + form.getValue().apply(LIMIT) + "\n", form.getKey());
    }
  }

  /** Random mixtures of every form, built outward from x up to about the limit. */
  @Test
  void fmtOfRandomDeepMixturesIsAcceptedWithTheSameValues() {
    SplittableRandom random = new SplittableRandom(19_004);
    int accepted = 0;
    int rejected = 0;
    for (int k = 0; k < 30; k++) {
      String e = "x";
      int target = LIMIT - 150 + random.nextInt(300);
      for (int cost = 0; cost < target; ) {
        switch (random.nextInt(7)) {
          case 0 -> { e = "sin " + e; cost++; }
          case 1 -> { e = "−" + e; cost++; }
          case 2 -> { e = "(" + e + ")²"; cost++; }
          case 3 -> { e = "tanh(" + e + ")³"; cost++; }
          case 4 -> { e = "0.5^(" + e + ")"; cost += 2; }
          case 5 -> { e = "cos(x + " + e + ")"; cost++; }
          default -> { e = "(" + e + ")ᵀ"; cost++; }
        }
      }
      String text = "input x\nL = " + e + "\n";
      Result r = check(text);
      if (r.hasErrors()) {
        assertEquals(List.of("E0106"), codes(r), rendered(r));
        rejected++;
        continue;
      }
      assertFmtKeepsMeaning(text, "mixture " + k);
      accepted++;
    }
    assertTrue(accepted >= 8 && rejected >= 3, accepted + " accepted, " + rejected + " rejected");
  }

  private static void assertFmtKeepsMeaning(String text, String what) {
    ModelIR original = check(text).models().get(0);
    for (AstPrinter.Spelling s : AstPrinter.Spelling.values()) {
      String printed = AstPrinter.print(Parsing.parseClean("m.nn", text), s);
      Result again = check(printed);
      assertEquals(List.of(), codes(again), what + " printed " + s + " was rejected: " + rendered(again));
      ModelIR m = again.models().get(0);
      for (double x : new double[] {0.3, -0.7, 1.1}) {
        double a = value(original, x);
        double b = value(m, x);
        assertTrue(Double.compare(a, b) == 0, what + " " + s + " at x = " + x + ": " + a + " became " + b);
      }
    }
  }

  private static double value(ModelIR m, double x) {
    return Interpreter.forModel(m, Map.of(), Map.of("x", new double[] {x})).scalar(m.lossValue().node());
  }

  private static Result check(String text) {
    return Compiler.compile(Source.of("deep.nn", text), Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
  }

  private static List<String> codes(Result r) {
    return r.diagnostics().stream().filter(Diagnostic::isError).map(d -> d.code().id()).toList();
  }

  private static String rendered(Result r) {
    StringBuilder b = new StringBuilder();
    for (Diagnostic d : r.diagnostics()) b.append(DiagnosticRenderer.render(r.source(), d));
    return b.length() > 2000 ? b.substring(0, 2000) : b.toString();
  }
}
