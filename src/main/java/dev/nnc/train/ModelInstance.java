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
  private final MethodHandle step;

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
