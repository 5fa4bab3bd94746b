package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Source;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.ModelIR;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The memory plan (docs/codegen.md, "Memory"): on every example, the bytes a generated class keeps — the arrays its
 * fields hold, counted by reflection right after construction — equal {@link MemoryPlan}'s figure (what
 * {@code nnc compile --report} prints), and are fewer than the same model's class generated without the plan by at
 * least its array inputs; and, in float64 and float32, {@code forward}+{@code backward}+{@code step} (and
 * {@code forward}+{@code jvp}) allocate nothing per step once warm.
 */
class MemoryPlanTest {
  /** Steps per measured round: any allocation per step (16 bytes at least) would show as thousands of bytes. */
  private static final int STEPS = 100;

  @Test
  void bytesKeptMatchThePlanAndShrinkOnEveryExample() throws Exception {
    List<Result> results = ExamplesTest.compileExamples();
    List<GeneratedFile> withPlan = new ArrayList<>();
    List<GeneratedFile> without = new ArrayList<>();
    for (Result r : results) {
      for (int i = 0; i < r.files().size(); i++) {
        withPlan.add(r.files().get(i));
        without.add(JavaGenerator.generateWithoutMemoryPlan(r.derivatives().get(i), "", Precision.FLOAT64, Api.FULL));
      }
    }
    ClassLoader now = Javac.compile(withPlan);
    ClassLoader before = Javac.compile(without);
    int shrunk = 0;
    for (Result r : results) {
      for (int i = 0; i < r.files().size(); i++) {
        DiffModel dm = r.derivatives().get(i);
        String name = r.files().get(i).qualifiedName();
        Map<String, Integer> dims = dims(dm.model(), 7);
        long kept = bytesKept(construct(now.loadClass(name), dm.model(), dims));
        long old = bytesKept(construct(before.loadClass(name), dm.model(), dims));
        assertEquals(JavaGenerator.memoryPlan(dm, Precision.FLOAT64, Api.FULL).bytes(dims), kept,
            name + ": the plan's bytes are the class's");
        long inputs = 0;
        for (ModelIR.Leaf l : dm.model().inputs()) {
          if (!l.var().shape().isScalar()) inputs += 8 * MemoryPlan.elements(l.var().shape(), dims);
        }
        assertTrue(old - kept >= inputs, name + ": " + old + " bytes before the plan, " + kept + " after, inputs " + inputs);
        if (inputs > 0) shrunk++;
      }
    }
    assertTrue(shrunk >= 7, "the examples with array inputs: " + shrunk);
  }

  /** The two-layer network at batch 100: what the plan saves is its input batch and three temporaries. */
  @Test
  void twoLayerNetKeepsItsInputByReferenceAndSharesTemporaries() throws Exception {
    Result r = Pipeline.compile(ExamplesTest.EXAMPLES.resolve("two_layer_net.nn"), "");
    DiffModel dm = r.derivatives().get(0);
    ClassLoader now = Javac.compile(r.files());
    ClassLoader before = Javac.compile(List.of(
        JavaGenerator.generateWithoutMemoryPlan(dm, "", Precision.FLOAT64, Api.FULL)));
    Map<String, Integer> dims = Map.of("B", 100);
    Object m = construct(now.loadClass("TwoLayerNet"), dm.model(), dims);
    long saved = bytesKept(construct(before.loadClass("TwoLayerNet"), dm.model(), dims)) - bytesKept(m);
    // X, T; jvp's [B] temporary shares backward's; jvp's σ′ chain and its output bias sum each compute in place in
    // the buffer of the product they add (a [B, H] and a [B, O] temporary)
    assertEquals(8L * (100 * 784 + 100 * 10 + 100 + 100 * 50 + 100 * 10), saved);
    double[] x = new double[3 * 784];
    double[] t = new double[3 * 10];
    Method forward = m.getClass().getMethod("forward", double[].class, double[].class);
    assertNull(m.getClass().getField("X").get(m), "no input before the first forward");
    forward.invoke(m, x, t);
    assertSame(x, m.getClass().getField("X").get(m), "forward keeps the caller's array");
    assertSame(t, m.getClass().getField("T").get(m));
  }

