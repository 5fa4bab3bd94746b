package dev.nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.codegen.LossSweepTest;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Severity;
import dev.nnc.diag.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11: the numeric-hazard warnings W0504–W0507 (check.NumericHazards): each hazard is reported where it is
 * written, with a hint; the stable forms (every spelling of LossSweepTest) and the examples get none.
 */
class NumericHazardsTest {
  private static List<Diagnostic> check(String text) {
    Result r = Compiler.compile(Source.of("m.nn", text), Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    assertFalse(r.hasErrors(), r.diagnostics().toString());
    return r.diagnostics();
  }

  /** The hazard warnings as "line:col code". */
  private static List<String> hazards(String text) {
    List<String> out = new ArrayList<>();
    for (Diagnostic d : check(text)) {
      String id = d.code().id();
      if (id.compareTo("W0504") < 0 || id.compareTo("W0507") > 0) continue;
      assertEquals(Severity.WARNING, d.severity());
      assertTrue(d.hint() != null && !d.hint().isBlank(), id + " has a hint");
      out.add(d.span().line() + ":" + d.span().col() + " " + id);
    }
    return out;
  }

  @Test
  void eachHazardIsReportedWhereItIsWritten() {
    String model = """
        input x[3], y
        param w[3], b
        z = w · x + b
        L1 = log(z)
        r = sqrt(z)
        q = y / z
        e = exp(z)
        L = L1 + r + q + e
        """;
    assertEquals(List.of("4:6 W0504", "5:5 W0505", "6:9 W0506", "7:5 W0507"), hazards(model));
  }

  @Test
  void boundsMakeTheDifference() {
    assertEquals(List.of(), hazards("param w[3]\nL = log(sum(w²) + 1e-8) + sqrt(sum(w²) + 1) + 1/(w·w + 2)\n"));
    assertEquals(List.of("2:5 W0504"), hazards("param w[3]\nL = log(sum(w²))\n"), "a sum of squares can be 0");
    assertEquals(List.of("2:5 W0505"), hazards("param w[3]\nL = √(w·w)\n"), "|w| at w = 0");
    assertEquals(List.of("2:6 W0504"), hazards("param z\nL = −log(1 − z²)\n"), "1 − z² goes below 0");
    assertEquals(List.of(), hazards("param z\nL = −log(1 − tanh(z)) + 1/(1 − σ(z))\n"), "tanh and σ never reach 1");
    assertEquals(List.of(), hazards("param z\nL = −log(1 − σ(z)) − log(σ(z))\n"), "σ stays inside (0, 1)");
    assertEquals(List.of(), hazards("param z[4]\ns = sum(exp(z − max(z)))\nL = log(s)\n"), "z − max(z) ≤ 0");
    assertEquals(List.of("2:5 W0507"), hazards("param z[4]\ne = exp(2 z)\nL = sum(e)\n"));
    assertEquals(List.of(), hazards("param z\nL = exp(tanh(z))\n"), "exp of a bounded value");
    assertEquals(List.of(), hazards("dim n = 4\nparam z[n]\nL = sum(z) / n\n"), "dims are ≥ 1");
  }

  @Test
  void anExpThatOnlyAStableFormReadsIsNoHazard() {
    assertEquals(List.of(), hazards("param z[3]\ns = sum(exp(z))\nL = log(s)\n"));
    // …but one that something else reads is: s/100 overflows
    assertEquals(List.of("2:9 W0507"), hazards("param z[3]\ns = sum(exp(z))\nL = log(s) + s/100\n"));
    // …and one whose value the user receives
    assertEquals(List.of("2:5 W0507"), hazards("param z[3]\ne = exp(z)\noutput e\nL = log(sum(e))\n"));
  }

  static Stream<LossSweepTest.Form> lossForms() {
    return LossSweepTest.forms().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lossForms")
  void noWarningOnAnyStableLossForm(LossSweepTest.Form form) {
    assertEquals(List.of(), hazards(form.text()), form.text());
  }

  @Test
  void noWarningOnTheExamples() throws Exception {
    int files = 0;
    try (Stream<Path> s = Files.list(Path.of("examples"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".nn")).sorted().toList()) {
        assertEquals(List.of(), hazards(Files.readString(p)), p.toString());
        files++;
      }
    }
    assertTrue(files >= 8, "examples found: " + files);
  }
}
