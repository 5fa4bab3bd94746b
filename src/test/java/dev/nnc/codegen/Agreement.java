package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.NameTable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs a generated class against the reference interpreter on the same random inputs and params: every value after
 * {@code forward}, every gradient after {@code backward} (to {@value #TOLERANCE} relative), and {@code step} moving
 * every param by exactly −learningRate × gradient.
 */
final class Agreement {
  // Relative, not exact: the generated class and the interpreter need not round alike (the vector kernels dot and
  // matvec use four partial sums; MatmulKernels' matrix products add in the textbook order), and a reordered rounding
  // in a 784-term forward sum reaches the gradients through the chain rule.
  static final double TOLERANCE = 1e-12;

  private Agreement() {}

  /** Free dims get sizes 2, 3, 4, … in declaration order (distinct, so a swapped index shows). */
  static Map<String, Integer> smallDims(ModelIR m) {
    Map<String, Integer> dims = new LinkedHashMap<>();
    int next = 2;
    for (ModelIR.DimInfo d : m.dims()) if (d.isFree()) dims.put(d.name(), next++);
    return dims;
  }

  /** Checks one model; returns the number of numbers compared. */
  static int check(DiffModel dm, Class<?> c, long seed) throws Exception {
    return check(dm, c, smallDims(dm.model()), seed, Agreement::randomValue);
  }

  interface Sampler {
    double sample(Random r, ModelIR.Leaf leaf);
  }

  static double randomValue(Random r, ModelIR.Leaf leaf) {
    return r.nextDouble() * 2 - 1;
  }

  /** A onehot input's rows made distributions (|v| + 0.01, normalised): forward rejects anything else. */
  private static void distributions(double[] v, int row) {
    for (int r = 0; r < v.length; r += row) {
      double sum = 0;
      for (int i = r; i < r + row; i++) sum += v[i] = Math.abs(v[i]) + 0.01;
      for (int i = r; i < r + row; i++) v[i] /= sum;
    }
  }

  static int check(DiffModel dm, Class<?> c, Map<String, Integer> dims, long seed, Sampler sampler) throws Exception {
    ModelIR m = dm.model();
    NameTable names = m.names();
    Random rnd = new Random(seed);
    Map<String, double[]> values = new HashMap<>();
    List<ModelIR.Leaf> leaves = new ArrayList<>(m.inputs());
    leaves.addAll(m.params());
    Interpreter sizes = new Interpreter(m.graph(), dims);
    for (ModelIR.Leaf l : leaves) {
      double[] v = new double[sizes.size(l.var().shape())];
      for (int i = 0; i < v.length; i++) v[i] = sampler.sample(rnd, l);
      if (l.onehot()) distributions(v, sizes.extent(l.var().shape().dim(l.var().shape().rank() - 1)));
      values.put(l.name(), v);
    }
    Interpreter ref = Interpreter.forModel(m, dims, values);

    List<Object> ctorArgs = new ArrayList<>();
    List<Class<?>> ctorTypes = new ArrayList<>();
    for (ModelIR.DimInfo d : m.dims()) {
      if (!d.isFree()) continue;
      ctorArgs.add(dims.get(d.name()));
      ctorTypes.add(int.class);
    }
    Object model = c.getConstructor(ctorTypes.toArray(new Class<?>[0])).newInstance(ctorArgs.toArray());
    for (ModelIR.Leaf p : m.params()) set(c, model, names.of(p).java(), values.get(p.name()));
    List<Object> args = new ArrayList<>();
    List<Class<?>> types = new ArrayList<>();
    for (ModelIR.Leaf in : m.inputs()) {
      double[] v = values.get(in.name());
      if (in.var().shape().isScalar()) {
        args.add(v[0]);
        types.add(double.class);
      } else {
        args.add(v.clone());
        types.add(double[].class);
      }
    }
    Method forward = c.getMethod("forward", types.toArray(new Class<?>[0]));
    double loss = (double) forward.invoke(model, args.toArray());
    int compared = 1;
    close(ref.scalar(m.lossValue().node()), loss, "loss " + m.loss());
    for (ModelIR.Value v : m.values()) {
      compared += compare(ref.eval(v.node()), get(c, model, names.of(v).java()), "value " + v.name());
    }
    c.getMethod("backward").invoke(model);
    Map<String, double[]> grads = new HashMap<>();
    for (ModelIR.Leaf p : m.params()) {
      Adjoint a = dm.adjoint(p.name());
      double[] got = get(c, model, names.of(p).gradientJava());
      grads.put(p.name(), got.clone());
      compared += compare(ref.eval(a.value()), got, "gradient of " + p.name());
    }
    double lr = 0.125 + rnd.nextDouble();
    c.getMethod("step", double.class).invoke(model, lr);
    for (ModelIR.Leaf p : m.params()) {
      double[] before = values.get(p.name());
      double[] after = get(c, model, names.of(p).java());
      double[] g = grads.get(p.name());
      for (int i = 0; i < before.length; i++) {
        assertEquals(before[i] - lr * g[i], after[i], 0.0, "step moves " + p.name() + "[" + i + "] by −lr·gradient");
      }
    }
    return compared;
  }

  /**
   * Elementwise to {@value #TOLERANCE} relative. An element of a tensor is a sum over a product's inner dimension,
   * summed in a different order by the kernels than by the interpreter; where the terms cancel, the element is
   * much smaller than they are, so the scale is at least a hundredth of the tensor's largest element.
   */
  static int compare(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double largest = 0;
    for (double e : expected) if (Double.isFinite(e)) largest = Math.max(largest, Math.abs(e));
    for (int i = 0; i < expected.length; i++) close(expected[i], actual[i], 1e-2 * largest, what + "[" + i + "]");
    return expected.length;
  }

  static void close(double expected, double actual, String what) {
    close(expected, actual, 0, what);
  }

  static void close(double expected, double actual, double floor, String what) {
    if (Double.isNaN(expected) || Double.isInfinite(expected)) {
      assertEquals(expected, actual, 0.0, what);
      return;
    }
    double scale = Math.max(floor, Math.max(Math.abs(expected), Math.abs(actual)));
    if (!(Math.abs(expected - actual) <= TOLERANCE * scale)) {
      fail(what + ": interpreter " + expected + ", generated " + actual + " (relative error "
          + Math.abs(expected - actual) / scale + ")");
    }
  }

  static void set(Class<?> c, Object model, String field, double[] v) throws Exception {
    Field f = c.getField(field);
    if (f.getType() == double.class) {
      f.setDouble(model, v[0]);
    } else {
      double[] target = (double[]) f.get(model);
      assertEquals(v.length, target.length, field + " length");
      System.arraycopy(v, 0, target, 0, v.length);
    }
  }

  static double[] get(Class<?> c, Object model, String field) throws Exception {
    assertTrue(field != null, "no Java name");
    Field f = c.getField(field);
    if (f.getType() == double.class) return new double[] {f.getDouble(model)};
    return ((double[]) f.get(model)).clone();
  }

}