  @Test
  void trainingAndJvpStepsAllocateNothingOnEveryExampleInBothPrecisions() throws Exception {
    for (Precision precision : Precision.values()) {
      List<GeneratedFile> files = new ArrayList<>();
      List<DiffModel> models = new ArrayList<>();
      for (Path p : ExamplesTest.exampleFiles()) {
        Result r = Compiler.compile(Source.fromBytes(p.toString(), Files.readAllBytes(p)),
            Compiler.Options.defaults().withPrecision(precision));
        for (int i = 0; i < r.files().size(); i++) {
          files.add(r.files().get(i));
          models.add(r.derivatives().get(i));
          files.add(driver(r.files().get(i), r.derivatives().get(i).model(), precision));
        }
      }
      ClassLoader loader = Javac.compile(files);
      // The measurement can fail: a step that allocates one small array shows as at least 16 bytes a step.
      GeneratedFile first = files.get(0);
      Method control = loader.loadClass(first.qualifiedName() + "Driver").getMethod("allocating", Object.class,
          Object[].class, int.class);
      long allocating = allocated(control, null, new Object[0], STEPS) - allocated(control, null, new Object[0], 0);
      assertTrue(allocating >= 16L * STEPS, "the control allocated " + allocating + " bytes in " + STEPS + " steps");
      for (int k = 0; k < models.size(); k++) {
        GeneratedFile f = files.get(2 * k);
        ModelIR m = models.get(k).model();
        Map<String, Integer> dims = dims(m, 2);
        Object model = construct(loader.loadClass(f.qualifiedName()), m, dims);
        Class<?> d = loader.loadClass(f.qualifiedName() + "Driver");
        Object[] in = inputs(m, dims, precision);
        for (String method : List.of("train", "jvp")) {
          Method run = null;
          for (Method x : d.getMethods()) if (x.getName().equals(method)) run = x;
          if (run == null) continue; // a class without jvp (a recurrence)
          long perRound = allocated(run, model, in, STEPS) - allocated(run, model, in, 0);
          assertTrue(perRound < STEPS, f.className() + " " + precision.spelling() + ": " + STEPS + " " + method
              + " steps allocated " + perRound + " bytes beyond the call itself");
        }
      }
    }
  }

