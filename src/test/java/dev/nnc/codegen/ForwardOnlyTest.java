package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Source;
import dev.nnc.diff.DiffModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Forward passes of real (parsed, checked, lowered) examples, with no reverse pass. */
class ForwardOnlyTest {
  static GeneratedFile forwardOnly(String file) throws Exception {
    Source src = Source.fromBytes(file, Files.readAllBytes(Path.of(file)));
    Result r = Compiler.compile(src, Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    assertFalse(r.hasErrors(), r.diagnostics().toString());
    return JavaGenerator.generate(new DiffModel(r.models().get(0), List.of()), "fwd");
  }

  @Test
  void twoLayerNetForwardMatchesHandWrittenLoss() throws Exception {
    GeneratedFile f = forwardOnly("examples/two_layer_net.nn");
    System.out.println(f.content());
    Class<?> c = Javac.load(f);
    int b = 3;
    int in = 784, h = 50, o = 10;
    Object net = c.getConstructor(int.class).newInstance(b);
    c.getMethod("initialize", long.class).invoke(net, 7L);
    double[] w1 = (double[]) c.getField("W1").get(net);
    double[] b1 = (double[]) c.getField("b1").get(net);
    double[] w2 = (double[]) c.getField("W2").get(net);
    double[] b2 = (double[]) c.getField("b2").get(net);
    Random rnd = new Random(1);
    for (int i = 0; i < b1.length; i++) b1[i] = rnd.nextGaussian();
    for (int i = 0; i < b2.length; i++) b2[i] = rnd.nextGaussian();
    double[] x = new double[b * in];
    double[] t = new double[b * o];
    for (int i = 0; i < x.length; i++) x[i] = rnd.nextDouble();
    for (int r = 0; r < b; r++) t[r * o + rnd.nextInt(o)] = 1;
    double loss = (double) c.getMethod("forward", double[].class, double[].class).invoke(net, x, t);
    double expected = 0;
    for (int r = 0; r < b; r++) {
      double[] z1 = new double[h];
      for (int j = 0; j < h; j++) {
        double s = b1[j];
        for (int k = 0; k < in; k++) s += x[r * in + k] * w1[k * h + j];
        z1[j] = 1 / (1 + Math.exp(-s));
      }
      double[] a2 = new double[o];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < o; j++) {
        double s = b2[j];
        for (int k = 0; k < h; k++) s += z1[k] * w2[k * o + j];
        a2[j] = s;
        max = Math.max(max, s);
      }
      double sum = 0;
      for (int j = 0; j < o; j++) sum += Math.exp(a2[j] - max);
      for (int j = 0; j < o; j++) expected -= t[r * o + j] * Math.log(Math.exp(a2[j] - max) / sum + 1e-7);
    }
    expected /= b;
    assertEquals(expected, loss, 1e-12 * Math.abs(expected));
  }

  @Test
  void batchLogisticRegressionForwardCompiles() throws Exception {
    GeneratedFile f = forwardOnly("examples/logistic_regression_batch.nn");
    System.out.println(f.content());
    Javac.load(f);
  }
}
