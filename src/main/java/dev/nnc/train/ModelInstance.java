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
 */
public final class ModelInstance {
  private final ModelSpec spec;
  private final Object model;
  private final int[] dims;
  private final MethodHandle forward;
  private final MethodHandle backward;
  private MethodHandle step;

  private ModelInstance(ModelSpec spec, Object model, int[] dims) {
    this.spec = spec;
    this.model = model;
    this.dims = dims.clone();
    Class<?> c = model.getClass();
    Class<?>[] types = new Class<?>[spec.inputs().size()];
    for (int i = 0; i < types.length; i++) types[i] = spec.inputs().get(i).rank() == 0 ? double.class : double[].class;
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      forward = lookup.findVirtual(c, "forward", MethodType.methodType(double.class, types))
          .bindTo(model).asSpreader(Object[].class, types.length);
      backward = lookup.findVirtual(c, "backward", MethodType.methodType(void.class)).bindTo(model);
      step = lookup.findVirtual(c, "step", MethodType.methodType(void.class, double.class)).bindTo(model);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(c.getName() + " does not follow the generated-class contract: " + e, e);
    }
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

  /** Runs forward with the inputs in declaration order; returns the loss. */
  public double forward(Object... inputs) {
    try {
      return (double) forward.invoke(inputs);
    } catch (Throwable t) {
      throw rethrow(t);
    }
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
      predict = model.getClass().getMethod("predict", double[].class);
    } catch (NoSuchMethodException e) {
      forward(binding.forwardArgs(features, new double[targetLength]));
      return;
    }
    try {
      predict.invoke(model, (Object) features);
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

  /** The tensor's public {@code double[]} field (a tensor param or kept value), by reference. */
  public double[] tensor(ModelSpec.Tensor tensor) {
    try {
      Field f = model.getClass().getField(tensor.field());
      return (double[]) f.get(model);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(model.getClass().getName() + " has no public double[] field " + tensor.field()
          + " for " + tensor.name(), e);
    }
  }

  /** Copies every param's value from {@code other} (same class; params do not depend on the free dims here). */
  public void copyParamsFrom(ModelInstance other) {
    try {
      for (ModelSpec.Tensor p : spec.params()) {
        Field f = model.getClass().getField(p.field());
        if (f.getType() == double.class) {
          f.setDouble(model, f.getDouble(other.model));
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
