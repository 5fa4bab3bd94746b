package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The data-parallel API of the generated class: the flat views of params and gradients, and summing the gradients of
 * shards (as Spark's treeAggregate would) gives the gradient of the whole batch.
 */
class GradientAggregationTest {
  static final int I = 784;
  static final int O = 10;
  static Class<?> net;

  @BeforeAll
  static void generate() throws Exception {
    Result r = Pipeline.compile(Path.of("examples/two_layer_net.nn"), "");
    net = Javac.compile(List.of(r.files().get(0))).loadClass("TwoLayerNet");
  }

  static Object model(int rows, double[] params) throws Exception {
    Object m = net.getConstructor(int.class).newInstance(rows);
    net.getMethod("paramsFrom", double[].class).invoke(m, (Object) params);
    return m;
  }

  static double[] gradient(Object m, double[] x, double[] t) throws Exception {
    net.getMethod("forward", double[].class, double[].class).invoke(m, x, t);
    net.getMethod("backward").invoke(m);
    double[] g = new double[count(m)];
    net.getMethod("gradientsTo", double[].class).invoke(m, (Object) g);
    return g;
  }

  static int count(Object m) throws Exception {
    return (int) net.getMethod("paramCount").invoke(m);
  }

  static double[] randomParams(Random rnd) {
    double[] p = new double[I * 50 + 50 + 50 * O + O];
    for (int k = 0; k < p.length; k++) p[k] = rnd.nextGaussian() * 0.1;
    return p;
  }

  @Test
  void flatViewsAreTheParamsInDeclarationOrder() throws Exception {
    Object m = net.getConstructor(int.class).newInstance(3);
    net.getMethod("initialize", long.class).invoke(m, 7L);
    assertEquals(I * 50 + 50 + 50 * O + O, count(m));
    double[] flat = new double[count(m)];
    net.getMethod("paramsTo", double[].class).invoke(m, (Object) flat);
    double[] w1 = (double[]) net.getField("W1").get(m);
    double[] w2 = (double[]) net.getField("W2").get(m);
    assertArrayEquals(w1, Arrays.copyOfRange(flat, 0, w1.length));
    assertArrayEquals(w2, Arrays.copyOfRange(flat, I * 50 + 50, I * 50 + 50 + w2.length));
    flat[I * 50] = 4.5; // b1[0]
    net.getMethod("paramsFrom", double[].class).invoke(m, (Object) flat);
    assertEquals(4.5, ((double[]) net.getField("b1").get(m))[0]);
    InvocationTargetException e = assertThrows(InvocationTargetException.class,
        () -> net.getMethod("gradientsTo", double[].class).invoke(m, (Object) new double[5]));
    assertEquals("a flat buffer of 39760 elements is needed, got 5", e.getCause().getMessage());
  }

  @Test
  void shardGradientsSumToTheFullBatchGradient() throws Exception {
    Random rnd = new Random(3);
    double[] params = randomParams(rnd);
    int rows = 8;
    double[] x = new double[rows * I];
    double[] t = new double[rows * O];
    for (int k = 0; k < x.length; k++) x[k] = rnd.nextDouble();
    for (int r = 0; r < rows; r++) t[r * O + rnd.nextInt(O)] = 1;
    double[] full = gradient(model(rows, params), x, t);

    // Shards of 3 and 5 rows; the loss is a mean over rows, so shard i has weight rowsᵢ / rows.
    Object a = model(3, params);
    Object b = model(5, params);
    double[] ga = gradient(a, Arrays.copyOfRange(x, 0, 3 * I), Arrays.copyOfRange(t, 0, 3 * O));
    double[] gb = gradient(b, Arrays.copyOfRange(x, 3 * I, rows * I), Arrays.copyOfRange(t, 3 * O, rows * O));
    double[] sum = new double[count(a)];
    net.getMethod("addGradientsTo", double[].class, double.class).invoke(a, sum, 3.0 / rows);
    net.getMethod("addGradientsTo", double[].class, double.class).invoke(b, sum, 5.0 / rows);
    double largest = 0;
    for (double g : full) largest = Math.max(largest, Math.abs(g));
    assertTrue(largest > 1e-3, "the gradient is not trivially zero");
    for (int k = 0; k < full.length; k++) {
      assertEquals(full[k], sum[k], 1e-13 * largest, "element " + k);
      assertEquals(full[k], ga[k] * 3.0 / rows + gb[k] * 5.0 / rows, 1e-13 * largest);
    }

    // The same sum through addGradients on weighted copies (the merge of a tree aggregation), either order.
    double[] wa = ga.clone();
    double[] wb = gb.clone();
    for (int k = 0; k < wa.length; k++) {
      wa[k] *= 3.0 / rows;
      wb[k] *= 5.0 / rows;
    }
    double[] ab = (double[]) net.getMethod("addGradients", double[].class, double[].class).invoke(null, wa.clone(), wb);
    double[] ba = (double[]) net.getMethod("addGradients", double[].class, double[].class).invoke(null, wb.clone(), wa);
    assertArrayEquals(ab, ba, 0.0);
    assertArrayEquals(sum, ab, 0.0);

    // Merging instances: a's gradients scaled and b's added, then one step from the sum equals a full-batch step.
    Object merged = model(3, params);
    net.getMethod("gradientsFrom", double[].class).invoke(merged, (Object) new double[count(merged)]);
    net.getMethod("addGradientsFrom", net, double.class).invoke(merged, a, 3.0 / rows);
    net.getMethod("addGradientsFrom", net, double.class).invoke(merged, b, 5.0 / rows);
    double[] mg = new double[count(merged)];
    net.getMethod("gradientsTo", double[].class).invoke(merged, (Object) mg);
    assertArrayEquals(sum, mg, 0.0);
    net.getMethod("step", double.class).invoke(merged, 0.5);
    double[] after = new double[count(merged)];
    net.getMethod("paramsTo", double[].class).invoke(merged, (Object) after);
    for (int k = 0; k < after.length; k++) assertEquals(params[k] - 0.5 * sum[k], after[k], 0.0);
  }
}
