package dev.nnc.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.ast.AstPrinter;
import dev.nnc.ast.SourceFile;
import dev.nnc.diag.DiagnosticRenderer;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Source;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code nnc fmt} keeps meaning, not only a parse: random scalar models (applications without parentheses whose
 * operand carries postfix powers, signs, chained ² ³, juxtaposition, ^ and **) are printed in both spellings, the
 * output is checked again, and the loss is evaluated by the interpreter at random points in the original and the
 * printed model: the values must be identical (NaN for NaN).
 */
class FmtMeaningTest {
  private static final List<String> NAMES = List.of("x", "y", "w₁", "α", "π");
  private static final List<String> FUNCS = List.of("σ", "sigmoid", "log", "ln", "exp", "√", "sqrt", "tanh", "relu",
      "abs", "sin", "cos", "softplus");

  private final SplittableRandom random = new SplittableRandom(20_261_130);

  private String pick(List<String> xs) {
    return xs.get(random.nextInt(xs.size()));
  }

  /** A random expression; not always valid (a signed application as an exponent is not), and those are skipped. */
  private String expr(int depth) {
    if (depth <= 0) return random.nextInt(4) == 0 ? String.valueOf(1 + random.nextInt(3)) : pick(NAMES);
    return switch (random.nextInt(11)) {
      case 0 -> expr(depth - 1) + " + " + expr(depth - 1);
      case 1 -> expr(depth - 1) + " − " + operand(depth - 1);
      case 2 -> operand(depth - 1) + " " + pick(List.of("*", "/", "·", "@")) + " " + operand(depth - 1);
      case 3 -> pick(NAMES) + " " + operand(depth - 1);
      case 4 -> "−" + operand(depth - 1);
      case 5 -> operand(depth - 1) + pick(List.of("²", "³", "²³", "³²", "²²", "ᵀ²")) ;
      case 6 -> operand(depth - 1) + pick(List.of("^", "**")) + pick(List.of("", "−")) + operand(depth - 1);
      case 7 -> pick(FUNCS) + " " + operand(depth - 1) + pick(List.of("", "²", "³", "²³", "^2", "**3"));
      case 8 -> pick(FUNCS) + " " + pick(FUNCS) + " " + pick(NAMES);
      case 9 -> pick(FUNCS) + "(" + expr(depth - 1) + ")" + pick(List.of("", "²"));
      default -> "(" + expr(depth - 1) + ")";
    };
  }

  private String operand(int depth) {
    return switch (random.nextInt(3)) {
      case 0 -> pick(NAMES);
      case 1 -> "(" + expr(depth) + ")";
      default -> pick(FUNCS) + " " + pick(NAMES);
    };
  }

  @Test
  void printedModelsHaveTheSameValuesInBothSpellings() {
    int compared = 0;
    for (int i = 0; i < 600; i++) {
      String text = "input x, y, w₁, α\nL = " + expr(1 + random.nextInt(4)) + "\n";
      ModelIR original = check(text, false);
      if (original == null) continue; // e.g. a number after another operand; the parse tests cover those
      for (AstPrinter.Spelling s : AstPrinter.Spelling.values()) {
        String printed = AstPrinter.print(parse(text), s);
        ModelIR again = check(printed, true);
        for (int point = 0; point < 3; point++) {
          Map<String, double[]> values = new HashMap<>();
          for (String n : List.of("x", "y", "w1", "α")) values.put(n, new double[] {random.nextDouble() * 4 - 1});
          double a = loss(original, values);
          double b = loss(again, values);
          assertTrue(Double.compare(a, b) == 0 || (Double.isNaN(a) && Double.isNaN(b)),
              () -> s + ": " + a + " became " + b + "\n  in:  " + text + "  out: " + printed);
          compared++;
        }
      }
    }
    assertTrue(compared > 2400, compared + " values compared");
  }

  /** The reproducer: log x²³ is log((x²)³) = 2.4328 at x = 1.5, in both spellings of the output. */
  @Test
  void logOfAChainedPowerKeepsItsMeaning() {
    // log (x + 1)² is a call, squared: a function name before "(" always calls.
    String text = "input x\nL = log x²³\nM = log (x + 1)² + √(x)²³\nN = L + M\n";
    assertEquals("input x\nL = log((x^2)^3)\nM = log(x + 1)^2 + (sqrt(x)^2)^3\nN = L + M\n",
        AstPrinter.print(parse(text), AstPrinter.Spelling.ASCII));
    assertEquals("input x\nL = log x²³\nM = log(x + 1)² + √(x)²³\nN = L + M\n",
        AstPrinter.print(parse(text), AstPrinter.Spelling.UNICODE));
    for (AstPrinter.Spelling s : AstPrinter.Spelling.values()) {
      ModelIR m = check(AstPrinter.print(parse(text), s), true);
      Interpreter in = Interpreter.forModel(m, Map.of(), Map.of("x", new double[] {1.5}));
      assertEquals(6 * Math.log(1.5), in.scalar(m.value("L").node()), 1e-15, s.toString());
      assertEquals(Math.pow(Math.log(2.5), 2) + Math.pow(1.5, 3), in.scalar(m.value("M").node()), 1e-12, s.toString());
    }
  }

  private static SourceFile parse(String text) {
    Diagnostics d = new Diagnostics();
    SourceFile f = SourceParser.parse(Source.of("m.nn", text), d);
    assertFalse(d.hasErrors(), text);
    return f;
  }

  /** The checked model, or null when it has errors and {@code mustPass} is false. */
  private static ModelIR check(String text, boolean mustPass) {
    Source src = Source.of("m.nn", text);
    Result r = Compiler.compile(src, Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    if (r.hasErrors()) {
      StringBuilder msg = new StringBuilder();
      r.diagnostics().forEach(d -> msg.append(DiagnosticRenderer.render(src, d)));
      return mustPass ? fail("rejected:\n" + text + msg) : null;
    }
    return r.models().get(0);
  }

  private static ModelIR fail(String why) {
    throw new AssertionError(why);
  }

  private static double loss(ModelIR m, Map<String, double[]> values) {
    Map<String, double[]> given = new HashMap<>();
    for (ModelIR.Leaf l : m.inputs()) given.put(l.name(), values.get(l.name()));
    return Interpreter.forModel(m, Map.of(), given).scalar(m.lossValue().node());
  }
}
