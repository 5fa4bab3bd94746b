package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Result;
import dev.nnc.diff.DiffModel;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * conv2d (with stride and padding), maxpool and avgpool against PyTorch: the loss {@code L = Σ op(X[, K]) ⊙ R} and its
 * gradients recorded in float64 by src/test/python/record_conv_pool_reference.py (never run here) must come out of the
 * interpreter and out of the generated Java. The inputs are the formulas the script uses.
 */
class ConvPoolTorchTest {
  static final IntToDoubleFunction X = i -> Math.sin(0.37 * i + 0.1);
  static final IntToDoubleFunction K = i -> 0.5 * Math.cos(0.53 * i);
  static final IntToDoubleFunction R = i -> Math.sin(1.3 * i + 0.7);

  /** One recorded case. */
  record Case(String op, int[] g, double loss, double[] dX, double[] dK) {
    boolean conv() {
      return op.equals("conv");
    }

    String className() {
      return "Torch" + op + String.join("_", java.util.Arrays.stream(g).mapToObj(Integer::toString).toList());
    }

    String source() {
      int b = g[0], c = g[1], h = g[2], w = g[3], f = g[4], kh = g[5], kw = g[6], s = g[7], p = g[8], k = g[9];
      if (conv()) {
        int oh = (h + 2 * p - kh) / s + 1;
        int ow = (w + 2 * p - kw) / s + 1;
        return "model " + className() + " {\n  input R[" + b + ", " + f + ", " + oh + ", " + ow + "]\n  param X[" + b
            + ", " + c + ", " + h + ", " + w + "], K[" + f + ", " + c + ", " + kh + ", " + kw + "]\n"
            + "  L = sum(conv2d(X, K, stride=" + s + ", padding=" + p + ") * R)\n}\n";
      }
      return "model " + className() + " {\n  input R[" + b + ", " + c + ", " + (h / k) + ", " + (w / k) + "]\n  param X["
          + b + ", " + c + ", " + h + ", " + w + "]\n  L = sum(" + op + "(X, " + k + ") * R)\n}\n";
    }
  }

  static List<Case> cases() throws Exception {
    List<Case> out = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        ConvPoolTorchTest.class.getResourceAsStream("/layers/conv-pool-reference.txt"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("#")) continue;
        String[] parts = line.split(" ; ");
        String[] head = parts[0].split(" ");
        int[] g = new int[10];
        for (int i = 0; i < 10; i++) g[i] = Integer.parseInt(head[i + 1]);
        out.add(new Case(head[0], g, Double.parseDouble(parts[1]), numbers(parts[2]),
            parts.length > 3 ? numbers(parts[3]) : null));
      }
    }
    return out;
  }

  private static double[] numbers(String s) {
    String[] f = s.trim().split(" ");
    double[] out = new double[f.length];
    for (int i = 0; i < f.length; i++) out[i] = Double.parseDouble(f[i]);
    return out;
  }

  static double[] filled(int n, IntToDoubleFunction f) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) a[i] = f.applyAsDouble(i);
    return a;
  }

  static void close(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) close(expected[i], actual[i], what + "[" + i + "]");
  }

  static void close(double expected, double actual, String what) {
    if (!(Math.abs(expected - actual) <= 1e-12 * Math.abs(expected) + 1e-13)) {
      fail(what + ": expected " + expected + " (torch), got " + actual);
    }
  }

  @Test
  void interpreterAndGeneratedJavaMatchPyTorch() throws Exception {
    List<Case> cases = cases();
    assertEquals(List.of("conv", "maxpool", "avgpool"), cases.stream().map(Case::op).distinct().toList());
    List<Result> results = new ArrayList<>();
    for (Case c : cases) results.add(Pipeline.compile(c.className() + ".nn", c.source(), "torchref"));
    List<GeneratedFile> files = new ArrayList<>();
    for (Result r : results) files.addAll(r.files());
    ClassLoader loader = Javac.compile(files);
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      DiffModel d = results.get(i).derivatives().get(0);
      ModelIR m = d.model();
      Interpreter sizer = new Interpreter(m.graph(), Map.of());
      Map<String, double[]> values = new HashMap<>();
      for (ModelIR.Leaf leaf : m.inputs()) values.put(leaf.name(), filled(sizer.size(leaf.var().shape()), R));
      for (ModelIR.Leaf leaf : m.params()) {
        values.put(leaf.name(), filled(sizer.size(leaf.var().shape()), leaf.name().equals("X") ? X : K));
      }
      Interpreter in = Interpreter.forModel(m, Map.of(), values);
      String at = c.className();
      close(c.loss(), in.scalar(m.lossValue().node()), at + " interpreter L");
      close(c.dX(), in.eval(d.adjoint("X").value()), at + " interpreter dL/dX");
      if (c.conv()) close(c.dK(), in.eval(d.adjoint("K").value()), at + " interpreter dL/dK");

      Class<?> type = loader.loadClass("torchref." + c.className());
      Object model = type.getConstructor().newInstance();
      for (ModelIR.Leaf leaf : m.params()) {
        double[] field = (double[]) type.getField(leaf.name()).get(model);
        System.arraycopy(values.get(leaf.name()), 0, field, 0, field.length);
      }
      double loss = (double) type.getMethod("forward", double[].class).invoke(model, values.get("R"));
      type.getMethod("backward").invoke(model);
      close(c.loss(), loss, at + " generated L");
      close(c.dX(), (double[]) type.getField("dX").get(model), at + " generated dL/dX");
      if (c.conv()) close(c.dK(), (double[]) type.getField("dK").get(model), at + " generated dL/dK");
    }
  }
}
