package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.lang.model.element.Modifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every product kernel a generated class can contain, against a naive triple loop on random shapes: edge sizes (1,
 * primes, sizes just around the micro-kernel's blocks of 2 rows and 4 products), narrow outputs (computed transposed
 * when dense, untransposed when the left operand is mostly zeros), tiny products (plain loops), large ones (split
 * over 1, 2 and 4 parts), dense and mostly-zero coefficients. The matrix kernels add the products of each element in
 * the triple loop's order (p = 0, 1, …) on every path, so they must agree with it bit for bit; the vector kernels
 * use partial sums, so there the comparison allows rounding error proportional to k.
 */
class MatmulKernelsTest {
  private static Class<?> harness;
  /** The same kernels over float (a float32 class). */
  private static Class<?> floatHarness;

  @BeforeAll
  static void compileHarnesses() {
    harness = compileHarness(Precision.FLOAT64, "KernelHarness");
    floatHarness = compileHarness(Precision.FLOAT32, "FloatKernelHarness");
  }

  /** A class holding the emitted kernels exactly as a generated model does, with public entry points for the test. */
  private static Class<?> compileHarness(Precision real, String name) {
    MatmulKernels.Names names = new MatmulKernels.Names("rows", "accumulators", "tasks", "Task");
    Class<?> array = real == Precision.FLOAT64 ? double[].class : float[].class;
    TypeSpec.Builder t = TypeSpec.classBuilder(name).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("Test harness.\n")
        .addField(real.rows(), "rows", Modifier.PRIVATE, Modifier.FINAL)
        .addField(real.rows(), "accumulators", Modifier.PRIVATE, Modifier.FINAL)
        .addField(FieldSpec.builder(ArrayTypeName.of(ClassName.get("", "Task")), "tasks", Modifier.PRIVATE,
            Modifier.FINAL).build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
            .addJavadoc("@param m rows of the product\n@param k shared dimension\n@param n columns\n"
                + "@param parts how many parts a large product may run in\n")
            .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n")
            .addParameter(int.class, "parts")
            .addCode("""
                this.tasks = new Task[parts - 1];
                for (int t = 0; t < tasks.length; t++) tasks[t] = new Task();
                this.rows = kernelScratch(new int[] {m}, new int[] {k}, new int[] {n});
                this.accumulators = kernelAccumulators(new int[] {m}, new int[] {k}, new int[] {n}, parts);
                """)
            .build())
        .addMethod(MethodSpec.methodBuilder("path").addModifiers(Modifier.PUBLIC)
            .addJavadoc("@param a left\n@param b right\n@param m m\n@param k k\n@param n n\n"
                + "@return how the product of a and b is computed\n")
            .returns(int.class)
            .addParameter(array, "a").addParameter(array, "b")
            .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n")
            .addCode("return productPath(a, b, m, k, n);\n")
            .build());
    for (MatmulKernels.Kernel k : MatmulKernels.Kernel.values()) {
      t.addMethod(MatmulKernels.method(k, real));
      boolean matrix = k.name().startsWith("MATMUL");
      MethodSpec.Builder call = MethodSpec.methodBuilder("call" + k.name()).addModifiers(Modifier.PUBLIC)
          .addJavadoc("@param a left\n@param b right\n@param c out\n@param m m\n@param k k\n@param n n\n"
              + "@return the dot product, or 0\n")
          .returns(double.class)
          .addParameter(array, "a").addParameter(array, "b").addParameter(array, "c")
          .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n");
      String kernel = MatmulKernels.name(k);
      if (k == MatmulKernels.Kernel.DOT) call.addCode("return " + kernel + "(a, b, k);\n");
      else if (matrix) call.addCode(kernel + "(a, b, c, m, k, n);\nreturn 0;\n");
      else call.addCode(kernel + "(a, b, c, m, k);\nreturn 0;\n");
      t.addMethod(call.build());
    }
    for (MethodSpec m : MatmulKernels.support(names, real)) t.addMethod(m);
    t.addType(MatmulKernels.taskType("Task", real));
    String source = JavaFile.builder("kt", t.build()).build().toString();
    return Javac.load(new GeneratedFile("kt", name, source));
  }

