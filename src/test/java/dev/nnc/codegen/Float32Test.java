package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Source;
import dev.nnc.diff.DiffModel;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.NameTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --precision float32}: the same class over {@code float[]}/{@code float}. Every example's values and
 * gradients agree with the double interpreter on the same (float-representable) params and inputs to
 * {@value #TOLERANCE} relative (a tensor element relative to at least a hundredth of the tensor's largest element, as in
 * {@link Agreement}); float32 has 24 bits (6e-8), and a 784-term sum and the chain rule lose a few more. The stable
 * loss forms stay finite at logits of ±80 and ±800; the class writes {@code <f4} .npz files and reads {@code <f8} ones
 * rounded to float; forward, backward and step allocate nothing.
 */
class Float32Test {
  /** Relative agreement of float32 values and gradients with float64 (measured worst on the examples: see docs). */
  static final double TOLERANCE = 1e-4;

  static Result compile(Path file, Precision precision) throws IOException {
    Result r = Compiler.compile(Source.fromBytes(file.toString(), Files.readAllBytes(file)),
        Compiler.Options.defaults().withPrecision(precision));
    assertTrue(!r.hasErrors(), file + " has errors");
    return r;
  }

  static Class<?> load(Result r) throws ClassNotFoundException {
    return Javac.compile(r.files()).loadClass(r.files().get(0).qualifiedName());
  }

  private static final Map<Path, Class<?>> FLOAT_CLASSES = new HashMap<>();

  /** The float class of a model file, compiled once for all the tests that use it. */
  static synchronized Class<?> floatClass(Path file) throws Exception {
    Class<?> c = FLOAT_CLASSES.get(file);
    if (c == null) FLOAT_CLASSES.put(file, c = load(compile(file, Precision.FLOAT32)));
    return c;
  }

  @ParameterizedTest
  @ValueSource(strings = {"apple", "computation_graph", "logistic_regression", "logistic_regression_batch",
      "two_layer_net"})
  void everyExampleAgreesWithDoubleToFloatPrecision(String name) throws Exception {
    Result r = compile(Path.of("examples/" + name + ".nn"), Precision.FLOAT32);
    Class<?> c = load(r);
    double worst = 0;
    for (long seed = 1; seed <= 3; seed++) worst = Math.max(worst, agree(r.derivatives().get(0), c, seed));
    System.out.printf("float32 %s: worst relative difference from float64 %.2e%n", name, worst);
  }

  /** Values and gradients of the float class against the double interpreter; returns the worst relative error. */
  static double agree(DiffModel dm, Class<?> c, long seed) throws Exception {
    ModelIR m = dm.model();
    NameTable names = m.names();
    Map<String, Integer> dims = Agreement.smallDims(m);
    Random rnd = new Random(seed);
    Map<String, double[]> values = new HashMap<>();
    List<ModelIR.Leaf> leaves = new ArrayList<>(m.inputs());
    leaves.addAll(m.params());
    Interpreter sizes = new Interpreter(m.graph(), dims);
    for (ModelIR.Leaf l : leaves) {
      double[] v = new double[sizes.size(l.var().shape())];
      for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextDouble() * 2 - 1); // exactly a float
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
    for (ModelIR.Leaf p : m.params()) set(model, names.of(p).java(), values.get(p.name()));
    List<Object> args = new ArrayList<>();
    List<Class<?>> types = new ArrayList<>();
    for (ModelIR.Leaf in : m.inputs()) {
      float[] v = floats(values.get(in.name()));
      if (in.var().shape().isScalar()) {
        args.add(v[0]);
        types.add(float.class);
      } else {
        args.add(v);
        types.add(float[].class);
      }
    }
    Method forward = c.getMethod("forward", types.toArray(new Class<?>[0]));
    assertEquals(float.class, forward.getReturnType());
    float loss = (float) forward.invoke(model, args.toArray());
    double worst = close(new double[] {ref.scalar(m.lossValue().node())}, new double[] {loss}, "loss");
    for (ModelIR.Value v : m.values()) {
      worst = Math.max(worst, close(ref.eval(v.node()), get(model, names.of(v).java()), "value " + v.name()));
    }
    c.getMethod("backward").invoke(model);
    for (ModelIR.Leaf p : m.params()) {
      worst = Math.max(worst, close(ref.eval(dm.adjoint(p.name()).value()), get(model, names.of(p).gradientJava()),
          "gradient of " + p.name()));
    }
    return worst;
  }

