package dev.nnc.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Source;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** π (and σ, Σ) split a run of letters, but a keyword or built-in split off that way stays one, not a name. */
class GluedKeywordTest {
  private static Result check(String text) {
    return Compiler.compile(Source.of("g.nn", text), Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
  }

  @Test
  void aKeywordGluedToPiIsStillAKeyword() {
    Result glued = check("L = lossπ\n");
    Result spaced = check("L = loss π\n");
    assertTrue(spaced.hasErrors());
    assertTrue(glued.hasErrors(), "lossπ must not become a param named loss");
    assertEquals(spaced.diagnostics().get(0).code(), glued.diagnostics().get(0).code());
    assertEquals(spaced.diagnostics().get(0).span().col(), glued.diagnostics().get(0).span().col());
  }

  @Test
  void aBuiltInGluedToPiAppliesToIt() {
    Result r = check("L = logπ + x\n");
    assertTrue(!r.hasErrors(), r.diagnostics().toString());
    ModelIR m = r.models().get(0);
    assertEquals(1, m.params().size() + m.inputs().size(), "only x is free, not log");
    Map<String, double[]> x = Map.of("x", new double[] {0.5});
    assertEquals(Math.log(Math.PI) + 0.5, Interpreter.forModel(m, Map.of(), x).scalar(m.lossValue().node()), 1e-15);
  }
}
