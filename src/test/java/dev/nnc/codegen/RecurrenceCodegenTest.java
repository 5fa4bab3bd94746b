package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Source;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.ModelIR;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated code of recurrences (docs/codegen.md): forward is a loop over the steps, backward backpropagation
 * through time as a loop. For T = 1, 2 and 50 the generated class agrees with the interpreter (values, every gradient,
 * step) and its own gradients agree with central differences of its own forward; the class for T = 1000 is the one
 * for T = 10 but for the dim's value; the float32 class compiles and follows the double one.
 */
class RecurrenceCodegenTest {
  /**
   * Loss on the last step, on every step, a scalar state, a batch of sequences (state [B, H]), and ∂ through a
   * recurrence: ∂L/∂X (BPTT down to an input, an output) and a penalty on ∂L/∂v (whose gradient runs BPTT once).
   */
  static final List<String> MODELS = List.of("""
      model Last {
        dim T, I = 2, H = 3
        input X[T, I], y
        param Wx[I, H] ~ normal(0, 0.5), Wh[H, H] ~ normal(0, 0.5), b[H], h0[H], v[H], c
        h[0] = h0
        h[t] = tanh(h[t−1] Wh + X[t] Wx + b)
        p = σ(h[T] · v + c)
        L = −(y log p + (1 − y) log(1 − p))
      }
      """, """
      model Every {
        dim T, I = 2, H = 3
        input X[T, I], Y[T]
        param Wx[I, H] ~ normal(0, 0.5), Wh[H, H] ~ normal(0, 0.5), b[H], h0[H], v[H]
        h[0] = h0
        h[t] = tanh(h[t−1] Wh + X[t] Wx + b)
        L = sum((h v − Y)²) / T
      }
      """, """
      model ScalarState {
        dim T
        input x[T], y
        param a, w, s0
        s[0] = s0
        s[t] = tanh(a s[t−1] + w x[t])
        L = (s[T] − y)² + sum(s) / T
      }
      """, """
      model Batched {
        dim T = 4, B = 2, I = 2, H = 3
        input X[T, B, I], Y[B]
        param Wx[I, H] ~ normal(0, 0.5), Wh[H, H] ~ normal(0, 0.5), b[H], h0[B, H], v[H]
        h[0] = h0
        h[t] = tanh(h[t−1] Wh + X[t] Wx + b)
        L = sum((h[T] v − Y)²)
      }
      """, """
      model Through {
        dim T, I = 2, H = 3
        input X[T, I], y
        param Wx[I, H] ~ normal(0, 0.5), Wh[H, H] ~ normal(0, 0.5), b[H], h0[H], v[H], c
        h[0] = h0
        h[t] = tanh(h[t−1] Wh + X[t] Wx + b)
        p = σ(h[T] · v + c)
        L = −(y log p + (1 − y) log(1 − p))
        g = ∂L/∂X
        P = L + 0.1 sum((∂L/∂v)²)
        output g
        loss P
      }
      """);

  static Result compile(String text, Precision precision) {
    Result r = Compiler.compile(Source.of("rnn.nn", text),
        Compiler.Options.defaults().inPackage("t").withPrecision(precision).withApi(Api.CORE));
    assertTrue(!r.hasErrors(), r.diagnostics().toString());
    return r;
  }

  @ParameterizedTest(name = "T = {0}")
  @ValueSource(ints = {1, 2, 50})
  void generatedJavaAgreesWithTheInterpreterAndCentralDifferences(int steps) throws Exception {
    List<Result> results = new ArrayList<>();
    for (String m : MODELS) results.add(compile(m, Precision.FLOAT64));
    List<dev.nnc.codegen.GeneratedFile> files = new ArrayList<>();
    for (Result r : results) files.addAll(r.files());
    ClassLoader loader = Javac.compile(files);
    int compared = 0;
    for (Result r : results) {
      DiffModel dm = r.derivatives().get(0);
      Class<?> c = loader.loadClass(r.files().get(0).qualifiedName());
      Map<String, Integer> dims = dm.model().dims().stream().anyMatch(d -> d.name().equals("T") && d.isFree())
          ? Map.of("T", steps) : Map.of();
      compared += Agreement.check(dm, c, dims, 17 + steps, Agreement::randomValue);
      compared += centralDifferences(dm, c, dims, steps);
    }
    assertTrue(compared > 100, "compared " + compared);
  }