  static double close(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double largest = 0;
    for (double e : expected) if (Double.isFinite(e)) largest = Math.max(largest, Math.abs(e));
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      double scale = Math.max(1e-2 * largest, Math.max(Math.abs(expected[i]), Math.abs(actual[i])));
      if (scale == 0) continue;
      double rel = Math.abs(expected[i] - actual[i]) / scale;
      if (!(rel <= TOLERANCE)) fail(what + "[" + i + "]: float64 " + expected[i] + ", float32 " + actual[i]);
      worst = Math.max(worst, rel);
    }
    return worst;
  }

  static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
    return f;
  }

  static void set(Object model, String field, double[] v) throws Exception {
    Field f = model.getClass().getField(field);
    if (f.getType() == float.class) {
      f.setFloat(model, (float) v[0]);
    } else {
      float[] target = (float[]) f.get(model);
      for (int i = 0; i < v.length; i++) target[i] = (float) v[i];
    }
  }

  static double[] get(Object model, String field) throws Exception {
    Field f = model.getClass().getField(field);
    if (f.getType() == float.class) return new double[] {f.getFloat(model)};
    float[] a = (float[]) f.get(model);
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) d[i] = a[i];
    return d;
  }

  /** Every example (the one-hot network too) as float32 compiles with --release 11, all lints, warnings as errors. */
  @Test
  void everyExampleCompilesAsFloat32() throws Exception {
    List<GeneratedFile> files = new ArrayList<>();
    try (java.util.stream.Stream<Path> examples = Files.list(Path.of("examples"))) {
      for (Path f : examples.filter(f -> f.toString().endsWith(".nn")).sorted().toList()) {
        files.addAll(compile(f, Precision.FLOAT32).files());
      }
    }
    assertTrue(files.size() >= 6, files.size() + " examples");
    ClassLoader loader = Javac.compile(files);
    for (GeneratedFile f : files) {
      Method forward = null;
      for (Method m : loader.loadClass(f.qualifiedName()).getMethods()) if (m.getName().equals("forward")) forward = m;
      assertEquals(float.class, forward.getReturnType(), f.className() + ".forward returns the float loss");
    }
  }

  @Test
  void theGeneratedClassIsOverFloatsAndDeterministic() throws Exception {
    Path file = Path.of("examples/two_layer_net.nn");
    String once = compile(file, Precision.FLOAT32).files().get(0).content();
    assertEquals(once, compile(file, Precision.FLOAT32).files().get(0).content());
    assertTrue(once.contains("public final float[] W1;"), "params are float[]");
    assertTrue(once.contains("public float forward(float[] X, float[] T)"));
    assertTrue(once.contains("public void predict(float[] X)"));
    assertTrue(!once.contains("double[]"), "no double[] anywhere in a float class");
    String dbl = compile(file, Precision.FLOAT64).files().get(0).content();
    assertEquals(Files.readString(Path.of("generated-examples/TwoLayerNet.java")), dbl, "the default stays double");
  }

  /** The two-layer network with logits of ±80 and ±800 (targets on the low logits): loss and gradients finite. */
  @ParameterizedTest
  @ValueSource(floats = {80f, 800f})
  void stableLossFormsHoldInFloat(float logit) throws Exception {
    Class<?> net = floatClass(Path.of("examples/two_layer_net.nn"));
    int b = 4;
    Object model = net.getConstructor(int.class).newInstance(b);
    float[] b2 = (float[]) net.getField("b2").get(model);
    for (int j = 0; j < 10; j++) b2[j] = j % 2 == 0 ? logit : -logit;
    float[] x = new float[b * 784];
    float[] t = new float[b * 10];
    for (int r = 0; r < b; r++) t[r * 10 + 1 + 2 * (r % 4)] = 1;
    float loss = (float) net.getMethod("forward", float[].class, float[].class).invoke(model, x, t);
    net.getMethod("backward").invoke(model);
    assertTrue(Float.isFinite(loss), "loss " + loss);
    for (String g : new String[] {"dW1", "db1", "dW2", "db2"}) {
      for (float v : (float[]) net.getField(g).get(model)) assertTrue(Float.isFinite(v), g + " = " + v);
    }

    // log Σ exp and log(1 + exp) spelled out, rewritten into stable forms before differentiation
    String text = "model Stable {\n  input x[4], y\n  param w[4]\n  z = wᵀx\n"
        + "  L = log(sum(exp(x * w))) + log(1 + exp(z)) − y·z\n}\n";
    Result r = Compiler.compile(Source.of("stable.nn", text), Compiler.Options.defaults().withPrecision(Precision.FLOAT32));
    assertTrue(!r.hasErrors(), r.diagnostics().toString());
    Class<?> c = load(r);
    Object s = c.getConstructor().newInstance();
    float[] w = (float[]) c.getField("w").get(s);
    java.util.Arrays.fill(w, logit);
    for (float sign : new float[] {1, -1}) {
      float l = (float) c.getMethod("forward", float[].class, float.class).invoke(s, new float[] {sign, sign, 0, 1}, 1f);
      c.getMethod("backward").invoke(s);
      assertTrue(Float.isFinite(l), "stable loss at " + sign * logit + ": " + l);
      for (float v : (float[]) c.getField("dw").get(s)) assertTrue(Float.isFinite(v), "dw = " + v);
    }
  }

  @Test
  void npzIsFloat32OutAndFloat64InRounded() throws Exception {
    Class<?> c = load(compile(Path.of("examples/logistic_regression.nn"), Precision.FLOAT32));
    Object m = c.getConstructor(int.class).newInstance(3);
    float[] w = (float[]) c.getField("w").get(m);
    w[0] = 0.1f;
    w[1] = -2.5f;
    w[2] = 1e-3f;
    c.getField("b").setFloat(m, 7.25f);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    c.getMethod("saveNpz", java.io.OutputStream.class).invoke(m, out);
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) entries.put(e.getName(), zip.readAllBytes());
    }
    byte[] npy = entries.get("w.npy");
    String header = new String(npy, 10, npy[8] & 0xff, StandardCharsets.ISO_8859_1);
    assertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (3,)"), header);
    ByteBuffer data = ByteBuffer.wrap(npy, 10 + (npy[8] & 0xff), 12).order(ByteOrder.LITTLE_ENDIAN);
    assertArrayEquals(new float[] {0.1f, -2.5f, 1e-3f}, new float[] {data.getFloat(), data.getFloat(), data.getFloat()});

    // A float64 file (as numpy.savez writes by default) loads, each value rounded to the nearest float.
    Object fresh = c.getConstructor(int.class).newInstance(3);
    c.getMethod("loadNpz", java.io.InputStream.class).invoke(fresh,
        new ByteArrayInputStream(npz(Map.of("w", new double[] {0.1, 1.0 / 3, -1e-40}, "b", new double[] {2.0}),
            new int[][] {{3}, {}})));
    assertArrayEquals(new float[] {0.1f, 1.0f / 3, (float) -1e-40}, (float[]) c.getField("w").get(fresh));
    assertEquals(2.0f, c.getField("b").getFloat(fresh));

    // The float file the class wrote reads back bit for bit.
    c.getMethod("loadNpz", java.io.InputStream.class).invoke(fresh, new ByteArrayInputStream(out.toByteArray()));
    assertArrayEquals(w, (float[]) c.getField("w").get(fresh));
    // and a wrong shape is still refused by name
    InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> c.getMethod("loadNpz",
        java.io.InputStream.class).invoke(fresh, new ByteArrayInputStream(npz(Map.of("w", new double[] {1, 2},
            "b", new double[] {2.0}), new int[][] {{2}, {}}))));
    assertTrue(e.getCause() instanceof IOException && e.getCause().getMessage().contains("param 'w'"),
        String.valueOf(e.getCause()));
  }

  /** A float64 .npz with entries w then b (shapes given), as numpy.savez writes it. */
  static byte[] npz(Map<String, double[]> arrays, int[][] shapes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
      int k = 0;
      for (String name : new String[] {"w", "b"}) {
        double[] v = arrays.get(name);
        int[] shape = shapes[k++];
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ", ").append(shape[i]);
        s.append(shape.length == 1 ? ",)" : ")");
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': " + s + ", }";
        StringBuilder h = new StringBuilder(header);
        while ((10 + h.length() + 1) % 64 != 0) h.append(' ');
        h.append('\n');
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + 8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.putShort((short) h.length()).put(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        for (double d : v) b.putDouble(d);
        zip.putNextEntry(new ZipEntry(name + ".npy"));
        zip.write(b.array());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /**
   * The float class's optimisers (state in float) follow torch.optim's float64 trajectories of OptimizersTest: after
   * 20 steps from the recorded params (rounded to float) every param is within {@value #OPTIMISER_TOLERANCE} of the
   * recorded value, relative to max(|value|, 0.01).
   */
  @ParameterizedTest
  @ValueSource(strings = {"sgd", "momentum", "nesterov", "dampened", "adam", "adam_decay", "adamw", "adamw_decay"})
  void optimisersFollowTorchsFloat64TrajectoriesToFloatPrecision(String optimiser) throws Exception {
    Path dir = Path.of("src/test/resources/realuse");
    Class<?> net = floatClass(dir.resolve("small_net.nn"));
    Map<String, double[]> recorded = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("torch_trajectories.txt"))) {
      if (line.startsWith("#")) continue;
      String[] parts = line.split(" ");
      double[] v = new double[parts.length - 1];
      for (int k = 1; k < parts.length; k++) v[k - 1] = Double.parseDouble(parts[k]);
      recorded.put(parts[0], v);
    }
    Object m = net.getConstructor(int.class).newInstance(4);
    net.getMethod("loadNpz", Path.class).invoke(m, dir.resolve("small_net_f8.npz"));
    float[] x = floats(recorded.get("X"));
    float[] t = floats(recorded.get("T"));
    Method forward = net.getMethod("forward", float[].class, float[].class);
    for (int s = 0; s < 20; s++) {
      forward.invoke(m, x, t);
      net.getMethod("backward").invoke(m);
      switch (optimiser) {
        case "sgd" -> net.getMethod("step", double.class).invoke(m, 0.5);
        case "momentum" -> net.getMethod("stepMomentum", double.class, double.class).invoke(m, 0.1, 0.9);
        case "nesterov" -> net.getMethod("stepMomentum", double.class, double.class, double.class, double.class,
            boolean.class).invoke(m, 0.1, 0.9, 0.0, 0.01, true);
        case "dampened" -> net.getMethod("stepMomentum", double.class, double.class, double.class, double.class,
            boolean.class).invoke(m, 0.1, 0.8, 0.3, 0.0, false);
        case "adam" -> net.getMethod("stepAdam", double.class).invoke(m, 0.01);
        case "adam_decay" -> net.getMethod("stepAdam", double.class, double.class, double.class, double.class,
            double.class).invoke(m, 0.02, 0.8, 0.99, 1e-6, 0.1);
        case "adamw" -> net.getMethod("stepAdamW", double.class).invoke(m, 0.01);
        case "adamw_decay" -> net.getMethod("stepAdamW", double.class, double.class, double.class, double.class,
            double.class).invoke(m, 0.02, 0.85, 0.995, 1e-7, 0.3);
        default -> throw new IllegalArgumentException(optimiser);
      }
    }
    double[] expected = recorded.get("params:" + optimiser);
    float[] actual = new float[expected.length];
    net.getMethod("paramsTo", float[].class).invoke(m, (Object) actual);
    double worst = 0;
    for (int k = 0; k < expected.length; k++) {
      double rel = Math.abs(expected[k] - actual[k]) / Math.max(0.01, Math.abs(expected[k]));
      assertTrue(rel <= OPTIMISER_TOLERANCE, optimiser + " param " + k + ": torch float64 " + expected[k]
          + ", float32 class " + actual[k]);
      worst = Math.max(worst, rel);
    }
    System.out.printf("float32 %s after 20 steps: worst relative difference from torch float64 %.2e%n", optimiser, worst);
  }

  static final double OPTIMISER_TOLERANCE = 5e-5;

  @Test
  void flatViewsOptimisersAndNoAllocation() throws Throwable {
    Class<?> net = floatClass(Path.of("examples/two_layer_net.nn"));
    Object model = net.getConstructor(int.class).newInstance(8);
    net.getMethod("initialize", long.class).invoke(model, 3L);
    int n = (int) net.getMethod("paramCount").invoke(model);
    assertEquals(784 * 50 + 50 + 50 * 10 + 10, n);
    float[] x = new float[8 * 784];
    float[] t = new float[8 * 10];
    Random rnd = new Random(1);
    for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat();
    for (int r = 0; r < 8; r++) t[r * 10 + r % 10] = 1;
    Method forward = net.getMethod("forward", float[].class, float[].class);
    Method backward = net.getMethod("backward");
    forward.invoke(model, x, t);
    backward.invoke(model);
    float[] g = new float[n];
    net.getMethod("gradientsTo", float[].class).invoke(model, g);
    float[] sum = new float[n];
    net.getMethod("addGradientsTo", float[].class, double.class).invoke(model, sum, 0.5);
    for (int k = 0; k < n; k++) assertEquals(0.5f * g[k], sum[k], 0f);
    float[] before = new float[n];
    net.getMethod("paramsTo", float[].class).invoke(model, before);
    net.getMethod("step", double.class).invoke(model, 0.5);
    float[] after = new float[n];
    net.getMethod("paramsTo", float[].class).invoke(model, after);
    for (int k = 0; k < n; k++) assertEquals((float) (before[k] - 0.5 * g[k]), after[k], 0f, "step element " + k);

    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    Method adam = net.getMethod("stepAdam", double.class);
    adam.invoke(model, 1e-3); // allocates Adam's state once
    java.lang.invoke.MethodHandles.Lookup lookup = java.lang.invoke.MethodHandles.publicLookup();
    java.lang.invoke.MethodHandle f = lookup.unreflect(forward).asType(java.lang.invoke.MethodType.methodType(
        float.class, Object.class, float[].class, float[].class));
    java.lang.invoke.MethodHandle bw = lookup.unreflect(backward).asType(java.lang.invoke.MethodType.methodType(
        void.class, Object.class));
    java.lang.invoke.MethodHandle st = lookup.unreflect(adam).asType(java.lang.invoke.MethodType.methodType(
        void.class, Object.class, double.class));
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long start = threads.getThreadAllocatedBytes(id);
      for (int k = 0; k < 100; k++) {
        float l = (float) f.invokeExact(model, x, t);
        bw.invokeExact(model);
        st.invokeExact(model, 1e-3 + 0 * l);
      }
      least = Math.min(least, threads.getThreadAllocatedBytes(id) - start);
    }
    assertTrue(least < 4096, "100 float training steps allocated " + least + " bytes");
  }
}
