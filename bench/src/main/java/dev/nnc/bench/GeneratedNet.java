package dev.nnc.bench;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.codegen.Precision;
import dev.nnc.diag.Source;
import dev.nnc.train.InMemoryJavac;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The class nnc generates for a model (examples/two_layer_net.nn by default), compiled in memory at set-up exactly as
 * {@code nnc train} does, and driven through method handles (a few nanoseconds per call, next to a step of about a
 * millisecond). A float32 class ({@code --precision float32}) is driven through {@link #forward(float[], float[])};
 * its {@link Net} methods are not available.
 */
public final class GeneratedNet implements Net {
  private final Object model;
  private final MethodHandle forward;
  private final boolean float32;
  private final MethodHandle backward;
  private final MethodHandle step;

  public GeneratedNet(Path modelFile, int batch, long seed) {
    this(compile(modelFile), batch, seed);
  }

  /** The class nnc generates for a .nn file, compiled in memory. */
  public static Class<?> compile(Path modelFile) {
    return compile(modelFile, Precision.FLOAT64);
  }

  /** The class nnc generates for a .nn file with the given element type ({@code --precision}), compiled in memory. */
  public static Class<?> compile(Path modelFile, Precision precision) {
    try {
      Source source = Source.fromBytes(modelFile.toString(), Files.readAllBytes(modelFile));
      Result result = Compiler.compile(source, Compiler.Options.defaults().withPrecision(precision));
      if (result.hasErrors() || result.files().isEmpty()) {
        throw new IllegalStateException(modelFile + " did not compile: " + result.diagnostics());
      }
      return InMemoryJavac.compile(result.files()).loadClass(result.files().get(0).qualifiedName());
    } catch (IOException | ReflectiveOperationException | InMemoryJavac.CompileException e) {
      throw new IllegalStateException("cannot compile " + modelFile + ": " + e, e);
    }
  }

  /** A generated class (the model's constructor takes the batch size), initialised with the seed. */
  public GeneratedNet(Class<?> c, int batch, long seed) {
    try {
      model = c.getConstructor(int.class).newInstance(batch);
      c.getMethod("initialize", long.class).invoke(model, seed);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      float32 = hasFloatForward(c);
      forward = float32
          ? lookup.findVirtual(c, "forward", MethodType.methodType(float.class, float[].class, float[].class)).bindTo(model)
          : lookup.findVirtual(c, "forward", MethodType.methodType(double.class, double[].class, double[].class))
              .bindTo(model);
      backward = lookup.findVirtual(c, "backward", MethodType.methodType(void.class)).bindTo(model);
      step = lookup.findVirtual(c, "step", MethodType.methodType(void.class, double.class)).bindTo(model);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot instantiate " + c.getName() + ": " + e, e);
    }
  }

  private static boolean hasFloatForward(Class<?> c) {
    try {
      c.getMethod("forward", float[].class, float[].class);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  public Object model() {
    return model;
  }

  /** Whether the class computes in float ({@code --precision float32}). */
  public boolean float32() {
    return float32;
  }

  /** The forward pass of a float32 class on a batch. */
  public float forward(float[] x, float[] t) {
    try {
      return (float) forward.invokeExact(x, t);
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public double forward(double[] x, double[] t) {
    try {
      return (double) forward.invokeExact(x, t);
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void backward() {
    try {
      backward.invokeExact();
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void step(double learningRate) {
    try {
      step.invokeExact(learningRate);
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public double[] param(String name) {
    return field(name);
  }

  @Override
  public double[] grad(String name) {
    return field("d" + name);
  }

  private double[] field(String name) {
    try {
      return (double[]) model.getClass().getField(name).get(model);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