  /** The least bytes the current thread allocates over rounds of {@code run(model, in, steps)}, once warm. */
  private static long allocated(Method run, Object model, Object[] in, int steps) throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    Object[] args = {model, in, steps};
    for (int w = 0; w < 2; w++) run.invoke(null, args);
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      long start = threads.getThreadAllocatedBytes(id);
      run.invoke(null, args);
      least = Math.min(least, threads.getThreadAllocatedBytes(id) - start);
    }
    return least;
  }

  /**
   * A class beside the model's that calls its methods directly (reflection would box the arguments every call):
   * {@code train} runs forward, backward and step, {@code jvp} forward and jvp, {@code n} times.
   */
  private static GeneratedFile driver(GeneratedFile model, ModelIR m, Precision precision) {
    String real = precision.java();
    StringBuilder unpack = new StringBuilder();
    List<String> args = new ArrayList<>();
    for (int k = 0; k < m.inputs().size(); k++) {
      boolean scalar = m.inputs().get(k).var().shape().isScalar();
      String type = scalar ? real : real + "[]";
      String cast = scalar ? (precision == Precision.FLOAT64 ? "(Double)" : "(Float)") : "(" + type + ")";
      unpack.append("    ").append(type).append(" a").append(k).append(" = ").append(cast).append(" in[").append(k)
          .append("];\n");
      args.add("a" + k);
    }
    String call = "m.forward(" + String.join(", ", args) + ")";
    String c = model.className();
    StringBuilder s = new StringBuilder("/** Runs the model's steps. */\npublic final class " + c + "Driver {\n");
    s.append("  private " + c + "Driver() {}\n\n");
    String doc = "  /**\n   * Steps.\n   * @param m the model\n   * @param in the inputs\n   * @param n how many\n"
        + "   * @return the sum of the losses\n   */\n";
    s.append(doc).append("  public static double train(" + c + " m, Object[] in, int n) {\n").append(unpack)
        .append("    double s = 0;\n    for (int k = 0; k < n; k++) {\n      s += " + call
            + ";\n      m.backward();\n      m.step(1e-6);\n    }\n    return s;\n  }\n");
    if (model.content().contains(" jvp() {")) {
      s.append(doc).append("  public static double jvp(" + c + " m, Object[] in, int n) {\n").append(unpack)
          .append("    double s = 0;\n    for (int k = 0; k < n; k++) s += " + call + " + m.jvp();\n    return s;\n  }\n");
    }
    // the test's control: one escaping array per step
    s.append("  private static double[] last;\n\n").append(doc.replace("@param m the model", "@param m unused"))
        .append("  public static double allocating(Object m, Object[] in, int n) {\n    double s = 0;\n"
            + "    for (int k = 0; k < n; k++) {\n      last = new double[1];\n      s += last.length;\n    }\n"
            + "    return s;\n  }\n");
    s.append("}\n");
    return new GeneratedFile(model.packageName(), c + "Driver", s.toString());
  }

  /** Free dims at {@code size}, {@code size + 1}, … in declaration order. */
  private static Map<String, Integer> dims(ModelIR m, int size) {
    Map<String, Integer> dims = new LinkedHashMap<>();
    for (ModelIR.DimInfo d : m.dims()) if (d.isFree()) dims.put(d.name(), size++);
    return dims;
  }

  private static Object construct(Class<?> c, ModelIR m, Map<String, Integer> dims) throws Exception {
    Class<?>[] types = new Class<?>[dims.size()];
    java.util.Arrays.fill(types, int.class);
    Object model = c.getConstructor(types).newInstance(dims.values().toArray());
    c.getMethod("initialize", long.class).invoke(model, 1L);
    return model;
  }

  /** Seeded inputs in (0.05, 1) (a log of an input stays finite), onehot rows as distributions. */
  private static Object[] inputs(ModelIR m, Map<String, Integer> dims, Precision precision) {
    Random rnd = new Random(3);
    Object[] out = new Object[m.inputs().size()];
    for (int k = 0; k < out.length; k++) {
      ModelIR.Leaf l = m.inputs().get(k);
      int n = (int) MemoryPlan.elements(l.var().shape(), dims);
      double[] v = new double[n];
      for (int i = 0; i < n; i++) v[i] = 0.05 + 0.95 * rnd.nextDouble();
      if (l.onehot()) {
        int row = (int) MemoryPlan.elements(dev.nnc.ir.Shape.of(l.var().shape().dim(l.var().shape().rank() - 1)), dims);
        for (int i = 0; i < n; i++) v[i] = 1.0 / row;
      }
      boolean f32 = precision == Precision.FLOAT32;
      if (l.var().shape().isScalar()) out[k] = f32 ? (Object) (float) v[0] : (Object) v[0];
      else if (!f32) out[k] = v;
      else {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) v[i];
        out[k] = w;
      }
    }
    return out;
  }

  /**
   * Bytes of the arrays an instance keeps, each array once: its own fields' and those of the step objects of its
   * recurrences (nested classes of the model), not the product kernels' row scratch (a {@code double[][]} sized from
   * the machine's cores) and not an input, which is the caller's array.
   */
  static long bytesKept(Object model) throws IllegalAccessException {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    return bytesKept(model, model.getClass(), seen);
  }

  private static long bytesKept(Object o, Class<?> top, Set<Object> seen) throws IllegalAccessException {
    long n = 0;
    for (Field f : o.getClass().getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) continue;
      f.setAccessible(true);
      Object v = f.get(o);
      if (v == null || !seen.add(v)) continue;
      Class<?> t = v.getClass();
      if (t == double[].class) n += 8L * Array.getLength(v);
      else if (t == float[].class) n += 4L * Array.getLength(v);
      else if (t.getDeclaringClass() == top && !java.util.concurrent.ForkJoinTask.class.isAssignableFrom(t)) {
        n += bytesKept(v, top, seen);
      }
    }
    return n;
  }
}
