package dev.nnc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Compiles a {@code .nn} model while javac compiles the annotated class: the nnc annotation processor
 * ({@link dev.nnc.processor.NnProcessor}) writes one generated class per model into the annotated element's
 * package. Give exactly one of {@link #value()} (a file) or {@link #source()} (the model inline):
 *
 * <pre>{@code
 * @NnModel("logistic_regression.nn")   // next to this class in the source path, or the class path, or -Annc.modelPath
 * final class Models {}
 *
 * @NnModel(source = """
 *     model Neuron { input x, y; param w, b; z = w x + b; a = σ z; L = −(y ln a + (1 − y) ln(1 − a)) }
 *     """)
 * final class Inline {}
 *
 * @NnModel(value = "two_layer_net.nn", precision = "float32")   // float[] params, buffers and methods
 * final class Small {}
 * }</pre>
 *
 * <p>Retention is SOURCE: nothing of nnc is needed when the program runs.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target({ElementType.TYPE, ElementType.PACKAGE})
public @interface NnModel {
  /**
   * A {@code .nn} file, relative to the annotated element's package folder ({@code "model.nn"} is
   * {@code com/example/model.nn} for a class in {@code com.example}); a leading {@code /} makes it relative to the
   * root instead ({@code "/models/model.nn"}). Looked up in the source path, beside the annotated source file, in
   * the class path (which holds {@code src/main/resources} in a Maven build), then in each folder of the
   * {@code nnc.modelPath} processor option.
   */
  String value() default "";

  /** The model text itself, usually a text block. */
  String source() default "";

  /**
   * The element type of the generated classes: {@code "float64"} ({@code double[]}, the default) or
   * {@code "float32"} ({@code float[]}); {@code "double"} and {@code "float"} are accepted too. Anything else is
   * error E0915.
   */
  String precision() default "float64";

  /**
   * How much public API the generated classes carry: {@code "full"} (the default) or {@code "core"} (constructor,
   * {@code initialize}, {@code forward}, {@code predict}, {@code backward}, {@code step}; no flat views, optimisers
   * or {@code .npz} methods). Anything else is error E0917.
   */
  String api() default "full";
}