  /** Every gradient entry of the generated backward against (L(θ+h) − L(θ−h))/2h of the generated forward. */
  private static int centralDifferences(DiffModel dm, Class<?> c, Map<String, Integer> dims, int steps)
      throws Exception {
    ModelIR m = dm.model();
    List<Object> ctor = new ArrayList<>();
    List<Class<?>> ctorTypes = new ArrayList<>();
    for (ModelIR.DimInfo d : m.dims()) {
      if (!d.isFree()) continue;
      ctor.add(dims.get(d.name()));
      ctorTypes.add(int.class);
    }
    Object model = c.getConstructor(ctorTypes.toArray(new Class<?>[0])).newInstance(ctor.toArray());
    c.getMethod("initialize", long.class).invoke(model, 3L);
    Random r = new Random(steps);
    for (ModelIR.Leaf p : m.params()) { // away from the zero initialisers: every gradient entry is non-trivial
      double[] v = Agreement.get(c, model, m.names().of(p).java());
      for (int i = 0; i < v.length; i++) v[i] += 0.3 * (r.nextDouble() * 2 - 1);
      Agreement.set(c, model, m.names().of(p).java(), v);
    }
    List<Object> args = new ArrayList<>();
    List<Class<?>> types = new ArrayList<>();
    for (ModelIR.Leaf in : m.inputs()) {
      int n = new dev.nnc.eval.Interpreter(m.graph(), dims).size(in.var().shape());
      double[] v = new double[n];
      for (int i = 0; i < n; i++) v[i] = r.nextDouble() * 2 - 1;
      if (in.var().shape().isScalar()) {
        args.add(0.5);
        types.add(double.class);
      } else {
        args.add(v);
        types.add(double[].class);
      }
    }
    Method forward = c.getMethod("forward", types.toArray(new Class<?>[0]));
    forward.invoke(model, args.toArray());
    c.getMethod("backward").invoke(model);
    int compared = 0;
    double h = 1e-5;
    for (ModelIR.Leaf p : m.params()) {
      String field = m.names().of(p).java();
      double[] grad = Agreement.get(c, model, m.names().of(p).gradientJava());
      double[] theta = Agreement.get(c, model, field);
      for (int i = 0; i < theta.length; i++) {
        double[] plus = theta.clone();
        plus[i] += h;
        Agreement.set(c, model, field, plus);
        double lp = (double) forward.invoke(model, args.toArray());
        double[] minus = theta.clone();
        minus[i] -= h;
        Agreement.set(c, model, field, minus);
        double lm = (double) forward.invoke(model, args.toArray());
        Agreement.set(c, model, field, theta);
        double numeric = (lp - lm) / (2 * h);
        double scale = Math.max(1e-6, Math.abs(numeric) + Math.abs(grad[i]));
        assertTrue(Math.abs(numeric - grad[i]) / scale < 1e-6, m.name() + " T=" + steps + " ∂L/∂" + p.name() + "["
            + i + "]: backward " + grad[i] + ", central differences " + numeric);
        compared++;
      }
    }
    return compared;
  }

  /**
   * A free T that is a batch dim ({@code input X[T, I]}): an object built for 10 steps takes a sequence of 4 and
   * computes what the interpreter computes for T = 4 (loss and every gradient), then a sequence of 10.
   */
  @Test
  void oneObjectTakesSequencesOfAnyLengthUpToItsCapacity() throws Exception {
    Result r = compile(MODELS.get(0), Precision.FLOAT64);
    DiffModel dm = r.derivatives().get(0);
    ModelIR m = dm.model();
    Class<?> c = Javac.compile(r.files()).loadClass(r.files().get(0).qualifiedName());
    Object model = c.getConstructor(int.class).newInstance(10);
    c.getMethod("initialize", long.class).invoke(model, 4L);
    Random rnd = new Random(8);
    java.util.Map<String, double[]> values = new java.util.HashMap<>();
    for (ModelIR.Leaf p : m.params()) {
      double[] v = Agreement.get(c, model, m.names().of(p).java());
      for (int i = 0; i < v.length; i++) v[i] += 0.3 * (rnd.nextDouble() * 2 - 1);
      Agreement.set(c, model, m.names().of(p).java(), v);
      values.put(p.name(), v);
    }
    for (int steps : new int[] {4, 10, 1}) {
      double[] x = new double[steps * 2];
      for (int i = 0; i < x.length; i++) x[i] = rnd.nextDouble() * 2 - 1;
      values.put("X", x);
      values.put("y", new double[] {1});
      double loss = (double) c.getMethod("forward", double[].class, double.class).invoke(model, x, 1.0);
      c.getMethod("backward").invoke(model);
      dev.nnc.eval.Interpreter ref = dev.nnc.eval.Interpreter.forModel(m, Map.of("T", steps), values);
      Agreement.close(ref.scalar(m.lossValue().node()), loss, "loss at " + steps + " steps");
      for (ModelIR.Leaf p : m.params()) {
        Agreement.compare(ref.eval(dm.adjoint(p.name()).value()), Agreement.get(c, model,
            m.names().of(p).gradientJava()), "∂L/∂" + p.name() + " at " + steps + " steps");
      }
    }
  }

