package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import dev.nnc.diff.DiffModel;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: a model with 128 or more scalar inputs (a 256-feature logistic regression written with scalars) used to
 * produce a forward method javac rejects ("too many parameters": 255 slots, two per double). Past the limit the
 * inputs travel in a generated holder, {@code forward(Inputs)}; below it, forward keeps one parameter per input.
 */
class WideModelsTest {
  /** z = w1 x1 + … + wn xn + b, a = σ(z), binary cross-entropy with target y: n + 1 scalar inputs. */
  private static String logistic(int n) {
    StringBuilder s = new StringBuilder("input y");
    for (int i = 1; i <= n; i++) s.append(", x").append(i);
    s.append("\nparam b");
    for (int i = 1; i <= n; i++) s.append(", w").append(i);
    s.append("\nz = b");
    for (int i = 1; i <= n; i++) s.append(" + w").append(i).append(" x").append(i);
    return s.append("\na = σ(z)\nL = −(y log a + (1 − y) log(1 − a))\n").toString();
  }

  private static Map<String, double[]> values(ModelIR m, long seed) {
    Random r = new Random(seed);
    Map<String, double[]> v = new HashMap<>();
    for (ModelIR.Leaf l : m.inputs()) v.put(l.name(), new double[] {r.nextDouble()});
    for (ModelIR.Leaf l : m.params()) v.put(l.name(), new double[] {r.nextDouble() - 0.5});
    return v;
  }

  @Test
  void twoHundredFiftySevenScalarInputsTravelInAHolder() throws Exception {
    Result result = Pipeline.compile("wide.nn", logistic(256), "");
    DiffModel dm = result.derivatives().get(0);
    ModelIR m = dm.model();
    assertTrue(result.files().get(0).content().contains("public double forward(Inputs inputs)"));
    Class<?> c = Javac.load(result.files().get(0)); // javac accepts it (it refused 257 double parameters)
    Class<?> holderType = Class.forName(c.getName() + "$Inputs", true, c.getClassLoader());
    Map<String, double[]> values = values(m, 7);
    Object model = c.getConstructor().newInstance();
    Object holder = holderType.getConstructor().newInstance();
    for (ModelIR.Leaf l : m.inputs()) holderType.getField(m.names().of(l).java()).setDouble(holder, values.get(l.name())[0]);
    for (ModelIR.Leaf l : m.params()) c.getField(m.names().of(l).java()).setDouble(model, values.get(l.name())[0]);
    Method forward = c.getMethod("forward", holderType);
    double loss = (double) forward.invoke(model, holder);
    Interpreter in = Interpreter.forModel(m, Map.of(), values);
    assertEquals(in.scalar(m.lossValue().node()), loss, 1e-12);
    c.getMethod("backward").invoke(model);
    for (ModelIR.Leaf l : m.params()) {
      Field g = c.getField(m.names().of(l).gradientJava());
      assertEquals(in.scalar(dm.adjoint(l.name()).value()), g.getDouble(model), 1e-12, l.name());
    }
  }

  @Test
  void predictTakesTheHolderToo() throws Exception {
    String text = logistic(200).replace("\nL =", "\noutput a\nL =");
    Result result = Pipeline.compile("widePredict.nn", text, "");
    ModelIR m = result.derivatives().get(0).model();
    assertTrue(result.files().get(0).content().contains("public void predict(Inputs inputs)"));
    Class<?> c = Javac.load(result.files().get(0));
    Class<?> holderType = Class.forName(c.getName() + "$Inputs", true, c.getClassLoader());
    Map<String, double[]> values = values(m, 11);
    Object model = c.getConstructor().newInstance();
    Object holder = holderType.getConstructor().newInstance();
    for (ModelIR.Leaf l : m.inputs()) holderType.getField(m.names().of(l).java()).setDouble(holder, values.get(l.name())[0]);
    for (ModelIR.Leaf l : m.params()) c.getField(m.names().of(l).java()).setDouble(model, values.get(l.name())[0]);
    c.getMethod("predict", holderType).invoke(model, holder);
    Interpreter in = Interpreter.forModel(m, Map.of(), values);
    ModelIR.Value a = m.values().stream().filter(v -> v.name().equals("a")).findFirst().orElseThrow();
    assertEquals(in.scalar(a.node()), c.getField(m.names().of(a).java()).getDouble(model), 1e-12);
  }

  /** A float32 class's holder has float fields: with double ones its Java did not compile ("possible lossy conversion"). */
  @Test
  void aFloatClassHoldsItsInputsAsFloats() throws Exception {
    Result result = dev.nnc.Compiler.compile(dev.nnc.diag.Source.of("wideFloat.nn", logistic(200)),
        dev.nnc.Compiler.Options.defaults().withPrecision(Precision.FLOAT32));
    assertTrue(!result.hasErrors(), result.diagnostics().toString());
    ModelIR m = result.derivatives().get(0).model();
    Class<?> c = Javac.load(result.files().get(0));
    Class<?> holderType = Class.forName(c.getName() + "$Inputs", true, c.getClassLoader());
    Map<String, double[]> values = values(m, 5);
    Object model = c.getConstructor().newInstance();
    Object holder = holderType.getConstructor().newInstance();
    for (ModelIR.Leaf l : m.inputs()) {
      Field f = holderType.getField(m.names().of(l).java());
      assertEquals(float.class, f.getType(), l.name());
      f.setFloat(holder, (float) values.get(l.name())[0]);
    }
    for (ModelIR.Leaf l : m.params()) c.getField(m.names().of(l).java()).setFloat(model, (float) values.get(l.name())[0]);
    float loss = (float) c.getMethod("forward", holderType).invoke(model, holder);
    assertEquals(Interpreter.forModel(m, Map.of(), values).scalar(m.lossValue().node()), loss, 1e-4);
  }

  @Test
  void oneHundredTwentySevenScalarInputsStayParameters() throws Exception {
    Result result = Pipeline.compile("narrow.nn", logistic(126), ""); // y and 126 features: 1 + 2·127 = 255 slots
    Class<?> c = Javac.load(result.files().get(0));
    Class<?>[] types = new Class<?>[127];
    java.util.Arrays.fill(types, double.class);
    assertEquals(double.class, c.getMethod("forward", types).getReturnType());
  }
}
