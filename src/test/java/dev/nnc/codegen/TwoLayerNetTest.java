package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated MNIST network against an independent hand-written implementation of the same network (loss and
 * every gradient), finite at logits of ±800, and allocation-free once constructed.
 */
class TwoLayerNetTest {
  static final int B = 4;
  static final int I = 784;
  static final int H = 50;
  static final int O = 10;
  static Class<?> net;
  static Class<?> batch;

  @BeforeAll
  static void generate() throws Exception {
    Result r = Pipeline.compile(Path.of("examples/two_layer_net.nn"), "");
    Result lr = Pipeline.compile(Path.of("examples/logistic_regression_batch.nn"), "");
    ClassLoader loader = Javac.compile(java.util.List.of(r.files().get(0), lr.files().get(0)));
    net = loader.loadClass("TwoLayerNet");
    batch = loader.loadClass("LogisticRegressionBatch");
  }

  static double[] field(Object o, String name) throws Exception {
    return (double[]) o.getClass().getField(name).get(o);
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void lossAndEveryGradientMatchAHandWrittenNetwork() throws Exception {
    Random rnd = new Random(42);
    Object model = net.getConstructor(int.class).newInstance(B);
    net.getMethod("initialize", long.class).invoke(model, 5L);
    double[] w1 = field(model, "W1");
    double[] b1 = field(model, "b1");
    double[] w2 = field(model, "W2");
    double[] b2 = field(model, "b2");
    for (int i = 0; i < w1.length; i++) w1[i] = rnd.nextGaussian() * 0.1;
    for (int i = 0; i < w2.length; i++) w2[i] = rnd.nextGaussian();
    for (int i = 0; i < b1.length; i++) b1[i] = rnd.nextGaussian();
    for (int i = 0; i < b2.length; i++) b2[i] = rnd.nextGaussian();
    double[] x = new double[B * I];
    double[] t = new double[B * O];
    for (int i = 0; i < x.length; i++) x[i] = rnd.nextDouble();
    for (int r = 0; r < B; r++) t[r * O + rnd.nextInt(O)] = 1;
    double loss = (double) net.getMethod("forward", double[].class, double[].class).invoke(model, x, t);
    net.getMethod("backward").invoke(model);

    // The same network written out by hand, row by row.
    double[] a1 = new double[B * H];
    double[] z1 = new double[B * H];
    double[] y = new double[B * O];
    double expected = 0;
    for (int r = 0; r < B; r++) {
      for (int j = 0; j < H; j++) {
        double s = b1[j];
        for (int k = 0; k < I; k++) s += x[r * I + k] * w1[k * H + j];
        a1[r * H + j] = s;
        z1[r * H + j] = sigmoid(s);
      }
      double max = Double.NEGATIVE_INFINITY;
      double[] a2 = new double[O];
      for (int j = 0; j < O; j++) {
        double s = b2[j];
        for (int k = 0; k < H; k++) s += z1[r * H + k] * w2[k * O + j];
        a2[j] = s;
        max = Math.max(max, s);
      }
      double sum = 0;
      for (int j = 0; j < O; j++) sum += Math.exp(a2[j] - max);
      for (int j = 0; j < O; j++) {
        y[r * O + j] = Math.exp(a2[j] - max) / sum;
        expected -= t[r * O + j] * Math.log(y[r * O + j] + 1e-7) / B;
      }
    }
    double[] dA2 = new double[B * O];
    double[] dW2 = new double[H * O];
    double[] db2 = new double[O];
    double[] dA1 = new double[B * H];
    double[] dW1 = new double[I * H];
    double[] db1 = new double[H];
    for (int r = 0; r < B; r++) {
      double dot = 0;
      double[] dY = new double[O];
      for (int j = 0; j < O; j++) {
        dY[j] = -t[r * O + j] / (y[r * O + j] + 1e-7) / B;
        dot += dY[j] * y[r * O + j];
      }
      for (int j = 0; j < O; j++) {
        dA2[r * O + j] = y[r * O + j] * (dY[j] - dot);
        db2[j] += dA2[r * O + j];
      }
      for (int k = 0; k < H; k++) {
        double dz = 0;
        for (int j = 0; j < O; j++) {
          dW2[k * O + j] += z1[r * H + k] * dA2[r * O + j];
          dz += dA2[r * O + j] * w2[k * O + j];
        }
        double z = z1[r * H + k];
        dA1[r * H + k] = dz * z * (1 - z);
        db1[k] += dA1[r * H + k];
      }
      for (int i = 0; i < I; i++) {
        for (int k = 0; k < H; k++) dW1[i * H + k] += x[r * I + i] * dA1[r * H + k];
      }
    }
    Agreement.close(expected, loss, "loss");
    close(dW1, field(model, "dW1"), "dW1");
    close(db1, field(model, "db1"), "db1");
    close(dW2, field(model, "dW2"), "dW2");
    close(db2, field(model, "db2"), "db2");
    close(y, field(model, "Y"), "Y");
  }

  /** 1e-10 relative, with the scale of the whole tensor as a floor (sums of products in different orders). */
  static void close(double[] expected, double[] actual, String what) {
    double largest = 0;
    for (double e : expected) largest = Math.max(largest, Math.abs(e));
    for (int i = 0; i < expected.length; i++) {
      double scale = Math.max(1e-3 * largest, Math.max(Math.abs(expected[i]), Math.abs(actual[i])));
      assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-10 * scale,
          what + "[" + i + "]: hand-written " + expected[i] + ", generated " + actual[i]);
    }
  }