  private static double[] random(SplittableRandom r, int size, double zeros) {
    double[] a = new double[size];
    for (int i = 0; i < size; i++) a[i] = r.nextDouble() < zeros ? 0.0 : r.nextDouble(-1, 1);
    return a;
  }

  /** op(a)·op(b) by the textbook triple loop, and Σ|op(a)||op(b)| per element (the scale of the rounding error). */
  private static double[][] naive(double[] a, double[] b, int m, int k, int n, boolean ta, boolean tb) {
    double[] c = new double[m * n];
    double[] scale = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0, abs = 0;
        for (int p = 0; p < k; p++) {
          double x = ta ? a[p * m + i] : a[i * k + p];
          double y = tb ? b[j * k + p] : b[p * n + j];
          s += x * y;
          abs += Math.abs(x * y);
        }
        c[i * n + j] = s;
        scale[i * n + j] = abs;
      }
    }
    return new double[][] {c, scale};
  }

  private static void assertClose(double[] want, double[] scale, double[] got, int k, String what) {
    assertEquals(want.length, got.length);
    for (int q = 0; q < want.length; q++) {
      double tol = 4.0 * (k + 2) * Math.ulp(1.0) * scale[q] + Double.MIN_NORMAL;
      if (!(Math.abs(want[q] - got[q]) <= tol)) {
        throw new AssertionError(what + ": element " + q + " is " + got[q] + ", the triple loop gives " + want[q]
            + " (tolerance " + tol + ")");
      }
    }
  }

  private static double call(Object h, MatmulKernels.Kernel kernel, double[] a, double[] b, double[] c, int m, int k,
      int n) throws ReflectiveOperationException {
    Method method = harness.getMethod("call" + kernel.name(), double[].class, double[].class, double[].class,
        int.class, int.class, int.class);
    try {
      return (double) method.invoke(h, a, b, c, m, k, n);
    } catch (InvocationTargetException e) {
      throw new AssertionError(kernel + " threw", e.getCause());
    }
  }

  private static Object harness(int m, int k, int n, int parts) throws ReflectiveOperationException {
    return harness.getConstructor(int.class, int.class, int.class, int.class).newInstance(m, k, n, parts);
  }

  /** The same bits as the triple loop's sum, element by element. */
  private static void assertSameBits(double[] want, double[] got, String what) {
    assertEquals(want.length, got.length);
    for (int q = 0; q < want.length; q++) {
      if (Double.doubleToRawLongBits(want[q]) != Double.doubleToRawLongBits(got[q])) {
        throw new AssertionError(what + ": element " + q + " is " + got[q] + ", the triple loop gives " + want[q]);
      }
    }
  }

  private static final int[] EDGES = {1, 2, 3, 4, 5, 7, 8, 9, 13, 31, 32, 33, 64, 97};

  @Test
  void everyTranspositionCaseMatchesTheTripleLoopOnEdgeAndRandomShapes() throws Exception {
    SplittableRandom r = new SplittableRandom(14);
    List<int[]> shapes = new ArrayList<>();
    for (int m : new int[] {1, 2, 5, 31, 33}) {
      for (int k : new int[] {1, 3, 4, 7, 97}) {
        for (int n : new int[] {1, 4, 13, 32, 64}) shapes.add(new int[] {m, k, n});
      }
    }
    for (int s = 0; s < 60; s++) {
      shapes.add(new int[] {EDGES[r.nextInt(EDGES.length)], EDGES[r.nextInt(EDGES.length)],
          EDGES[r.nextInt(EDGES.length)]});
    }
    // large enough to be split over the parts (≥ PARALLEL_WORK multiply-adds), narrow outputs among them
    shapes.add(new int[] {811, 97, 37});
    shapes.add(new int[] {4009, 101, 7});
    shapes.add(new int[] {13, 1031, 127});
    shapes.add(new int[] {101, 784, 50});
    shapes.add(new int[] {399, 101, 63}); // narrow (< 64 columns): transposed when dense
    shapes.add(new int[] {263, 130, 64});
    long split = shapes.stream().filter(x -> (long) x[0] * x[1] * x[2] >= MatmulKernels.PARALLEL_WORK).count();
    assertTrue(split >= 6, "shapes large enough to split: " + split);
    int checked = 0;
    for (int[] shape : shapes) {
      int m = shape[0], k = shape[1], n = shape[2];
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          double zeros = r.nextBoolean() ? 0.0 : 0.8;
          double[] a = random(r, m * k, zeros);
          double[] b = random(r, k * n, 0.0);
          double[][] want = naive(a, b, m, k, n, ta, tb);
          for (int parts : new int[] {1, 2, 4}) {
            Object h = harness(m, k, n, parts);
            double[] c = random(r, m * n, 0.0); // garbage: kernels overwrite their output
            call(h, MatmulKernels.matmul(ta, tb), a, b, c, m, k, n);
            assertSameBits(want[0], c, "matmul" + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "×" + k + "×" + n
                + " in " + parts + " parts, zeros " + zeros);
            checked++;
          }
        }
      }
    }
    assertTrue(checked > 1000, "checked " + checked);
  }

  @Test
  void aProductSmallerThanTheScratchWasSizedForStillFits() throws Exception {
    // sized for 200×9×64 (not narrow: 64 wide rows); called as 200×9×5, narrow, which transposed would need 200
    SplittableRandom r = new SplittableRandom(5);
    Object h = harness(200, 9, 64, 2);
    for (int n : new int[] {5, 64}) {
      double[] a = random(r, 200 * 9, 0.0), b = random(r, 9 * n, 0.0), c = new double[200 * n];
      call(h, MatmulKernels.Kernel.MATMUL_NN, a, b, c, 200, 9, n);
      double[][] want = naive(a, b, 200, 9, n, false, false);
      assertSameBits(want[0], c, "200×9×" + n + " in scratch for 200×9×64");
    }
  }

  @Test
  void resultsDoNotDependOnPartsOrMicroKernel() throws Exception {
    SplittableRandom r = new SplittableRandom(7);
    int m = 403, k = 129, n = 61;
    double[] a = random(r, m * k, 0.3);
    double[] b = random(r, k * n, 0.0);
    double[] first = null;
    for (int parts : new int[] {1, 2, 3, 8}) {
      double[] c = new double[m * n];
      call(harness(m, k, n, parts), MatmulKernels.Kernel.MATMUL_TN, a, b, c, m, k, n);
      if (first == null) first = c;
      else assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(c), parts + " parts");
    }
  }

  /**
   * One model object's products in a row, as a training loop makes them: the task that shares a split product stays on
   * its worker waiting for the next one, which is posted to it directly, or it has given up waiting (a pause longer
   * than SPIN_NANOS) and is forked again, or no worker takes it before the caller has dealt every row. Each product
   * of the sequence (sizes alternating, dense and mostly-zero coefficients, pauses between some) has the triple
   * loop's bits, and in 2 and 4 parts the same bits as in 1.
   */
  @Test
  void productsInARowOnOneObjectKeepTheTripleLoopsBits() throws Exception {
    SplittableRandom r = new SplittableRandom(31);
    int[][] shapes = {{100, 784, 50}, {784, 100, 50}, {100, 784, 64}, {120, 97, 101}};
    for (int parts : new int[] {2, 4}) {
      Object h = harness(784, 784, 101, parts);
      for (int round = 0; round < 40; round++) {
        int[] shape = shapes[round % shapes.length];
        int m = shape[0], k = shape[1], n = shape[2];
        boolean ta = round % 3 == 0, tb = round % 5 == 0;
        double[] a = random(r, m * k, round % 4 == 1 ? 0.8 : 0.0), b = random(r, k * n, 0.0);
        double[] c = random(r, m * n, 0.0);
        call(h, MatmulKernels.matmul(ta, tb), a, b, c, m, k, n);
        assertSameBits(naive(a, b, m, k, n, ta, tb)[0], c, "product " + round + " (" + m + "×" + k + "×" + n + ") in "
            + parts + " parts");
        if (round % 7 == 6) Thread.sleep(2 * MatmulKernels.SPIN_NANOS / 1_000_000 + 1); // the task gives up waiting
      }
    }
  }

  @Test
  void vectorKernelsMatchTheirLoops() throws Exception {
    SplittableRandom r = new SplittableRandom(3);
    Object h = harness(1, 1, 1, 1);
    for (int m : EDGES) {
      for (int k : EDGES) {
        double[] a = random(r, m * k, 0.0);
        double[] v = random(r, k, 0.0);
        double[] c = random(r, m, 0.0);
        call(h, MatmulKernels.Kernel.MATVEC, a, v, c, m, k, 0);
        double[][] want = naive(a, v, m, k, 1, false, false);
        assertClose(want[0], want[1], c, k, "matvec " + m + "×" + k);
        call(h, MatmulKernels.Kernel.MAT_T_VEC, a, v, c, m, k, 0);
        want = naive(a, v, m, k, 1, true, false);
        assertClose(want[0], want[1], c, k, "matTvec " + m + "×" + k);
      }
      double[] x = random(r, m, 0.0), y = random(r, m, 0.0);
      double dot = call(h, MatmulKernels.Kernel.DOT, x, y, null, 0, m, 0);
      double[][] want = naive(x, y, 1, m, 1, false, false);
      assertClose(want[0], want[1], new double[] {dot}, m, "dot " + m);
    }
  }

  /** The paths of productPath. */
  private static final int PACKED = 1, TRANSPOSED = 2, SPARSE_LEFT_NARROW = 3, SPARSE_LEFT = 4, SPARSE_RIGHT = 5;

  /**
   * An image-like operand: rows of {@code width} values where each row is zero but for a run or two (as MNIST's digits,
   * 80 % zeros), so that runs of four zeros are common but not universal; {@code rows × width} elements.
   */
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

  private static int path(Object h, double[] a, double[] b, int m, int k, int n) throws ReflectiveOperationException {
    return (int) h.getClass().getMethod("path", double[].class, double[].class, int.class, int.class, int.class)
        .invoke(h, a, b, m, k, n);
  }

  @Test
  void mostlyZeroOperandsAreTheCoefficientsOnEveryTranspositionCaseWithTheTripleLoopsBits() throws Exception {
    SplittableRandom r = new SplittableRandom(21);
    // {m, k, n}: MNIST's products at batch 100 (X·W1 and Xᵀ·∂A1, and the same with the image on the right), edge
    // sizes around the gathering of 8 rows, the passes of 4 and GATHERED_WIDTH, and shapes large enough to be split
    // over the parts
    int w = MatmulKernels.GATHERED_WIDTH;
    int[][] shapes = {{100, 784, 50}, {784, 100, 50}, {50, 784, 100}, {50, 100, 784}, {9, 33, 17}, {17, 9, 33},
        {33, 17, 9}, {w, 7, w}, {w + 9, 13, w - 1}, {w - 1, 13, w + 9}, {7, 61, 13}, {13, 7, 61}, {300, 97, 40},
        {40, 97, 300}, {203, 257, 31}};
    int sparseLeft = 0, sparseRight = 0;
    for (int[] shape : shapes) {
      int m = shape[0], k = shape[1], n = shape[2];
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          for (boolean left : new boolean[] {true, false}) {
            // the sparse operand as images stored the way the case reads them: rows of op(a) = images, or columns
            double[] a = left ? (ta ? transpose(images(r, m, k), m, k) : images(r, m, k)) : random(r, m * k, 0.0);
            double[] b = left ? random(r, k * n, 0.0) : (tb ? images(r, n, k) : transpose(images(r, n, k), n, k));
            double[][] want = naive(a, b, m, k, n, ta, tb);
            for (int parts : new int[] {1, 2, 3}) {
              Object h = harness(m, k, n, parts);
              int path = path(h, a, b, m, k, n);
              // rows narrower than GATHERED_WIDTH skip passes of four zeros; so does a sparse b then stay packed
              int expected = left ? (n >= w ? SPARSE_LEFT : SPARSE_LEFT_NARROW) : m >= w ? SPARSE_RIGHT : -1;
              String what = m + "×" + k + "×" + n + " sparse " + (left ? "a" : "b");
              if (expected > 0) assertEquals(expected, path, what);
              else assertTrue(path == PACKED || path == TRANSPOSED, what + ": " + path);
              if (path == SPARSE_LEFT) sparseLeft++;
              if (path == SPARSE_RIGHT) sparseRight++;
              double[] c = random(r, m * n, 0.0);
              call(h, MatmulKernels.matmul(ta, tb), a, b, c, m, k, n);
              assertSameBits(want[0], c, "matmul" + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "×" + k + "×" + n
                  + " in " + parts + " parts, sparse " + (left ? "a" : "b"));
            }
          }
        }
      }
    }
    assertTrue(sparseLeft >= 80 && sparseRight >= 80, sparseLeft + " sparse left, " + sparseRight + " sparse right");
    // dense operands keep the packed paths
    double[] a = random(r, 100 * 784, 0.0), b = random(r, 784 * 50, 0.0);
    assertEquals(TRANSPOSED, path(harness(100, 784, 50, 1), a, b, 100, 784, 50));
    assertEquals(PACKED, path(harness(100, 784, 64, 1), a, random(r, 784 * 64, 0.0), 100, 784, 64));
  }

  @Test
  void floatKernelsSkipZerosWithTheFloatTripleLoopsBits() throws Exception {
    SplittableRandom r = new SplittableRandom(22);
    for (int[] shape : new int[][] {{100, 784, 50}, {784, 100, 50}, {50, 100, 784}, {33, 17, 40}}) {
      int m = shape[0], k = shape[1], n = shape[2];
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          for (boolean left : new boolean[] {true, false}) {
            double[] da = left ? images(r, m, k) : random(r, m * k, 0.0);
            double[] db = left ? random(r, k * n, 0.0) : images(r, n, k);
            float[] a = floats(da), b = floats(db);
            float[] want = new float[m * n];
            for (int i = 0; i < m; i++) {
              for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                want[i * n + j] = s;
              }
            }
            for (int parts : new int[] {1, 2}) {
              Object h = floatHarness.getConstructor(int.class, int.class, int.class, int.class).newInstance(m, k, n, parts);
              int path = (int) floatHarness.getMethod("path", float[].class, float[].class, int.class, int.class, int.class)
                  .invoke(h, a, b, m, k, n);
              assertEquals(left ? SPARSE_LEFT : SPARSE_RIGHT, path, m + "×" + k + "×" + n + " float");
              float[] c = new float[m * n];
              java.util.Arrays.fill(c, Float.NaN); // kernels overwrite their output
              floatHarness.getMethod("call" + MatmulKernels.matmul(ta, tb).name(), float[].class, float[].class,
                  float[].class, int.class, int.class, int.class).invoke(h, a, b, c, m, k, n);
              for (int q = 0; q < want.length; q++) {
                if (Float.floatToRawIntBits(want[q]) != Float.floatToRawIntBits(c[q])) {
                  throw new AssertionError("float matmul" + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "×" + k
                      + "×" + n + " in " + parts + " parts: element " + q + " is " + c[q] + ", the triple loop gives "
                      + want[q]);
                }
              }
            }
          }
        }
      }
    }
  }

  /** The rows × cols matrix a, stored transposed (cols × rows). */
  private static double[] transpose(double[] a, int rows, int cols) {
    double[] t = new double[a.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
    }
    return t;
  }

  private static float[] floats(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
    return f;
  }
}
