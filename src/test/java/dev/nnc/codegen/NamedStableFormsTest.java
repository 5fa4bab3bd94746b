package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import dev.nnc.diff.DiffModel;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the stable forms are recognised through named intermediates (simplify.StableForms), and the names keep
 * the values and adjoints of the model as written. LossSweepTest checks the losses and param gradients at every
 * scale; this checks what the user's names hold.
 */
class NamedStableFormsTest {
  private static DiffModel compile(String text) {
    Result r = Pipeline.compile("named.nn", text, "");
    return r.derivatives().get(0);
  }

  private static Interpreter at(DiffModel dm, double... z) {
    return Interpreter.forModel(dm.model(), Map.of(), Map.of("z", z));
  }

  @Test
  void aNamedSumOfExpsKeepsItsValueAndItsAdjoint() {
    DiffModel dm = compile("param z[3]\ns = sum(exp(z))\nL = log(s)\n");
    ModelIR m = dm.model();
    assertEquals(1, dm.rewritesOf("L").size(), "L is computed as logsumexp");
    assertEquals(List.of(), dm.rewritesOf("s"), "s is not rewritten");

    Interpreter small = at(dm, 1, 2, 3);
    double sum = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assertEquals(sum, small.scalar(m.value("s").node()), 1e-15 * sum, "s = Σ exp(z)");
    assertEquals(Math.log(sum), small.scalar(m.value("L").node()), 1e-15);
    assertEquals(1 / sum, small.scalar(dm.adjoint("s").value()), 1e-15 / sum, "∂L/∂s = 1/s as written");
    double[] g = small.eval(dm.adjoint("z").value());
    for (int i = 0; i < 3; i++) assertEquals(Math.exp(i + 1) / sum, g[i], 1e-15, "softmax(z)[" + i + "]");

    Interpreter far = at(dm, 800, 1, 2);
    assertEquals(Double.POSITIVE_INFINITY, far.scalar(m.value("s").node()), "s keeps its value as written: it overflows");
    assertEquals(800, far.scalar(m.value("L").node()), 1e-12, "but L does not");
    assertEquals(0, far.scalar(dm.adjoint("s").value()), "∂L/∂s = 1/s is 0 there");
    double[] gf = far.eval(dm.adjoint("z").value());
    assertEquals(1, gf[0]);
    assertEquals(0, gf[1] + gf[2], 1e-300);
  }

  @Test
  void aHandWrittenSoftmaxThroughNamesKeepsTheIntermediates() {
    DiffModel dm = compile("param z[3]\ninput t[3]\ne = exp(z)\ns = Σ e\ny = e / s\nL = −Σ(t log y)\n");
    ModelIR m = dm.model();
    assertEquals(1, dm.rewritesOf("y").size(), "y is computed as softmax(z)");
    assertEquals(List.of(), dm.rewritesOf("e"));
    assertEquals(List.of(), dm.rewritesOf("s"));
    Interpreter in = Interpreter.forModel(m, Map.of(), Map.of("z", new double[] {0.5, -1, 2}, "t", new double[] {0, 1, 0}));
    double s = Math.exp(0.5) + Math.exp(-1) + Math.exp(2);
    assertEquals(s, in.scalar(m.value("s").node()), 1e-15 * s);
    assertEquals(Math.exp(2), in.eval(m.value("e").node())[2], 1e-15 * Math.exp(2));
    // ∂L/∂s = Σ(−∂L/∂y ⊙ e/s²) with ∂L/∂y = −t/y: the adjoint of the model as written is 1/s
    assertEquals(1 / s, in.scalar(dm.adjoint("s").value()), 1e-14 / s);
    // ∂L/∂e = ∂L/∂y / s + ∂L/∂s: −t/(y s) + 1/s, i.e. −1/e_1 + 1/s at the target and 1/s elsewhere
    double[] ge = in.eval(dm.adjoint("e").value());
    assertEquals(1 / s, ge[0], 1e-14);
    assertEquals(-1 / Math.exp(-1) + 1 / s, ge[1], 1e-14);
    double[] gz = in.eval(dm.adjoint("z").value());
    assertEquals(Math.exp(-1) / s - 1, gz[1], 1e-14, "softmax − t");
  }

  @Test
  void aNameWithOtherReadersIsNotLookedThrough() {
    // L reads s twice: log(s) cannot drop s, so the rewrite would not remove the overflow — it is not applied
    DiffModel dm = compile("param z[3]\ns = sum(exp(z))\nL = log(s) + s/100\n");
    assertEquals(List.of(), dm.rewritesOf("L"));
    double[] z = {0.1, 0.2, 0.3};
    Interpreter in = at(dm, z);
    double sum = Math.exp(0.1) + Math.exp(0.2) + Math.exp(0.3);
    double[] g = in.eval(dm.adjoint("z").value());
    for (int i = 0; i < 3; i++) assertEquals(Math.exp(z[i]) / sum + Math.exp(z[i]) / 100, g[i], 1e-14);
  }

  @Test
  void generatedJavaAgreesOnEveryNamedForm() throws Exception {
    String[] models = {
      "param z[3]\ns = sum(exp(z))\nL = log(s)\n",
      "param z[3]\ne = exp(z)\ns = Σ e\nL = log s\n",
      "param z[3]\ninput t[3]\ne = exp(z)\ns = Σ e\ny = e / s\nL = −Σ(t log y)\n",
      "dim B = 2, O = 3\ninput T[B, O]\nparam A[B, O]\nE = exp(A)\nS = sum(E, axis=1, keepdims)\nY = E / S\n"
          + "L = −sum(T * log Y) / B\n",
      "input y\nparam z\ne = exp(−z)\na = 1/(1 + e)\nL = −(y log a + (1−y) log(1−a))\n",
      "input y\nparam z\nu = exp(z) + 1\nL = log(u) − y z\n",
    };
    int compared = 0;
    for (int i = 0; i < models.length; i++) {
      Result r = Pipeline.compile("named" + i + ".nn", models[i], "");
      assertTrue(!r.derivatives().get(0).rewrites().isEmpty(), models[i] + " is rewritten");
      compared += Agreement.check(r.derivatives().get(0), Javac.load(r.files().get(0)), 7 + i);
    }
    assertTrue(compared > 30, "compared " + compared);
  }
}
