package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.Result;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.lang.model.element.Modifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kept form of an input batch ({@link MatmulKernels#gatheredSupport}): {@code matmulGathered} computes x·b and
 * keeps x's nonzeros when x is mostly zeros, {@code matmulGatheredT} computes xᵀ·d from them. Both must give the
 * triple loop's bits (every element summed in the order of the shared index: p for x·b, the batch row for xᵀ·d) on
 * every path — kept, not kept because x is dense, not kept because a batch is denser than the form's capacity, and
 * not used because x or the dims are not those kept — in 1, 2 and 3 parts, float64 and float32; and the generator
 * gives the form to exactly the inputs that forward multiplies from the left and backward transposed.
 */
class GatheredInputTest {
  private static Class<?> harness;
  private static Class<?> floatHarness;

  @BeforeAll
  static void compileHarnesses() {
    harness = compileHarness(Precision.FLOAT64, "GatheredHarness");
    floatHarness = compileHarness(Precision.FLOAT32, "FloatGatheredHarness");
  }

  /**
   * A class holding the kernels as a generated model with one kept input does: scratch sized for x·b (m×k×n) and
   * xᵀ·d (k×m×n), the form for an m×k input.
   */
  private static Class<?> compileHarness(Precision real, String name) {
    MatmulKernels.Names names = new MatmulKernels.Names("rows", "accumulators", "tasks", "Task");
    Class<?> array = real == Precision.FLOAT64 ? double[].class : float[].class;
    StringBuilder alloc = new StringBuilder("""
        this.tasks = new Task[parts - 1];
        for (int t = 0; t < tasks.length; t++) tasks[t] = new Task();
        this.rows = kernelScratch(new int[] {m, k}, new int[] {k, m}, new int[] {n, n});
        this.accumulators = kernelAccumulators(new int[] {m, k}, new int[] {k, m}, new int[] {n, n}, parts);
        """);
    for (String line : MatmulKernels.gatheredAllocations("form", "index", "m", "k", real)) alloc.append(line).append('\n');
    TypeSpec.Builder t = TypeSpec.classBuilder(name).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("Test harness.\n")
        .addField(real.rows(), "rows", Modifier.PRIVATE, Modifier.FINAL)
        .addField(real.rows(), "accumulators", Modifier.PRIVATE, Modifier.FINAL)
        .addField(FieldSpec.builder(ArrayTypeName.of(ClassName.get("", "Task")), "tasks", Modifier.PRIVATE,
            Modifier.FINAL).build())
        .addField(real.rows(), "form", Modifier.PRIVATE, Modifier.FINAL)
        .addField(int[][].class, "index", Modifier.PRIVATE, Modifier.FINAL)
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
            .addJavadoc("@param m batch rows (capacity)\n@param k input columns\n@param n output columns\n"
                + "@param parts how many parts a large product may run in\n")
            .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n")
            .addParameter(int.class, "parts")
            .addCode(alloc.toString())
            .build())
        .addMethod(MethodSpec.methodBuilder("kept").addModifiers(Modifier.PUBLIC)
            .addJavadoc("@return the array whose nonzeros the form holds, or null\n")
            .returns(array)
            .addCode("return form[2];\n")
            .build())
        .addMethod(MethodSpec.methodBuilder("state").addModifiers(Modifier.PUBLIC)
            .addJavadoc("@return a copy of the form's state\n")
            .returns(int[].class)
            .addCode("return index[3].clone();\n")
            .build());
    for (String kernel : new String[] {"matmulGathered", "matmulGatheredT"}) {
      t.addMethod(MethodSpec.methodBuilder("call" + kernel).addModifiers(Modifier.PUBLIC)
          .addJavadoc("@param x input\n@param b right\n@param c out\n@param m m\n@param k k\n@param n n\n")
          .addParameter(array, "x").addParameter(array, "b").addParameter(array, "c")
          .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n")
          .addCode(kernel + "(x, b, c, m, k, n, form, index);\n")
          .build());
    }
    for (MethodSpec m : MatmulKernels.support(names, real)) t.addMethod(m);
    for (MethodSpec m : MatmulKernels.gatheredSupport(real)) t.addMethod(m);
    t.addType(MatmulKernels.taskType("Task", real));
    String source = JavaFile.builder("kt", t.build()).build().toString();
    return Javac.load(new GeneratedFile("kt", name, source));
  }

  private static Object harness(int m, int k, int n, int parts) throws ReflectiveOperationException {
    return harness.getConstructor(int.class, int.class, int.class, int.class).newInstance(m, k, n, parts);
  }

  private static void call(Object h, String kernel, Object x, Object b, Object c, int m, int k, int n)
      throws ReflectiveOperationException {
    Class<?> array = x.getClass();
    Method method = h.getClass().getMethod("call" + kernel, array, array, array, int.class, int.class, int.class);
    try {
      method.invoke(h, x, b, c, m, k, n);
    } catch (InvocationTargetException e) {
      throw new AssertionError(kernel + " threw", e.getCause());
    }
  }

  private static int[] state(Object h) throws ReflectiveOperationException {
    return (int[]) h.getClass().getMethod("state").invoke(h);
  }

  private static Object kept(Object h) throws ReflectiveOperationException {
    return h.getClass().getMethod("kept").invoke(h);
  }

  private static double[] random(SplittableRandom r, int size) {
    double[] a = new double[size];
    for (int i = 0; i < size; i++) a[i] = r.nextDouble(-1, 1);
    return a;
  }

  /** Rows of {@code width} pixels, zero but for one or two runs (as MNIST's digits: about 80 % zeros). */
  private static double[] images(SplittableRandom r, int rows, int width) {
    double[] a = new double[rows * width];
    for (int i = 0; i < rows; i++) {
      for (int run = 0; run < 2; run++) {
        int start = r.nextInt(width), length = 1 + r.nextInt(Math.max(1, width / 10));
        for (int q = start; q < Math.min(width, start + length); q++) a[i * width + q] = r.nextDouble(0.01, 1);
      }
    }
    return a;
  }

  /** x·b (transposed: xᵀ·b with x stored k×m) by the textbook triple loop. */
  private static double[] naive(double[] x, double[] b, int m, int k, int n, boolean transposed) {
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) s += (transposed ? x[p * m + i] : x[i * k + p]) * b[p * n + j];
        c[i * n + j] = s;
      }
    }
    return c;
  }

  private static void assertSameBits(double[] want, double[] got, String what) {
    assertEquals(want.length, got.length);
    for (int q = 0; q < want.length; q++) {
      if (Double.doubleToRawLongBits(want[q]) != Double.doubleToRawLongBits(got[q])) {
        throw new AssertionError(what + ": element " + q + " is " + got[q] + ", the triple loop gives " + want[q]);
      }
    }
  }

  /** x·w then xᵀ·d through the form, each against the triple loop; returns whether the form was kept. */
  private static boolean forwardAndBackward(Object h, double[] x, int m, int k, int n, SplittableRandom r, String what)
      throws ReflectiveOperationException {
    double[] w = random(r, k * n), d = random(r, m * n);
    double[] c = random(r, m * n); // garbage: the kernels overwrite their output
    call(h, "matmulGathered", x, w, c, m, k, n);
    assertSameBits(naive(x, w, m, k, n, false), c, what + ": x·w");
    boolean kept = kept(h) == x;
    double[] g = random(r, k * n);
    call(h, "matmulGatheredT", x, d, g, k, m, n);
    assertSameBits(naive(x, d, k, m, n, true), g, what + ": xᵀ·d");
    call(h, "matmulGatheredT", x, d, g, k, m, n); // again: the columns are built once, then reused
    assertSameBits(naive(x, d, k, m, n, true), g, what + ": xᵀ·d again");
    return kept;
  }

  @Test
  void mostlyZeroInputsAreKeptAndBothProductsGiveTheTripleLoopsBits() throws Exception {
    SplittableRandom r = new SplittableRandom(31);
    // {m, k, n}: MNIST at batch 100 (hidden 50 and 256), edges of the passes of four and of GATHERED_WIDTH, a batch
    // large enough for x·w to be split over the parts
    int w = MatmulKernels.GATHERED_WIDTH;
    int[][] shapes = {{100, 784, 50}, {100, 784, 256}, {37, 61, w}, {9, 130, w + 1}, {203, 257, 40}, {64, 784, 33}};
    int kept = 0, split = 0;
    for (int[] shape : shapes) {
      int m = shape[0], k = shape[1], n = shape[2];
      if ((long) m * k * n >= MatmulKernels.PARALLEL_WORK) split++;
      for (int parts : new int[] {1, 2, 3}) {
        Object h = harness(m, k, n, parts);
        double[] x = images(r, m, k);
        String what = m + "×" + k + "×" + n + " in " + parts + " parts";
        assertTrue(forwardAndBackward(h, x, m, k, n, r, what), what + ": not kept");
        assertEquals(m, state(h)[0], what);
        assertEquals(k, state(h)[2], what);
        assertEquals(1, state(h)[3], what + ": columns built");
        kept++;
        // a smaller batch in the same form
        int rows = Math.max(1, m / 3);
        double[] y = images(r, rows, k);
        assertTrue(forwardAndBackward(h, y, rows, k, n, r, what + ", " + rows + " rows") || rows * k * n < 4096);
      }
    }
    assertTrue(kept >= 18 && split >= 3, kept + " kept, " + split + " split");
  }

  @Test
  void denseInputsAndBatchesDenserThanTheCapacityAreNotKeptAndStillExact() throws Exception {
    SplittableRandom r = new SplittableRandom(32);
    int m = 100, k = 784, n = 50;
    for (int parts : new int[] {1, 2}) {
      Object h = harness(m, k, n, parts);
      assertFalse(forwardAndBackward(h, random(r, m * k), m, k, n, r, "dense"), "a dense batch was kept");
      assertNull(kept(h));
      assertEquals(0, state(h)[0]);
      // zeros exactly where the density test samples (every (m·k / 1024)-th element), nonzero elsewhere: the test
      // says mostly zeros, the batch has more nonzeros than the form holds (a quarter of the entries and a row)
      double[] x = random(r, m * k);
      for (int q = 0; q < m * k; q += Math.max(1, m * k / MatmulKernels.SAMPLES)) x[q] = 0.0;
      assertFalse(forwardAndBackward(h, x, m, k, n, r, "denser than the capacity"), "an overfull batch was kept");
      assertEquals(1, state(h)[1], "overflow marked");
      // the next mostly-zero batch is kept again
      assertTrue(forwardAndBackward(h, images(r, m, k), m, k, n, r, "after an overfull batch"));
    }
  }

  @Test
  void anotherArrayOrOtherDimsDoNotUseTheKeptForm() throws Exception {
    SplittableRandom r = new SplittableRandom(33);
    int m = 100, k = 784, n = 50;
    Object h = harness(m, k, n, 2);
    double[] x = images(r, m, k), w = random(r, k * n), c = new double[m * n];
    call(h, "matmulGathered", x, w, c, m, k, n);
    assertNotNull(kept(h));
    // another array with other nonzeros: xᵀ·d must be of that array, not of the kept one
    double[] other = images(r, m, k), d = random(r, m * n), g = new double[k * n];
    call(h, "matmulGatheredT", other, d, g, k, m, n);
    assertSameBits(naive(other, d, k, m, n, true), g, "another array");
    // the kept array read with other dims (its first 50 rows): not the kept rows
    double[] d2 = random(r, 50 * n), g2 = new double[k * n];
    call(h, "matmulGatheredT", x, d2, g2, k, 50, n);
    assertSameBits(naive(x, d2, k, 50, n, true), g2, "other dims");
    assertEquals(0, state(h)[3], "the columns were not built for a product that did not use them");
  }

  @Test
  void floatFormsGiveTheFloatTripleLoopsBits() throws Exception {
    SplittableRandom r = new SplittableRandom(34);
    int m = 100, k = 784, n = 50;
    for (int parts : new int[] {1, 2}) {
      Object h = floatHarness.getConstructor(int.class, int.class, int.class, int.class).newInstance(m, k, n, parts);
      float[] x = floats(images(r, m, k)), w = floats(random(r, k * n)), d = floats(random(r, m * n));
      float[] c = new float[m * n], g = new float[k * n];
      call(h, "matmulGathered", x, w, c, m, k, n);
      assertTrue(kept(h) == x, "float form kept");
      call(h, "matmulGatheredT", x, d, g, k, m, n);
      float[] wantC = new float[m * n], wantG = new float[k * n];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          float s = 0f;
          for (int p = 0; p < k; p++) s += x[i * k + p] * w[p * n + j];
          wantC[i * n + j] = s;
        }
      }
      for (int p = 0; p < k; p++) {
        for (int j = 0; j < n; j++) {
          float s = 0f;
          for (int i = 0; i < m; i++) s += x[i * k + p] * d[i * n + j];
          wantG[p * n + j] = s;
        }
      }
      for (int q = 0; q < wantC.length; q++) assertEquals(Float.floatToRawIntBits(wantC[q]), Float.floatToRawIntBits(c[q]), "x·w " + q);
      for (int q = 0; q < wantG.length; q++) assertEquals(Float.floatToRawIntBits(wantG[q]), Float.floatToRawIntBits(g[q]), "xᵀ·d " + q);
    }
  }

  private static float[] floats(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
    return f;
  }

  @Test
  void theTwoLayerNetKeepsItsInputBatchAndTheCnnDoesNot() throws Exception {
    Result two = Pipeline.compile(Path.of("examples/two_layer_net.nn"), "");
    String text = two.files().get(0).content();
    assertTrue(text.contains("matmulGathered(X, W1, A1, rowsB, I, H, gatheredX, gatheredXIndex);"), "forward");
    assertTrue(text.contains("matmulGatheredT(X, dA1, dW1, I, rowsB, H, gatheredX, gatheredXIndex);"), "backward");
    // predict computes X·W1 too (and keeps this X: backward after predict reads the same X), jvp does not
    assertEquals(2, count(text, "matmulGathered(X,"), "forward and predict");
    assertTrue(text.contains("matmulNN(X, W1Dot,"), "jvp's product of X stays ordinary");
    // a model whose input is not multiplied in backward keeps nothing
    Result cnn = Pipeline.compile(Path.of("examples/mnist_cnn.nn"), "");
    assertFalse(cnn.files().get(0).content().contains("matmulGathered("), "the CNN's input goes into a convolution");
  }

  @Test
  void theTwoLayerNetsGradientOfW1IsXTransposedTimesItsAdjointAfterTheSameArrayIsRefilled() throws Exception {
    Result two = Pipeline.compile(Path.of("examples/two_layer_net.nn"), "");
    Class<?> net = Javac.compile(java.util.List.of(two.files().get(0))).loadClass("TwoLayerNet");
    int b = 100, i = 784, h = 50, o = 10;
    Object model = net.getConstructor(int.class).newInstance(b);
    net.getMethod("initialize", long.class).invoke(model, 3L);
    Method forward = net.getMethod("forward", double[].class, double[].class), backward = net.getMethod("backward");
    SplittableRandom r = new SplittableRandom(35);
    double[] x = new double[b * i], t = new double[b * o];
    for (int round = 0; round < 3; round++) {
      // the caller refills one array for each batch (allowed by the memory contract after backward)
      System.arraycopy(images(r, b, i), 0, x, 0, x.length);
      java.util.Arrays.fill(t, 0.0);
      for (int row = 0; row < b; row++) t[row * o + r.nextInt(o)] = 1;
      forward.invoke(model, x, t);
      backward.invoke(model);
      double[] dA1 = (double[]) net.getField("dA1").get(model), dW1 = (double[]) net.getField("dW1").get(model);
      assertSameBits(naive(x, dA1, i, b, h, true), dW1, "∂L/∂W1 = Xᵀ·∂L/∂A1, batch " + round);
    }
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) n++;
    return n;
  }
}
