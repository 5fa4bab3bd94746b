package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.ast.AstPrinter;
import dev.nnc.diag.Source;
import dev.nnc.diff.DiffModel;
import dev.nnc.eval.GradientCheck;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Derivative rules given in the model (src/test/resources/derivatives/custom_rules.nn): the reverse pass, forward
 * mode and the generated Java use the user's rule instead of the body's derivative; a rule declared exact is held
 * to central differences, one declared approximate (≈) is used as written and reported by gradcheck.
 */
class CustomRulesTest {
  static String text() throws Exception {
    try (InputStream in = CustomRulesTest.class.getResourceAsStream("/derivatives/custom_rules.nn")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Map<String, double[]> values() {
    Map<String, double[]> v = new HashMap<>();
    v.put("x", new double[] {0.7, -1.2, 0.4});
    v.put("y", new double[] {1, 0, 1});
    v.put("w", new double[] {0.5, 0.3, -2});
    v.put("u", new double[] {-0.4, 1.1, -9});
    v.put("c", new double[] {0.8});
    return v;
  }

  @Test
  void theReversePassUsesTheRulesAsWritten() throws Exception {
    Result r = Pipeline.compile("custom_rules.nn", text(), "");
    DiffModel d = r.derivatives().get(0);
    ModelIR m = d.model();
    Map<String, double[]> v = values();
    Interpreter in = Interpreter.forModel(m, Map.of("n", 3), v);
    double[] q = in.eval(m.value("q").node());
    double[] dw = in.eval(d.adjoint("w").value());
    double[] x = v.get("x");
    for (int i = 0; i < 3; i++) {
      assertEquals(x[i] * v.get("w")[i] > 0 ? 1 : 0, q[i], 0.0, "hard thresholds");
      // straight through: ∂L/∂w = 2(q − y) · 1 · x, not 0 (the body's derivative almost everywhere)
      assertEquals(2 * (q[i] - v.get("y")[i]) * x[i], dw[i], 1e-15, "∂L/∂w[" + i + "]");
    }
    // the clipped rule: at u[2] = −9, σ(u)·0.5 ≈ 6e-5, so 1/z ≈ 16000 is clipped to 100
    double[] du = in.eval(d.adjoint("u").value());
    double s = 1 / (1 + Math.exp(9));
    double softclip = 2 * Math.tanh((v.get("u")[2] + x[2]) / 2);
    double expected = 2 * softclip * (1 - softclip * softclip / 4) + 0.8 * 100 * s * (1 - s) * 0.5;
    assertEquals(expected, du[2], 1e-12, "∂L/∂u[2] through the clipped rule");
  }

  @Test
  void exactRulesPassCentralDifferencesAndApproximateOnesAreNamed() throws Exception {
    DiffModel d = Pipeline.compile("custom_rules.nn", text(), "").derivatives().get(0);
    Map<String, List<String>> approximate = GradientCheck.approximateParams(d);
    assertEquals(Map.of("w", List.of("hard"), "u", List.of("safelog")), approximate);
    List<GradientCheck.Entry> entries = GradientCheck.check(d, Map.of("n", 3), values(), 10, 1);
    int compared = 0;
    for (GradientCheck.Entry e : entries) {
      if (approximate.containsKey(e.param().name())) continue;
      assertTrue(e.passes(1e-7), e.toString());
      compared++;
    }
    assertEquals(1, compared, "c: through the exact rule ∂safelog/∂s");
    // u's gradient also goes through the exact softclip rule: with the clip inactive it matches the numbers
    Map<String, double[]> v = values();
    v.put("u", new double[] {-0.4, 1.1, 0.3});
    for (GradientCheck.Entry e : GradientCheck.check(d, Map.of("n", 3), v, 10, 1)) {
      if (e.param().name().equals("u")) assertTrue(e.passes(1e-7), e.toString());
    }
  }

  @Test
  void forwardModeAndGeneratedJavaUseTheRulesToo() throws Exception {
    Result r = Pipeline.compile("custom_rules.nn", text(), "");
    DiffModel d = r.derivatives().get(0);
    GradientCheck.Directional dir = GradientCheck.directional(d, Map.of("n", 3), values(), 7);
    assertTrue(dir.modesError() < 1e-12, "forward " + dir.forward() + " reverse " + dir.reverse());
    assertTrue(Pipeline.compileAndAgree(List.of(r), 11) > 10);
  }

  @Test
  void rulesPrintBackInBothSpellings() throws Exception {
    Result r = Compiler.compile(Source.of("c.nn", text()), Compiler.Options.defaults().stopAfter(Compiler.Stage.PARSE));
    String unicode = AstPrinter.print(r.ast(), AstPrinter.Spelling.UNICODE);
    String ascii = AstPrinter.print(r.ast(), AstPrinter.Spelling.ASCII);
    assertTrue(unicode.contains("  ∂hard/∂z ≈ 1\n") && unicode.contains("  ∂softclip/∂z = 1 − softclip(z)² / 4\n"),
        unicode);
    assertTrue(ascii.contains("  grad(hard, z) ~= 1\n") && ascii.contains("  grad(safelog, s) = log(z)\n"), ascii);
    Result back = Compiler.compile(Source.of("a.nn", ascii), Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    assertFalse(back.hasErrors(), back.diagnostics().toString());
  }
}
