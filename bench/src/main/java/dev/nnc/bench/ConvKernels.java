package dev.nnc.bench;

import dev.nnc.codegen.Precision;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * GFLOP/s of the generated convolution loops at examples/mnist_cnn.nn's shapes, batch 100, by thread CPU time: each
 * kernel is the work of one pass of a one-layer model in bench/models (conv_layer1.nn, conv_layer2.nn: forward =
 * conv2d, backward = conv2d_weight; conv_layer2_input.nn: backward = conv_transpose2d), so each time includes that
 * pass's few elementwise loops (a few per cent of the work). Run from the repository root:
 * {@code java -cp bench/target/benchmarks.jar dev.nnc.bench.ConvKernels [f64|f32]} (system property {@code seconds},
 * 1, per measurement).
 */
public final class ConvKernels {
  private ConvKernels() {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  // forward's inputs per image: X[B, 1, 28, 28], T[B, 8, 24, 24]; X[B, 8, 12, 12], T[B, 16, 8, 8]; and K between
  private static final int[] LAYER1 = {28 * 28, 8 * 24 * 24};
  private static final int[] LAYER2 = {8 * 12 * 12, 16 * 8 * 8};
  private static final int[] LAYER2_INPUT = {8 * 12 * 12, 0, 16 * 8 * 8};
  private static final int[] NONE = {0, 0, 0};

  /** A model file, the pass that is the kernel, the kernel's name, its multiply-adds per image, forward's inputs' sizes per image (0: fixed size). */
  record Kernel(String file, boolean backward, String name, double macs, int[] perImage, int[] fixed) {}

  public static void main(String[] args) throws Exception {
    Precision precision = Precision.parse(args.length > 0 ? args[0] : "f64");
    double seconds = Double.parseDouble(System.getProperty("seconds", "1"));
    int batch = 100;
    double conv1 = 8 * 24 * 24 * 25, conv2 = 16 * 8 * 8 * 200;
    Kernel[] kernels = {
        new Kernel("conv_layer1.nn", false, "conv2d          1→8,  28×28, 5×5", conv1, LAYER1, NONE),
        new Kernel("conv_layer1.nn", true, "conv2d_weight   1→8,  28×28, 5×5", conv1, LAYER1, NONE),
        new Kernel("conv_layer2.nn", false, "conv2d          8→16, 12×12, 5×5", conv2, LAYER2, NONE),
        new Kernel("conv_layer2.nn", true, "conv2d_weight   8→16, 12×12, 5×5", conv2, LAYER2, NONE),
        new Kernel("conv_layer2_input.nn", true, "conv_transpose2d 8→16, 12×12, 5×5", conv2, LAYER2_INPUT,
            new int[] {0, 16 * 8 * 5 * 5, 0})};
    System.out.printf(Locale.ROOT, "%s, batch %d, thread CPU time, median of 5 chunks; load average %s%n",
        precision.spelling(), batch, java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim());
    for (Kernel k : kernels) {
      Class<?> c = GeneratedNet.compile(Path.of("bench/models", k.file()), precision);
      Object model = c.getConstructor(int.class).newInstance(batch);
      c.getMethod("initialize", long.class).invoke(model, 1L);
      Method forward = null;
      for (Method m : c.getMethods()) if (m.getName().equals("forward")) forward = m;
      Method backward = c.getMethod("backward");
      Object[] inputs = new Object[forward.getParameterCount()];
      SplittableRandom r = new SplittableRandom(7);
      for (int i = 0; i < inputs.length; i++) {
        int size = k.perImage()[i] * batch + k.fixed()[i];
        double[] d = new double[size];
        for (int j = 0; j < size; j++) d[j] = r.nextDouble() - 0.5;
        inputs[i] = precision == Precision.FLOAT32 ? toFloat(d) : d;
      }
      Method f = forward;
      Runnable pass = k.backward() ? () -> call(backward, model) : () -> call(f, model, inputs);
      call(forward, model, inputs);
      double ms = time(pass, seconds);
      System.out.printf(Locale.ROOT, "%-36s %8.3f ms  %6.2f GFLOP/s%n", k.name(), ms, 2 * k.macs() * batch / ms / 1e6);
    }
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
    return f;
  }

  private static void call(Method m, Object target, Object... args) {
    try {
      m.invoke(target, args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double time(Runnable pass, double seconds) {
    long end = THREADS.getCurrentThreadCpuTime() + (long) (seconds * 1e9);
    while (THREADS.getCurrentThreadCpuTime() < end) pass.run(); // warm-up
    double[] chunks = new double[5];
    for (int c = 0; c < chunks.length; c++) {
      long t0 = THREADS.getCurrentThreadCpuTime(), el;
      int n = 0;
      do {
        pass.run();
        n++;
        el = THREADS.getCurrentThreadCpuTime() - t0;
      } while (el < seconds / 5 * 1e9);
      chunks[c] = el / 1e6 / n;
    }
    Arrays.sort(chunks);
    return chunks[2];
  }
}
