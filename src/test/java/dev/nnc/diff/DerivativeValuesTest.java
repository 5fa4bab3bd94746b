package dev.nnc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.DiagnosticRenderer;
import dev.nnc.diag.Source;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code ∂E/∂x} inside the language (LANGUAGE.md §10) on the models of src/test/resources/derivatives: a gradient
 * penalty with respect to a param, one with respect to an input (written {@code grad(L, X)}), and a Hessian-vector
 * product that the loss differentiates once more. Every number is checked against PyTorch (recorded by
 * src/test/python/record_derivatives_reference.py, create_graph=True) and against central differences.
 */
class DerivativeValuesTest {
  static final String[] MODELS = {"gradient_penalty", "input_penalty", "hessian_vector"};

  static String resource(String path) throws IOException {
    try (InputStream in = DerivativeValuesTest.class.getResourceAsStream("/derivatives/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Result compile(String file) throws IOException {
    Result r = Compiler.compile(Source.of(file + ".nn", resource(file + ".nn")),
        Compiler.Options.defaults().stopAfter(Compiler.Stage.DIFF));
    StringBuilder msg = new StringBuilder();
    r.diagnostics().forEach(d -> msg.append(DiagnosticRenderer.render(r.source(), d)));
    assertFalse(r.hasErrors(), msg.toString());
    return r;
  }

  /** "Model.key" → numbers, from the recorded reference. */
  static Map<String, double[]> torch() throws IOException {
    Map<String, double[]> out = new LinkedHashMap<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        DerivativeValuesTest.class.getResourceAsStream("/derivatives/torch-reference.txt"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("#") || line.isBlank()) continue;
        int eq = line.indexOf(" = ");
        String[] f = line.substring(eq + 3).trim().split(" ");
        double[] v = new double[f.length];
        for (int i = 0; i < f.length; i++) v[i] = Double.parseDouble(f[i]);
        out.put(line.substring(0, eq), v);
      }
    }
    return out;
  }

  /** The recorded values of the model's inputs and params. */
  static Map<String, double[]> leaves(ModelIR m, Map<String, double[]> torch) {
    Map<String, double[]> values = new HashMap<>();
    for (ModelIR.Leaf l : m.inputs()) values.put(l.name(), torch.get(m.name() + "." + l.name()));
    for (ModelIR.Leaf l : m.params()) values.put(l.name(), torch.get(m.name() + "." + l.name()));
    return values;
  }

