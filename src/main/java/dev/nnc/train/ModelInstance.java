package dev.nnc.train;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * One object of a generated model class, driven through the class's public contract (LANGUAGE.md §8) by
 * reflection: the trainer is compiled before the model it runs, so it cannot name the class. The calls made once
 * per training step go through method handles bound to the object, whose cost is negligible next to a step.
 * A class generated with {@code --precision float32} is driven the same way: inputs are handed over as doubles and
 * copied into float buffers (kept per input, so a training step allocates nothing), values read back as doubles.
 */
public final class ModelInstance {
  private final ModelSpec spec;
  private final Object model;
  private final int[] dims;
  private final MethodHandle forward;
  private final MethodHandle backward;
  private MethodHandle step;
  /** Whether the class is over float (generated with --precision float32). */
  private final boolean floats;
  /** Per input of a float class: the float buffer its double values are copied into (reused while the length fits). */
  private final float[][] floatInputs;
  private final Object[] floatArgs;
  /**
   * For a class whose {@code forward} takes its inputs in one holder object (128 or more scalar inputs, which a method
   * cannot take as parameters: codegen.WideInputs): the holder, and one setter per input, in forward's order; else null.
   */
  private final Object holder;
  private final Field[] holderFields;

  private ModelInstance(ModelSpec spec, Object model, int[] dims) {
    this.spec = spec;
    this.model = model;
    this.dims = dims.clone();
    Class<?> c = model.getClass();
    floats = isFloat(c);
    Class<?>[] types = new Class<?>[spec.inputs().size()];
    for (int i = 0; i < types.length; i++) {
      boolean scalar = spec.inputs().get(i).rank() == 0;
      types[i] = floats ? (scalar ? float.class : float[].class) : (scalar ? double.class : double[].class);
    }
    floatInputs = new float[types.length][];
    floatArgs = new Object[types.length];
    Class<?> holderType = holderType(c);
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      if (holderType != null) {
        holder = holderType.getConstructor().newInstance();
        // Fields, not method handles: a call through each of 784 different setter handles is not inlined and costs
        // about a microsecond, a reflective field write (its access check skipped) a few nanoseconds.
        holderFields = new Field[types.length];
        for (int i = 0; i < types.length; i++) {
          holderFields[i] = holderType.getField(spec.inputs().get(i).field());
          holderFields[i].setAccessible(true); // public already: this only skips the access check on every write
        }
        forward = lookup.findVirtual(c, "forward", MethodType.methodType(floats ? float.class : double.class,
            holderType)).bindTo(model).bindTo(holder);
      } else {
        holder = null;
        holderFields = null;
        forward = lookup.findVirtual(c, "forward", MethodType.methodType(floats ? float.class : double.class, types))
            .bindTo(model).asSpreader(Object[].class, types.length);
      }
      backward = lookup.findVirtual(c, "backward", MethodType.methodType(void.class)).bindTo(model);
      step = lookup.findVirtual(c, "step", MethodType.methodType(void.class, double.class)).bindTo(model);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(c.getName() + " does not follow the generated-class contract: " + e, e);
    }
  }

  /** The type of forward's one parameter when it is a holder of the inputs (not an array), else null. */
  private static Class<?> holderType(Class<?> c) {
    for (Method m : c.getMethods()) {
      if (!m.getName().equals("forward") || m.getParameterCount() != 1) continue;
      Class<?> p = m.getParameterTypes()[0];
      if (!p.isArray() && !p.isPrimitive()) return p;
    }
    return null;
  }

  /** Constructs {@code new Model(dims…)} and initialises it with {@code seed}. */
  public static ModelInstance create(ModelSpec spec, Class<?> modelClass, int[] dims, long seed) {
    try {
      Class<?>[] ints = new Class<?>[dims.length];
      Arrays.fill(ints, int.class);
      Constructor<?> ctor = modelClass.getConstructor(ints);
      Object[] args = new Object[dims.length];
      for (int i = 0; i < dims.length; i++) args[i] = dims[i];
      Object model = ctor.newInstance(args);
      Method init = modelClass.getMethod("initialize", long.class);
      init.invoke(model, seed);
      return new ModelInstance(spec, model, dims);
    } catch (InvocationTargetException e) {
      throw rethrow(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(modelClass.getName() + " does not follow the generated-class contract: " + e, e);
    }
  }

  public ModelSpec spec() {
    return spec;
  }

  /** The constructor's arguments (the free dims' sizes). */
  public int[] dims() {
    return dims.clone();
  }

  public Object model() {
    return model;
  }

  /** Whether a generated class is over float ({@code --precision float32}): its {@code forward} returns a float. */
  static boolean isFloat(Class<?> c) {
    for (Method m : c.getMethods()) {
      if (m.getName().equals("forward")) return m.getReturnType() == float.class;
    }
    return false;
  }

  /** Runs forward with the inputs in declaration order (doubles, or double[]); returns the loss. */
  public double forward(Object... inputs) {
    try {
      Object[] args = inputs;
      if (floats) {
        for (int i = 0; i < inputs.length; i++) floatArgs[i] = toFloat(i, inputs[i]);
        args = floatArgs;
      }
      if (holder != null) {
        for (int i = 0; i < args.length; i++) {
          Object a = args[i];
          if (a instanceof Double d) holderFields[i].setDouble(holder, d);
          else if (a instanceof Float f) holderFields[i].setFloat(holder, f);
          else holderFields[i].set(holder, a);
        }
        return (double) forward.invoke();
      }
      return (double) forward.invoke(args);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Input i's value for a float class: a double as a float, a double[] copied into the input's float buffer. */
  private Object toFloat(int i, Object value) {
    if (value instanceof Double d) return (float) d.doubleValue();
    double[] v = (double[]) value;
    float[] f = floatInputs[i];
    if (f == null || f.length != v.length) f = floatInputs[i] = new float[v.length];
    for (int k = 0; k < v.length; k++) f[k] = (float) v[k];
    return f;
  }

  public void backward() {
    try {
      backward.invoke();
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public void step(double learningRate) {
    try {
      step.invoke(learningRate);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * A zeroed flat gradient of this class ({@code double[]}, or {@code float[]} for a float class) for {@link
   * #addGradientsTo} and {@link #gradientsFrom}: the generated flat views (LANGUAGE.md §8, docs/codegen.md).
   */
  public Object flatGradients() {
    int n = (int) invoke(handle("paramCount", MethodType.methodType(int.class)));
    return floats ? new float[n] : new double[n];
  }

  /** {@code sum += weight · gradients}, through the generated {@code addGradientsTo}. */
  public void addGradientsTo(Object sum, double weight) {
    if (addGradientsTo == null) {
      addGradientsTo = handle("addGradientsTo", MethodType.methodType(void.class, sum.getClass(), double.class));
    }
    invoke(addGradientsTo, sum, weight);
  }

  /** Sets every gradient from {@code flat} (what {@link #step} then applies), through {@code gradientsFrom}. */
  public void gradientsFrom(Object flat) {
    if (gradientsFrom == null) gradientsFrom = handle("gradientsFrom", MethodType.methodType(void.class, flat.getClass()));
    invoke(gradientsFrom, flat);
  }

  private MethodHandle addGradientsTo;
  private MethodHandle gradientsFrom;

  private MethodHandle handle(String method, MethodType type) {
    try {
      return MethodHandles.publicLookup().findVirtual(model.getClass(), method, type).bindTo(model);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(model.getClass().getName() + " has no " + method + type + ": " + e, e);
    }
  }

  private static Object invoke(MethodHandle h, Object... args) {
    try {
      return h.invokeWithArguments(args);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** The value of a scalar output (its public {@code double} or {@code float} field). */
  public double scalar(ModelSpec.Tensor tensor) {
    try {
      return field(tensor.field()).getDouble(model);
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      throw new IllegalStateException(model.getClass().getName() + " has no public scalar field " + tensor.field()
          + " for " + tensor.name(), e);
    }
  }

  /** The optimisers {@link #useOptimizer} accepts, as {@code nnc train --optimizer} names them. */
  public static final java.util.List<String> OPTIMIZERS = java.util.List.of("sgd", "momentum", "adam", "adamw");

  /**
   * Makes {@link #step} call the generated class's optimiser: {@code sgd} → {@code step(lr)}, {@code momentum} →
   * {@code stepMomentum(lr, 0.9)}, {@code adam} → {@code stepAdam(lr)}, {@code adamw} → {@code stepAdamW(lr)}
   * (PyTorch's defaults for the other hyperparameters).
   */
  public void useOptimizer(String name) {
    Class<?> c = model.getClass();
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    MethodType one = MethodType.methodType(void.class, double.class);
    try {
      step = switch (name) {
        case "sgd" -> lookup.findVirtual(c, "step", one).bindTo(model);
        case "momentum" -> MethodHandles.insertArguments(lookup.findVirtual(c, "stepMomentum",
            MethodType.methodType(void.class, double.class, double.class)).bindTo(model), 1, 0.9);
        case "adam" -> lookup.findVirtual(c, "stepAdam", one).bindTo(model);
        case "adamw" -> lookup.findVirtual(c, "stepAdamW", one).bindTo(model);
        default -> throw new IllegalArgumentException("no optimiser " + name + "; one of " + OPTIMIZERS);
      };
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(c.getName() + " has no " + name + " step: " + e, e);
    }
  }

  /**
   * Computes the outputs for rows of features: the generated {@code predict(features)} when the outputs depend on the
   * features alone, else {@code forward} with zero targets of {@code targetLength} (the loss is then meaningless).
   */
  public void predict(Binding binding, double[] features, int targetLength) {
    Method predict;
    try {
      predict = model.getClass().getMethod("predict", floats ? float[].class : double[].class);
    } catch (NoSuchMethodException e) {
      forward(binding.forwardArgs(features, new double[targetLength]));
      return;
    }
    try {
      predict.invoke(model, floats ? toFloat(0, features) : features);
    } catch (InvocationTargetException e) {
      throw rethrow(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes every param to a NumPy .npz file through the generated {@code saveNpz(Path)}. */
  public void saveNpz(java.nio.file.Path file) throws java.io.IOException {
    call("saveNpz", file);
  }

  /** Sets every param from a NumPy .npz file through the generated {@code loadNpz(Path)}. */
  public void loadNpz(java.nio.file.Path file) throws java.io.IOException {
    call("loadNpz", file);
  }

  private void call(String method, java.nio.file.Path file) throws java.io.IOException {
    try {
      model.getClass().getMethod(method, java.nio.file.Path.class).invoke(model, file);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof java.io.IOException io) throw io;
      throw rethrow(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(model.getClass().getName() + " has no " + method + "(Path): " + e, e);
    }
  }

  /**
   * The tensor's public {@code double[]} field (a tensor param or kept value), by reference; for a float class, a copy
   * of its {@code float[]} as doubles.
   */
  public double[] tensor(ModelSpec.Tensor tensor) {
    try {
      Field f = field(tensor.field());
      if (floats) {
        float[] v = (float[]) f.get(model);
        double[] d = new double[v.length];
        for (int k = 0; k < v.length; k++) d[k] = v[k];
        return d;
      }
      return (double[]) f.get(model);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(model.getClass().getName() + " has no public double[] field " + tensor.field()
          + " for " + tensor.name(), e);
    }
  }

  private final java.util.Map<String, Field> fields = new java.util.HashMap<>();

  /** The public field by name, looked up once (read per example when a model takes one example per forward). */
  private Field field(String name) throws NoSuchFieldException {
    Field f = fields.get(name);
    if (f == null) fields.put(name, f = model.getClass().getField(name));
    return f;
  }

  /** Copies every param's value from {@code other} (same class; params do not depend on the free dims here). */
  public void copyParamsFrom(ModelInstance other) {
    try {
      for (ModelSpec.Tensor p : spec.params()) {
        Field f = model.getClass().getField(p.field());
        if (f.getType() == double.class) {
          f.setDouble(model, f.getDouble(other.model));
        } else if (f.getType() == float.class) {
          f.setFloat(model, f.getFloat(other.model));
        } else if (f.getType() == float[].class) {
          float[] src = (float[]) f.get(other.model);
          System.arraycopy(src, 0, (float[]) f.get(model), 0, src.length);
        } else {
          double[] src = (double[]) f.get(other.model);
          double[] dst = (double[]) f.get(model);
          if (src.length != dst.length) {
            throw new IllegalStateException("param " + p.name() + " has " + src.length + " values in one instance and "
                + dst.length + " in the other");
          }
          System.arraycopy(src, 0, dst, 0, src.length);
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(model.getClass().getName() + " lacks a public param field: " + e, e);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException re) return re;
    if (t instanceof Error err) throw err;
    return new IllegalStateException(t);
  }
}
