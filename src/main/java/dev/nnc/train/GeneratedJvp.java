package dev.nnc.train;

import dev.nnc.codegen.Api;
import dev.nnc.codegen.GeneratedFile;
import dev.nnc.codegen.JavaGenerator;
import dev.nnc.codegen.Precision;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.NameTable;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The generated class's own forward mode at a given point: generates the model's class (float64, full API), compiles
 * it in memory, sets its params, runs {@code forward} on the inputs, sets the direction fields and returns what
 * {@code jvp()} returns — the change of the loss along the direction. {@code nnc gradcheck} sets it beside the
 * interpreter's forward and reverse modes and the central difference, so the generated code is checked too.
 */
public final class GeneratedJvp {
  /** The generated class could not be run here (the message says why); {@code isFailure} when that is a bug. */
  public static final class Unavailable extends Exception {
    private final boolean failure;

    Unavailable(String message, boolean failure) {
      super(message);
      this.failure = failure;
    }

    /** The class did not compile or did not run (a bug), rather than a case this runner does not drive. */
    public boolean isFailure() {
      return failure;
    }
  }

  private GeneratedJvp() {}

  /**
   * @param dims the free dims' sizes by name
   * @param values every input and param by name, flat row-major
   * @param direction the direction of the params by name (params missing here and every input: 0)
   */
  public static double along(DiffModel dm, Map<String, Integer> dims, Map<String, double[]> values,
      Map<String, double[]> direction) throws Unavailable {
    ModelIR m = dm.model();
    NameTable names = m.names();
    GeneratedFile file = JavaGenerator.generate(dm, "", Precision.FLOAT64, Api.FULL);
    try {
      Class<?> c = InMemoryJavac.compile(List.of(file)).loadClass(file.qualifiedName());
      List<Integer> sizes = new ArrayList<>();
      for (String d : ModelSpec.of(m).freeDims()) sizes.add(dims.get(d));
      Class<?>[] ints = new Class<?>[sizes.size()];
      java.util.Arrays.fill(ints, int.class);
      Object model = c.getConstructor(ints).newInstance(sizes.toArray());
      for (ModelIR.Leaf p : m.params()) set(c, model, names.of(p).java(), values.get(p.name()));
      Method forward = null;
      for (Method f : c.getMethods()) {
        if (f.getName().equals("forward") && f.getParameterCount() == m.inputs().size()) forward = f;
      }
      if (forward == null) throw new Unavailable("its forward takes the inputs in a holder (Inputs)", false);
      Object[] args = new Object[m.inputs().size()];
      for (int i = 0; i < args.length; i++) {
        ModelIR.Leaf in = m.inputs().get(i);
        double[] v = values.get(in.name());
        args[i] = in.var().shape().isScalar() ? (Object) v[0] : v.clone();
      }
      forward.invoke(model, args);
      for (ModelIR.Leaf p : m.params()) {
        double[] v = direction.get(p.name());
        if (v != null) set(c, model, names.of(p).tangentJava(), v);
      }
      Method jvp;
      try {
        jvp = c.getMethod("jvp");
      } catch (NoSuchMethodException e) {
        throw new Unavailable("the class has no jvp (forward mode has no rule for a node of this model)", false);
      }
      return (double) jvp.invoke(model);
    } catch (InMemoryJavac.CompileException e) {
      throw new Unavailable(e.getMessage(), true);
    } catch (InvocationTargetException e) {
      throw new Unavailable("it threw " + e.getCause(), true);
    } catch (ReflectiveOperationException e) {
      throw new Unavailable("it does not follow the generated-class contract: " + e, true);
    }
  }

  private static void set(Class<?> c, Object model, String field, double[] v) throws ReflectiveOperationException {
    Field f = c.getField(field);
    if (f.getType() == double.class) {
      f.setDouble(model, v[0]);
    } else {
      double[] target = (double[]) f.get(model);
      System.arraycopy(v, 0, target, 0, Math.min(v.length, target.length));
    }
  }
}
