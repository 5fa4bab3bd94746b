package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import dev.nnc.diff.DiffModel;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.NameTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11: every standard loss, in each spelling users write (with and without a named σ or softmax, log Σ exp
 * by hand, softplus by hand, σ by hand), at logits 0, ±30, ±800 and ±1e4: the loss and every gradient are finite and
 * equal the exact values — torch's stable kernels in float64, recorded by
 * {@code src/test/resources/stability/record_torch.py} into {@code torch_losses.csv} — in the interpreter and in the
 * generated Java.
 */
public class LossSweepTest {
  /** A spelling: its reference kind in the CSV and the model text (param z or A: the logits). */
  public record Form(String name, String kind, String text) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final String CCE_HEAD = "dim B = 2, O = 3\ninput T[B, O]\nparam A[B, O]\n";
  private static final String LSE_HEAD = "param z[3]\n";
  private static final String VCCE_HEAD = "input t[3]\nparam z[3]\n";
  private static final String BCE_LOSS = "L = −(y log a + (1−y) log(1−a))\n";

  public static List<Form> forms() {
    return List.of(
        new Form("bce, named σ", "bce", "input y\nparam z\na = σ(z)\nL = −(y log a + (1−y) log(1−a))\n"),
        new Form("bce, σ inline", "bce", "input y\nparam z\nL = −(y log σ(z) + (1−y) log(1 − σ(z)))\n"),
        new Form("bce, ln and minus signs", "bce", "input y\nparam z\na = sigmoid(z)\nL = −y ln a − (1 − y) ln(1 − a)\n"),
        new Form("bce, σ by hand", "bce", "input y\nparam z\na = 1/(1 + exp(−z))\nL = −(y log a + (1−y) log(1−a))\n"),
        new Form("bce, softplus", "bce", "input y\nparam z\nL = softplus(z) − y z\n"),
        new Form("bce, softplus by hand", "bce", "input y\nparam z\nL = log(1 + exp(z)) − y z\n"),
        new Form("bce, softplus by hand, exp first", "bce", "input y\nparam z\nL = log(exp(z) + 1) − y z\n"),
        new Form("cce, named softmax", "cce", CCE_HEAD + "Y = softmax(A)\nL = −sum(T * log(Y)) / B\n"),
        new Form("cce, softmax inline", "cce", CCE_HEAD + "L = −sum(T * log(softmax(A))) / B\n"),
        new Form("cce, ln of a named softmax", "cce", CCE_HEAD + "Y = softmax(A)\nP = T * ln Y\nL = −sum(P) / B\n"),
        new Form("cce, log_softmax", "cce", CCE_HEAD + "L = −sum(T * log_softmax(A)) / B\n"),
        new Form("cce, logsumexp", "cce", CCE_HEAD + "L = (sum(logsumexp(A, axis=1)) − sum(T * A)) / B\n"),
        new Form("cce, log Σ exp by hand", "cce", CCE_HEAD + "L = (sum(log(sum(exp(A), axis=1))) − sum(T * A)) / B\n"),
        new Form("mse", "mse", CCE_HEAD + "L = sum((A − T)²) / B\n"),
        new Form("lse", "lse", LSE_HEAD + "L = logsumexp(z)\n"),
        new Form("lse by hand", "lse", LSE_HEAD + "L = log(sum(exp(z)))\n"),
        new Form("lse by hand, Σ", "lse", LSE_HEAD + "L = log Σ exp(z)\n"),
        // through named intermediates (the stable form is recognised across the names)
        new Form("bce, σ by hand through a named exp", "bce", "input y\nparam z\ne = exp(−z)\na = 1/(1 + e)\n" + BCE_LOSS),
        new Form("bce, σ by hand, named denominator", "bce", "input y\nparam z\nd = 1 + exp(−z)\na = 1/d\n" + BCE_LOSS),
        new Form("bce, named 1 − a", "bce", "input y\nparam z\na = σ(z)\nq = 1 − a\nL = −(y log a + (1−y) log q)\n"),
        new Form("bce, named logs", "bce", "input y\nparam z\na = σ(z)\nla = log a\nlb = log(1 − a)\nL = −(y la + (1−y) lb)\n"),
        new Form("bce, softplus by hand through a named exp", "bce", "input y\nparam z\ne = exp(z)\nL = log(1 + e) − y z\n"),
        new Form("bce, softplus by hand through a named sum", "bce", "input y\nparam z\nu = exp(z) + 1\nL = log(u) − y z\n"),
        new Form("cce, softmax by hand", "cce", CCE_HEAD + "Y = exp(A) / sum(exp(A), axis=1, keepdims)\nL = −sum(T * log(Y)) / B\n"),
        new Form("cce, softmax by hand, named exp and sum", "cce",
            CCE_HEAD + "E = exp(A)\nS = sum(E, axis=1, keepdims)\nY = E / S\nL = −sum(T * log Y) / B\n"),
        new Form("cce, softmax by hand inline", "cce", CCE_HEAD + "L = −sum(T * log(exp(A) / sum(exp(A), axis=1, keepdims))) / B\n"),
        new Form("cce, log Σ exp through a named sum", "cce", CCE_HEAD + "S = sum(exp(A), axis=1)\nL = (sum(log(S)) − sum(T * A)) / B\n"),
        new Form("cce, named log of a named softmax", "cce", CCE_HEAD + "Y = softmax(A)\nP = log(Y)\nL = −sum(T * P) / B\n"),
        new Form("vcce, softmax by hand", "vcce", VCCE_HEAD + "y = exp(z) / Σ exp(z)\nL = −Σ(t * log y)\n"),
        new Form("vcce, softmax by hand, named", "vcce", VCCE_HEAD + "e = exp(z)\ns = Σ e\ny = e / s\nL = −Σ(t * log y)\n"),
        new Form("vcce, named softmax", "vcce", VCCE_HEAD + "y = softmax(z)\nL = −Σ(t log y)\n"),
        new Form("lse through a named sum", "lse", LSE_HEAD + "s = sum(exp(z))\nL = log(s)\n"),
        new Form("lse through a named exp", "lse", LSE_HEAD + "e = exp(z)\nL = log(sum(e))\n"),
        new Form("lse through a named exp and sum", "lse", LSE_HEAD + "e = exp(z)\ns = Σ e\nL = log s\n"),
        new Form("mse through a named difference", "mse", CCE_HEAD + "D = A − T\nL = sum(D²) / B\n"));
  }