  @Test
  void logitsOfPlusMinus800StayFinite() throws Exception {
    Object model = net.getConstructor(int.class).newInstance(B);
    double[] b2 = field(model, "b2");
    for (int j = 0; j < O; j++) b2[j] = j % 2 == 0 ? 800 : -800;
    double[] x = new double[B * I];
    double[] t = new double[B * O];
    for (int r = 0; r < B; r++) t[r * O + 1 + 2 * (r % 4)] = 1; // the target is a −800 logit
    double loss = (double) net.getMethod("forward", double[].class, double[].class).invoke(model, x, t);
    net.getMethod("backward").invoke(model);
    assertTrue(Double.isFinite(loss), "loss " + loss);
    for (String g : new String[] {"dW1", "db1", "dW2", "db2"}) finite(field(model, g), g);

    Object lr = batch.getConstructor(int.class, int.class).newInstance(2, 4);
    lr.getClass().getField("b").setDouble(lr, 0);
    double[] w = field(lr, "w");
    w[0] = 800;
    double[] xs = {1, -1, 1, -1, 0, 0, 0, 0};
    double[] ys = {0, 1, 1, 0};
    double j = (double) batch.getMethod("forward", double[].class, double[].class).invoke(lr, xs, ys);
    batch.getMethod("backward").invoke(lr);
    assertTrue(Double.isFinite(j), "batch logistic loss " + j);
    finite(field(lr, "dw"), "dw");
    assertTrue(Double.isFinite(lr.getClass().getField("db").getDouble(lr)));
  }

  static void finite(double[] v, String what) {
    for (int i = 0; i < v.length; i++) assertTrue(Double.isFinite(v[i]), what + "[" + i + "] = " + v[i]);
  }

  @Test
  void forwardBackwardAndStepAllocateNothing() throws Throwable {
    Object model = net.getConstructor(int.class).newInstance(B);
    net.getMethod("initialize", long.class).invoke(model, 1L);
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    MethodHandle forward = lookup.unreflect(net.getMethod("forward", double[].class, double[].class))
        .asType(MethodType.methodType(double.class, Object.class, double[].class, double[].class));
    MethodHandle backward = lookup.unreflect(net.getMethod("backward"))
        .asType(MethodType.methodType(void.class, Object.class));
    MethodHandle step = lookup.unreflect(net.getMethod("step", double.class))
        .asType(MethodType.methodType(void.class, Object.class, double.class));
    double[] x = new double[B * I];
    double[] t = new double[B * O];
    for (int r = 0; r < B; r++) t[r * O + r] = 1;
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 6; round++) {
      long before = threads.getThreadAllocatedBytes(id);
      for (int k = 0; k < 200; k++) {
        double l = (double) forward.invokeExact(model, x, t);
        backward.invokeExact(model);
        step.invokeExact(model, 1e-3 + 0 * l);
      }
      least = Math.min(least, threads.getThreadAllocatedBytes(id) - before);
    }
    // 200 steps of buffers would be megabytes; a few hundred bytes of measuring noise are tolerated.
    assertTrue(least < 4096, "a round of 200 training steps allocated " + least + " bytes");
  }
}