  /** Once constructed, forward (the loop over 50 steps), backward (BPTT) and step allocate nothing. */
  @Test
  void forwardBackwardAndStepAllocateNothing() throws Throwable {
    Result r = compile(MODELS.get(0), Precision.FLOAT64);
    Class<?> c = Javac.compile(r.files()).loadClass(r.files().get(0).qualifiedName());
    Object model = c.getConstructor(int.class).newInstance(50);
    c.getMethod("initialize", long.class).invoke(model, 1L);
    java.lang.invoke.MethodHandles.Lookup lookup = java.lang.invoke.MethodHandles.publicLookup();
    java.lang.invoke.MethodHandle forward = lookup.unreflect(c.getMethod("forward", double[].class, double.class))
        .asType(java.lang.invoke.MethodType.methodType(double.class, Object.class, double[].class, double.class));
    java.lang.invoke.MethodHandle backward = lookup.unreflect(c.getMethod("backward"))
        .asType(java.lang.invoke.MethodType.methodType(void.class, Object.class));
    java.lang.invoke.MethodHandle step = lookup.unreflect(c.getMethod("step", double.class))
        .asType(java.lang.invoke.MethodType.methodType(void.class, Object.class, double.class));
    double[] x = new double[50 * 2];
    for (int i = 0; i < x.length; i++) x[i] = Math.sin(i);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 6; round++) {
      long before = threads.getThreadAllocatedBytes(id);
      for (int k = 0; k < 100; k++) {
        double l = (double) forward.invokeExact(model, x, 1.0);
        backward.invokeExact(model);
        step.invokeExact(model, 1e-3 + 0 * l);
      }
      least = Math.min(least, threads.getThreadAllocatedBytes(id) - before);
    }
    assertTrue(least < 4096, "a round of 100 training steps over 50 steps allocated " + least + " bytes");
  }

  /** The class for T = 1000 is the class for T = 10 with the dim's value changed: the code does not grow with T. */
  @Test
  void theClassDoesNotGrowWithTheSteps() {
    String model = MODELS.get(0).replace("dim T,", "dim T = %d,");
    String ten = compile(model.formatted(10), Precision.FLOAT64).files().get(0).content();
    String thousand = compile(model.formatted(1000), Precision.FLOAT64).files().get(0).content();
    assertNotEquals(ten, thousand);
    assertEquals(ten, thousand.replace("1000", "10"), "only the value of T differs");
    assertTrue(ten.contains("for (int t = 0; t < T; t++) {"), "forward loops over the steps");
    assertTrue(ten.contains("for (int t = T - 1; t >= 0; t--) {"), "backward loops over the steps, last first");
    // the size modulo the dim value: the same number of characters once 1000 is written 10
    assertEquals(ten.length(), thousand.length() - 2 * count(thousand, "1000"));
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
    return n;
  }

  /** The float32 class compiles (javac --release 11, empty classpath) and follows the double class. */
  @Test
  void float32FollowsFloat64() throws Exception {
    for (String text : MODELS) {
      Result f64 = compile(text, Precision.FLOAT64);
      Result f32 = compile(text.replace("model ", "model F"), Precision.FLOAT32);
      ClassLoader loader = Javac.compile(List.of(f64.files().get(0), f32.files().get(0)));
      Class<?> c64 = loader.loadClass(f64.files().get(0).qualifiedName());
      Class<?> c32 = loader.loadClass(f32.files().get(0).qualifiedName());
      ModelIR m = f64.derivatives().get(0).model();
      boolean free = m.dims().stream().anyMatch(ModelIR.DimInfo::isFree);
      Object a = free ? c64.getConstructor(int.class).newInstance(5) : c64.getConstructor().newInstance();
      Object b = free ? c32.getConstructor(int.class).newInstance(5) : c32.getConstructor().newInstance();
      c64.getMethod("initialize", long.class).invoke(a, 1L);
      c32.getMethod("initialize", long.class).invoke(b, 1L);
      List<Object> a64 = new ArrayList<>();
      List<Object> a32 = new ArrayList<>();
      List<Class<?>> t64 = new ArrayList<>();
      List<Class<?>> t32 = new ArrayList<>();
      Random r = new Random(5);
      for (ModelIR.Leaf in : m.inputs()) {
        int n = new dev.nnc.eval.Interpreter(m.graph(), free ? Map.of("T", 5) : Map.of()).size(in.var().shape());
        double[] d = new double[n];
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) (d[i] = r.nextDouble() * 2 - 1);
        if (in.var().shape().isScalar()) {
          a64.add(0.5);
          a32.add(0.5f);
          t64.add(double.class);
          t32.add(float.class);
        } else {
          a64.add(d);
          a32.add(f);
          t64.add(double[].class);
          t32.add(float[].class);
        }
      }
      double l64 = (double) c64.getMethod("forward", t64.toArray(new Class<?>[0])).invoke(a, a64.toArray());
      float l32 = (float) c32.getMethod("forward", t32.toArray(new Class<?>[0])).invoke(b, a32.toArray());
      assertEquals(l64, l32, 1e-4 * Math.max(1, Math.abs(l64)), m.name() + " loss");
      c64.getMethod("backward").invoke(a);
      c32.getMethod("backward").invoke(b);
      for (ModelIR.Leaf p : m.params()) {
        String g = m.names().of(p).gradientJava();
        Object x = c64.getField(g).get(a);
        Object y = c32.getField(g).get(b);
        double[] gd = x instanceof double[] d ? d : new double[] {(double) x};
        float[] gf = y instanceof float[] f ? f : new float[] {(float) y};
        for (int i = 0; i < gd.length; i++) {
          assertEquals(gd[i], gf[i], 1e-3 * Math.max(1, Math.abs(gd[i])), m.name() + " ∂L/∂" + p.name() + "[" + i + "]");
        }
      }
    }
  }
}
