package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import dev.nnc.diff.Adjoint;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import dev.nnc.notation.MathPrinter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code input T[B, O] onehot} (LANGUAGE.md §10): the simplifier uses that each row of T sums to 1, so the course's
 * {@code ∂L/∂A2 = (Y − T)/B}; the generated forward and the interpreter reject a row that is not a distribution.
 */
class OnehotTest {
  static final String NET = """
      model Net {
        dim B, I = 3, H = 4, O = 3
        input X[B, I], T[B, O] onehot
        param W1[I, H], b1[H], W2[H, O], b2[O]
        A1 = X W1 + b1
        Z1 = σ(A1)
        A2 = Z1 W2 + b2
        %s
      }
      """;

  static Result compile(String body) {
    return Pipeline.compile("net.nn", NET.formatted(body), "");
  }

  static String adjointOfA2(Result r) {
    for (Adjoint a : r.derivatives().get(0).adjoints()) {
      if (a.name().equals("A2")) {
        return MathPrinter.unicode(MathPrinter.names(r.derivatives().get(0).model())).print(a.value());
      }
    }
    throw new AssertionError("no ∂L/∂A2");
  }

  @Test
  void softmaxCrossEntropyGivesTheCourseForm() {
    assertEquals("(Y−T)/B", adjointOfA2(compile("Y = softmax(A2)\n  L = −sum(T * log Y)/B")));
    assertEquals("(softmax(A2) − T)/B", adjointOfA2(compile("L = −sum(T * log_softmax(A2))/B")));
    // without onehot the row sum stays: the fact is the declaration's, not a guess
    Result plain = Pipeline.compile("net.nn", NET.formatted("Y = softmax(A2)\n  L = −sum(T * log Y)/B")
        .replace(" onehot", ""), "");
    assertTrue(adjointOfA2(plain).contains("Σ"), adjointOfA2(plain));
  }

  @Test
  void theSimplifiedGradientIsTheGradientOnDistributions() throws Exception {
    Result r = compile("Y = softmax(A2)\n  L = −sum(T * log Y)/B");
    ModelIR ir = r.derivatives().get(0).model();
    Random rnd = new Random(7);
    int b = 5;
    Map<String, double[]> values = new HashMap<>();
    for (ModelIR.Leaf l : ir.params()) values.put(l.name(), gaussian(rnd, size(l, b)));
    values.put("X", gaussian(rnd, b * 3));
    double[] t = new double[b * 3];
    for (int row = 0; row < b; row++) {
      double a = rnd.nextDouble();
      double c = rnd.nextDouble() * (1 - a);
      t[row * 3] = a;
      t[row * 3 + 1] = c;
      t[row * 3 + 2] = 1 - a - c;
    }
    values.put("T", t);
    Interpreter in = Interpreter.forModel(ir, Map.of("B", b), values);
    double[] dA2 = null;
    for (Adjoint a : r.derivatives().get(0).adjoints()) if (a.name().equals("A2")) dA2 = in.eval(a.value());
    double[] y = in.eval(ir.value("Y").node());
    for (int i = 0; i < y.length; i++) assertEquals((y[i] - t[i]) / b, dA2[i], 1e-15);
    // and the param gradients agree with central differences of the loss
    double[] w2 = values.get("W2");
    Adjoint gw2 = null;
    for (Adjoint a : r.derivatives().get(0).adjoints()) if (a.name().equals("W2")) gw2 = a;
    double[] symbolic = in.eval(gw2.value());
    for (int i = 0; i < w2.length; i++) {
      double keep = w2[i];
      w2[i] = keep + 1e-6;
      double up = Interpreter.forModel(ir, Map.of("B", b), values).scalar(ir.lossValue().node());
      w2[i] = keep - 1e-6;
      double down = Interpreter.forModel(ir, Map.of("B", b), values).scalar(ir.lossValue().node());
      w2[i] = keep;
      assertEquals((up - down) / 2e-6, symbolic[i], 1e-8);
    }
  }

  @Test
  void generatedForwardRejectsARowThatIsNotADistribution() throws Exception {
    Result r = compile("Y = softmax(A2)\n  L = −sum(T * log Y)/B");
    Class<?> net = Javac.compile(List.of(r.files().get(0))).loadClass("Net");
    Object model = net.getConstructor(int.class).newInstance(2);
    Method forward = net.getMethod("forward", double[].class, double[].class);
    double[] x = {1, 2, 3, 4, 5, 6};
    double loss = (double) forward.invoke(model, x, new double[] {0, 1, 0, 0.25, 0.25, 0.5});
    assertTrue(Double.isFinite(loss));
    InvocationTargetException sum = assertThrows(InvocationTargetException.class,
        () -> forward.invoke(model, x, new double[] {0, 1, 0, 1, 1, 0}));
    assertEquals("input T[B, O] onehot: row 1 sums to 2.0, not 1", sum.getCause().getMessage());
    assertTrue(sum.getCause() instanceof IllegalArgumentException);
    InvocationTargetException negative = assertThrows(InvocationTargetException.class,
        () -> forward.invoke(model, x, new double[] {1.5, -0.5, 0, 1, 0, 0}));
    assertEquals("input T[B, O] onehot: row 0 has entry -0.5 (not a probability)", negative.getCause().getMessage());
    // the interpreter says the same
    ModelIR ir = r.derivatives().get(0).model();
    Map<String, double[]> values = new HashMap<>();
    for (ModelIR.Leaf l : ir.params()) values.put(l.name(), new double[size(l, 2)]);
    values.put("X", x);
    values.put("T", new double[] {0, 1, 0, 1, 1, 0});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Interpreter.forModel(ir, Map.of("B", 2), values));
    assertEquals(sum.getCause().getMessage(), e.getMessage());
  }

  private static int size(ModelIR.Leaf l, int b) {
    int n = 1;
    for (var d : l.var().shape().dims()) n *= d.isFree() ? b : d.size();
    return n;
  }

  private static double[] gaussian(Random rnd, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = rnd.nextGaussian();
    return v;
  }
}
