package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * predict and the batch capacity: the two-layer network built for 64 rows predicts 1, 37 and 64 rows as a NumPy
 * forward pass with the same weights does (recorded by src/test/resources/realuse/record_predict.py), and forward
 * and backward on fewer rows than the capacity give exactly what an instance built for that many rows gives.
 */
class PredictTest {
  static final int I = 784;
  static final int H = 50;
  static final int O = 10;
  static final int CAPACITY = 64;
  static Class<?> net;
  static double[] recorded;

  @BeforeAll
  static void setUp() throws Exception {
    Result r = Pipeline.compile(Path.of("examples/two_layer_net.nn"), "");
    net = Javac.compile(List.of(r.files().get(0))).loadClass("TwoLayerNet");
    String line = Files.readAllLines(Path.of("src/test/resources/realuse/two_layer_net_predict.txt")).get(1);
    recorded = Arrays.stream(line.split(" ")).mapToDouble(Double::parseDouble).toArray();
  }

  /** The weights of record_predict.py: ((k · mult) mod 2001 − 1000) / scale. */
  static double[] weights(int n, long mult, double scale) {
    double[] w = new double[n];
    for (int k = 0; k < n; k++) w[k] = (double) ((k * mult) % 2001 - 1000) / scale;
    return w;
  }

  static double[] pixels(int rows) {
    double[] x = new double[rows * I];
    for (int k = 0; k < x.length; k++) x[k] = (double) ((k * 104729L) % 256) / 255.0;
    return x;
  }

  static Object model(int capacity) throws Exception {
    Object m = net.getConstructor(int.class).newInstance(capacity);
    System.arraycopy(weights(I * H, 7919, 2000.0), 0, field(m, "W1"), 0, I * H);
    System.arraycopy(weights(H, 104729, 10000.0), 0, field(m, "b1"), 0, H);
    System.arraycopy(weights(H * O, 1299709, 200.0), 0, field(m, "W2"), 0, H * O);
    System.arraycopy(weights(O, 15485863, 10000.0), 0, field(m, "b2"), 0, O);
    return m;
  }

  static double[] field(Object m, String name) throws Exception {
    return (double[]) net.getField(name).get(m);
  }

  static void predict(Object m, double[] x) throws Throwable {
    try {
      net.getMethod("predict", double[].class).invoke(m, (Object) x);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void predictsOneThirtySevenAndCapacityRowsAsNumPyDoes() throws Throwable {
    Object m = model(CAPACITY);
    double[] all = pixels(CAPACITY);
    // Largest first, so that a smaller call reading stale rows would show.
    for (int rows : new int[] {CAPACITY, 37, 1, 37}) {
      predict(m, Arrays.copyOf(all, rows * I));
      double[] y = field(m, "Y");
      for (int k = 0; k < rows * O; k++) {
        assertEquals(recorded[k], y[k], 1e-12 * Math.abs(recorded[k]), rows + " rows, element " + k);
      }
    }
    double spread = 0;
    for (double v : recorded) spread = Math.max(spread, v);
    assertTrue(spread > 0.2, "the outputs are not uniform (the reference would not catch much)");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 37, 63})
  void forwardAndBackwardOnFewerRowsEqualAnInstanceOfThatSize(int rows) throws Exception {
    Random rnd = new Random(rows);
    double[] x = pixels(rows);
    double[] t = new double[rows * O];
    for (int r = 0; r < rows; r++) t[r * O + rnd.nextInt(O)] = 1;
    Object big = model(CAPACITY);
    Object exact = model(rows);
    // The big one first runs a full batch, so stale rows are in its buffers.
    double[] fullT = new double[CAPACITY * O];
    for (int r = 0; r < CAPACITY; r++) fullT[r * O + (r % O)] = 1;
    net.getMethod("forward", double[].class, double[].class).invoke(big, pixels(CAPACITY), fullT);
    net.getMethod("backward").invoke(big);
    double lossBig = (double) net.getMethod("forward", double[].class, double[].class).invoke(big, x, t);
    double lossExact = (double) net.getMethod("forward", double[].class, double[].class).invoke(exact, x, t);
    assertEquals(lossExact, lossBig, 0.0);
    net.getMethod("backward").invoke(big);
    net.getMethod("backward").invoke(exact);
    for (String g : new String[] {"dW1", "db1", "dW2", "db2"}) assertArrayEquals(field(exact, g), field(big, g), 0.0, g);
  }

  @Test
  void wrongLengthsAreRefusedNamingTheInputAndTheCapacity() throws Exception {
    Object m = model(4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> predict(m, new double[5 * I]));
    assertEquals("input X[B, I] needs 1 to 4 rows (the capacity of B) of 784 values, got length 3920", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> predict(m, new double[I + 1]));
    assertEquals("input X[B, I] needs 1 to 4 rows (the capacity of B) of 784 values, got length 785", e.getMessage());
    InvocationTargetException t = assertThrows(InvocationTargetException.class, () -> net.getMethod("forward",
        double[].class, double[].class).invoke(m, new double[2 * I], new double[3 * O]));
    assertEquals("input T[B, O] needs length 20, got 30", t.getCause().getMessage());
  }
}
