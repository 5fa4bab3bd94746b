package dev.nnc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Shape;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The JVM allows 255 parameter slots per method, {@code this} included, and a {@code double} takes two: a model with
 * 128 or more scalar inputs (a 256-feature logistic regression written with scalars) cannot have one parameter per
 * input. Past that limit {@code forward} and {@code predict} take one generated holder, a {@code public static final}
 * nested class whose public fields are the inputs, named and typed as the parameters would be.
 */
final class WideInputs {
  /** The JVM's limit on a method's parameter slots, {@code this} included (JVMS §4.3.3). */
  static final int MAX_SLOTS = 255;

  /** The holder's class name, or null when every method can take its inputs as parameters. */
  final String type;
  /** The holder parameter's name (unused when {@link #type} is null). */
  final String param;

  private final Plan p;

  WideInputs(Plan p) {
    this.p = p;
    if (needsHolder(p.model.inputs())) {
      type = p.names.fresh("Inputs");
      param = p.names.fresh("inputs");
    } else {
      type = null;
      param = null;
    }
  }

  /** True when an instance method taking {@code inputs} as parameters would exceed {@link #MAX_SLOTS}. */
  static boolean needsHolder(List<ModelIR.Leaf> inputs) {
    int slots = 1; // this
    for (ModelIR.Leaf l : inputs) slots += l.var().shape().isScalar() ? 2 : 1;
    return slots > MAX_SLOTS;
  }

  /** True when a method taking {@code inputs} gets the holder instead of one parameter per input. */
  boolean holds(List<ModelIR.Leaf> inputs) {
    return type != null && needsHolder(inputs);
  }

  /** What an argument's name is prefixed with in the method body: {@code "inputs."} or nothing. */
  String from(List<ModelIR.Leaf> inputs) {
    return holds(inputs) ? param + "." : "";
  }

  /** Adds the holder parameter (and its Javadoc line) when {@code inputs} need it; returns whether it did. */
  boolean addParameter(MethodSpec.Builder method, StringBuilder doc, List<ModelIR.Leaf> inputs) {
    if (!holds(inputs)) return false;
    method.addParameter(ClassName.get("", type), param);
    doc.append("@param ").append(param).append(" the inputs, one field each (see {@link ").append(type).append("})\n");
    return true;
  }

  /** The holder class: one public field per input of the model. */
  TypeSpec holderType() {
    TypeSpec.Builder t = TypeSpec.classBuilder(type).addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L", "The inputs of {@link #forward}, in one object: this model has more scalar inputs than a "
            + "Java method can\ntake as parameters (255 slots, two per double). Set every field before calling.\n");
    for (ModelIR.Leaf l : p.model.inputs()) {
      Shape s = l.var().shape();
      // the class's element type: a float class's holder has float fields (double ones made its Java fail to compile)
      t.addField(FieldSpec.builder(s.isScalar() ? p.precision.type() : p.precision.array(), p.javaName(l.name()),
              Modifier.PUBLIC)
          .addJavadoc("$L", JavaText.javadocLine("Input " + l.spelling() + (s.isScalar() ? "" : s + ", flat row-major"))
              + ".\n")
          .build());
    }
    return t.build();
  }
}