  /** One CSV row: kind, s, y, loss, gradient. */
  record Reference(String kind, double s, double y, double loss, double[] gradient) {}

  private static List<Reference> references() throws IOException {
    List<Reference> out = new ArrayList<>();
    try (InputStream in = LossSweepTest.class.getResourceAsStream("/stability/torch_losses.csv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) continue;
        String[] f = line.split(",");
        double[] g = new double[f.length - 4];
        for (int i = 0; i < g.length; i++) g[i] = Double.parseDouble(f[4 + i]);
        out.add(new Reference(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]), g));
      }
    }
    return out;
  }

  /** The inputs and logits of a reference point, by the model's names. */
  private static Map<String, double[]> point(Reference r) {
    Map<String, double[]> v = new HashMap<>();
    double s = r.s();
    switch (r.kind()) {
      case "bce" -> {
        v.put("y", new double[] {r.y()});
        v.put("z", new double[] {s});
      }
      case "lse" -> v.put("z", new double[] {s, -s, 1});
      case "vcce" -> {
        v.put("z", new double[] {s, -s, 1});
        v.put("t", new double[] {1, 0, 0});
      }
      default -> {
        v.put("T", new double[] {1, 0, 0, 0, 0, 1});
        v.put("A", new double[] {s, -s, 0, 0, s, -s});
      }
    }
    return v;
  }

  /**
   * Finite, and equal to 1e-9 relative — or to a few roundings of the logits' scale absolute: {@code softplus(z) −
   * y·z} at z = 30, y = 1 is 30.000000000000092 − 30, which no evaluation order makes better than ulp(30).
   */
  private static void close(double want, double got, double scale, String what) {
    assertTrue(Double.isFinite(got), what + " is " + got + ", want " + want);
    assertEquals(want, got, 1e-9 * Math.abs(want) + 4 * Math.ulp(Math.max(1, Math.abs(scale))), what);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void finiteAndExactAtEveryScale(Form form) throws Exception {
    Result result = Pipeline.compile("sweep.nn", form.text(), "");
    DiffModel dm = result.derivatives().get(0);
    ModelIR m = dm.model();
    String logits = m.params().get(0).name();
    NameTable names = m.names();
    Class<?> c = Javac.load(result.files().get(0));
    int checked = 0;
    for (Reference r : references()) {
      if (!r.kind().equals(form.kind())) continue;
      Map<String, double[]> values = point(r);
      String at = form + " at s=" + r.s() + ", y=" + r.y() + ": ";
      // the interpreter
      Interpreter in = Interpreter.forModel(m, Map.of(), values);
      close(r.loss(), in.scalar(m.lossValue().node()), r.s(), at + "interpreted loss");
      double[] g = in.eval(dm.adjoint(logits).value());
      for (int i = 0; i < g.length; i++) close(r.gradient()[i], g[i], r.s(), at + "interpreted gradient[" + i + "]");
      // the generated Java
      Object model = c.getConstructor().newInstance();
      ModelIR.Leaf p = m.params().get(0);
      Agreement.set(c, model, names.of(p).java(), values.get(p.name()));
      List<Class<?>> types = new ArrayList<>();
      List<Object> args = new ArrayList<>();
      for (ModelIR.Leaf input : m.inputs()) {
        boolean scalar = input.var().shape().isScalar();
        types.add(scalar ? double.class : double[].class);
        args.add(scalar ? (Object) values.get(input.name())[0] : values.get(input.name()));
      }
      double loss = (double) c.getMethod("forward", types.toArray(new Class<?>[0])).invoke(model, args.toArray());
      close(r.loss(), loss, r.s(), at + "generated loss");
      c.getMethod("backward").invoke(model);
      double[] jg = Agreement.get(c, model, names.of(p).gradientJava());
      for (int i = 0; i < jg.length; i++) close(r.gradient()[i], jg[i], r.s(), at + "generated gradient[" + i + "]");
      checked++;
    }
    assertTrue(checked >= 7, "every scale is checked: " + checked);
  }
}