  static void close(double[] expected, double[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gradient_penalty", "input_penalty", "hessian_vector"})
  void valuesAndGradientsMatchPyTorch(String file) throws IOException {
    Result r = compile(file);
    DiffModel d = r.derivatives().get(0);
    ModelIR m = d.model();
    Map<String, double[]> torch = torch();
    Map<String, double[]> values = leaves(m, torch);
    Interpreter in = Interpreter.forModel(m, Map.of(), values);
    // the unexpanded model as lowering made it: the interpreter's own semantics of ∂ (the plain reverse pass)
    ModelIR lowered = r.models().get(0);
    assertTrue(Derivatives.present(lowered));
    assertFalse(Derivatives.present(m), "the differentiated model holds no ∂ node");
    Interpreter plain = Interpreter.forModel(lowered, Map.of(), values);
    int checked = 0;
    for (Map.Entry<String, double[]> e : torch.entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(m.name() + ".")) continue;
      String name = key.substring(m.name().length() + 1);
      if (name.startsWith("∂")) { // ∂Loss/∂param: the model's reverse pass, through the expanded ∂ values
        String param = name.substring(name.indexOf("/∂") + 2);
        close(e.getValue(), in.eval(d.adjoint(param).value()), 1e-10, key);
        checked++;
      } else if (m.value(name) != null) {
        close(e.getValue(), in.eval(m.value(name).node()), 1e-10, key);
        close(e.getValue(), plain.eval(lowered.value(name).node()), 1e-10, key + " (unexpanded, interpreter)");
        checked++;
      }
    }
    assertTrue(checked >= 3, "compared " + checked + " recorded tensors");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gradient_penalty", "input_penalty", "hessian_vector"})
  void lossGradientsThroughDerivativesMatchCentralDifferences(String file) throws IOException {
    DiffModel d = compile(file).derivatives().get(0);
    FiniteDifferences.assertGradients(d, Map.of(), leaves(d.model(), torch()), 1e-7, file);
  }

  @Test
  void hessianVectorProductIsTheDerivativeOfTheGradientAlongV() throws IOException {
    DiffModel d = compile("hessian_vector").derivatives().get(0);
    ModelIR m = d.model();
    Map<String, double[]> torch = torch();
    Map<String, double[]> values = leaves(m, torch);
    double[] w = values.get("w");
    double[] v = values.get("v");
    double h = 1e-5;
    double[] plus = new double[3];
    double[] minus = new double[3];
    for (int i = 0; i < 3; i++) {
      plus[i] = w[i] + h * v[i];
      minus[i] = w[i] - h * v[i];
    }
    Expr g = m.value("g").node();
    values.put("w", plus);
    double[] gPlus = Interpreter.forModel(m, Map.of(), values).eval(g).clone();
    values.put("w", minus);
    double[] gMinus = Interpreter.forModel(m, Map.of(), values).eval(g).clone();
    values.put("w", w);
    double[] hv = Interpreter.forModel(m, Map.of(), values).eval(m.value("Hv").node());
    for (int i = 0; i < 3; i++) assertEquals((gPlus[i] - gMinus[i]) / (2 * h), hv[i], 1e-8, "Hv[" + i + "]");
    // Hv with v = e_j is column j of the Hessian (PyTorch's torch.autograd.functional.hessian)
    double[] hessian = torch.get("HessianVector.H");
    for (int j = 0; j < 3; j++) {
      double[] e = new double[3];
      e[j] = 1;
      values.put("v", e);
      double[] column = Interpreter.forModel(m, Map.of(), values).eval(m.value("Hv").node());
      for (int i = 0; i < 3; i++) assertEquals(hessian[3 * i + j], column[i], 1e-12, "H[" + i + "][" + j + "]");
    }
  }

  @Test
  void bothSpellingsLowerToTheSameNode() {
    String unicode = "model M {\n  input x[n]\n  param w[n]\n  L = sum(σ(w * x))\n  g = ∂L/∂w\n  h = ∂(sum(g²))/∂w\n  loss L\n}\n";
    String ascii = "model M {\n  input x[n]\n  param w[n]\n  L = sum(sigmoid(w * x))\n  g = grad(L, w)\n"
        + "  h = grad(sum(g^2), w)\n  loss L\n}\n";
    Result a = Compiler.compile(Source.of("a.nn", unicode), Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    assertFalse(a.hasErrors(), a.diagnostics().toString());
    ModelIR m = a.models().get(0);
    Graph graph = m.graph();
    Expr.Derivative h = (Expr.Derivative) m.value("h").node();
    assertSame(m.value("g").node(), ((Expr.Binary) ((Expr.Reduce) h.of()).x()).a(), "g² reads g itself");
    Result b = Compiler.compile(Source.of("b.nn", ascii), Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    assertFalse(b.hasErrors());
    assertEquals(graph.size(), b.models().get(0).graph().size(), "the same nodes, in the same order");
    assertEquals(dev.nnc.ast.AstPrinter.print(a.ast(), dev.nnc.ast.AstPrinter.Spelling.ASCII),
        dev.nnc.ast.AstPrinter.print(b.ast(), dev.nnc.ast.AstPrinter.Spelling.ASCII));
    String printed = dev.nnc.ast.AstPrinter.print(b.ast(), dev.nnc.ast.AstPrinter.Spelling.UNICODE);
    assertTrue(printed.contains("g = ∂L/∂w") && printed.contains("h = ∂(sum(g²))/∂w"), printed);
    assertNotNull(h.wrt());
  }

  @Test
  void aNonScalarOperandIsAnErrorWhoseHintContractsItFirst() {
    Result r = Compiler.compile(Source.of("v.nn", "model M {\n  input x[n]\n  param w[n]\n  a = σ(w * x)\n"
        + "  J = ∂a/∂w\n}\n"), Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    dev.nnc.diag.Diagnostic d = r.diagnostics().get(0);
    assertEquals("E0217", d.code().id());
    assertEquals("∂a/∂w: a is a vector [n], not a scalar", d.message());
    assertEquals("contract it with a vector first: ∂(u · a)/∂w, or ∂(sum(a))/∂w", d.hint());
  }
}
