package dev.nnc.codegen;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import dev.nnc.ir.JavaIdentifiers;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The optimisers of the generated class besides plain {@code step}: SGD with momentum (optionally Nesterov, with
 * dampening and weight decay), Adam and AdamW, each the update of PyTorch's {@code torch.optim} single-tensor
 * implementation written out element by element, in the same order of operations, so that trajectories agree to
 * rounding. State (momentum buffer; Adam's two moment estimates and step count) is one flat {@code double[]} per
 * kind in {@code paramsTo} order, allocated on the optimiser's first step and reused; {@code resetOptimizers}
 * forgets it. Hyperparameters are the call's arguments.
 */
final class Optimizers {
  private final Plan p;
  private final List<MethodSpec> methods = new ArrayList<>();
  private final List<FieldSpec> fields = new ArrayList<>();
  private final JavaIdentifiers local = new JavaIdentifiers();
  private final String i;
  private final String o;
  private final ParamWalk walk;
  private final String buffer;
  private final String momentumSteps;
  private final String m1;
  private final String m2;
  private final String adamSteps;

  private Optimizers(Plan p) {
    this.p = p;
    this.i = local.fresh("i");
    this.o = local.fresh("offset");
    this.walk = new ParamWalk(p, o, methods);
    buffer = p.names.fresh("momentumBuffer");
    momentumSteps = p.names.fresh("momentumSteps");
    m1 = p.names.fresh("adamMean");
    m2 = p.names.fresh("adamSquares");
    adamSteps = p.names.fresh("adamSteps");
  }

  static Optimizers of(Plan p) {
    Optimizers o = new Optimizers(p);
    o.build();
    return o;
  }

  List<FieldSpec> fields() {
    return fields;
  }

  List<MethodSpec> methods() {
    return methods;
  }

  private void build() {
    Precision real = p.precision;
    TypeName array = real.array();
    fields.add(FieldSpec.builder(array, buffer, Modifier.PRIVATE)
        .addJavadoc("Momentum buffer of {@link #stepMomentum}, in paramsTo order; allocated by its first step.\n").build());
    fields.add(FieldSpec.builder(long.class, momentumSteps, Modifier.PRIVATE)
        .addJavadoc("Steps taken by {@link #stepMomentum} since the last reset.\n").build());
    fields.add(FieldSpec.builder(array, m1, Modifier.PRIVATE)
        .addJavadoc("Adam's first-moment estimate, in paramsTo order; allocated by the first Adam step.\n").build());
    fields.add(FieldSpec.builder(array, m2, Modifier.PRIVATE)
        .addJavadoc("Adam's second-moment estimate, in paramsTo order; allocated by the first Adam step.\n").build());
    fields.add(FieldSpec.builder(long.class, adamSteps, Modifier.PRIVATE)
        .addJavadoc("Steps taken by {@link #stepAdam} or {@link #stepAdamW} since the last reset.\n").build());

    String lr = local.fresh("learningRate");
    String momentum = local.fresh("momentum");
    String dampening = local.fresh("dampening");
    String decay = local.fresh("weightDecay");
    String nesterov = local.fresh("nesterov");
    String first = local.fresh("first");
    String beta1 = local.fresh("beta1");
    String beta2 = local.fresh("beta2");
    String eps = local.fresh("eps");
    String stepSize = local.fresh("stepSize");
    String root = local.fresh("correction2Sqrt");
    String shrink = local.fresh("shrink");
    String x = local.fresh("x");
    String g = local.fresh("g");
    String k = local.fresh("k");
    String d = local.fresh("d");
    String b = local.fresh("b");
    TypeName dbl = TypeName.DOUBLE;

    // ---- SGD with momentum ----
    List<ParameterSpec> mParts = List.of(param(dbl, lr), param(dbl, momentum), param(dbl, dampening),
        param(dbl, decay), param(TypeName.BOOLEAN, nesterov), param(TypeName.BOOLEAN, first));
    String mArgs = String.join(", ", lr, momentum, dampening, decay, nesterov, first);
    MethodSpec.Builder sgd = MethodSpec.methodBuilder("stepMomentum").addModifiers(Modifier.PUBLIC)
        .addParameters(mParts.subList(0, 5))
        .addJavadoc("$L", "One step of SGD with momentum, as {@code torch.optim.SGD(lr, momentum, dampening, "
            + "weight_decay, nesterov)}:\nfor each param element p with gradient g, {@code d = g + weightDecay·p}; "
            + "the buffer is {@code buf = d} on the\nfirst step, then {@code buf = momentum·buf + (1 − dampening)·d}; "
            + "{@code p −= learningRate·(nesterov ? d + momentum·buf : buf)}.\n"
            + "The buffer is allocated by the first call and kept until {@link #resetOptimizers()}.\n"
            + "@param " + lr + " the step size\n@param " + momentum + " the momentum factor (0.9 is usual)\n"
            + "@param " + dampening + " dampening of the gradient added to the buffer (usually 0)\n"
            + "@param " + decay + " L2 penalty added to the gradient (usually 0)\n"
            + "@param " + nesterov + " Nesterov momentum\n");
    methods.add(walk.build(sgd, mParts,
        List.of("if (this." + buffer + " == null) this." + buffer + " = new " + real.java() + "[paramCount()];",
            "boolean " + first + " = this." + momentumSteps + " == 0;",
            "this." + momentumSteps + "++;"),
        "", (w, gr, scalar) -> update(w, gr, scalar, "momentum", mArgs)));
    arrayMethod("momentum", mParts, mArgs);
    methods.add(MethodSpec.methodBuilder("stepMomentum").addModifiers(Modifier.PUBLIC)
        .addParameter(dbl, lr).addParameter(dbl, momentum)
        .addJavadoc("$L", "SGD with momentum and no dampening, weight decay or Nesterov: "
            + "{@code stepMomentum(" + lr + ", " + momentum + ", 0, 0, false)}.\n"
            + "@param " + lr + " the step size\n@param " + momentum + " the momentum factor (0.9 is usual)\n")
        .addCode("$L", "stepMomentum(" + lr + ", " + momentum + ", 0.0, 0.0, false);\n").build());
    methods.add(MethodSpec.methodBuilder("momentumElement").addModifiers(Modifier.PRIVATE).returns(dbl)
        .addParameter(dbl, x).addParameter(dbl, g).addParameter(int.class, k).addParameters(mParts)
        .addJavadoc("$L", "One element of {@link #stepMomentum}: updates buffer element k and returns the new param "
            + "value.\n")
        .addCode("$L", "double " + d + " = " + decay + " == 0.0 ? " + g + " : " + g + " + " + decay + " * " + x + ";\n"
            + "double " + b + " = " + first + " ? " + d + " : " + momentum + " * this." + buffer + "[" + k + "] + (1.0 - "
            + dampening + ") * " + d + ";\n"
            + "this." + buffer + "[" + k + "] = " + real.narrow(b, true) + ";\n"
            + "return " + x + " - " + lr + " * (" + nesterov + " ? " + d + " + " + momentum + " * " + b + " : " + b
            + ");\n")
        .build());

    // ---- Adam and AdamW ----
    List<ParameterSpec> aParts = List.of(param(dbl, beta1), param(dbl, beta2), param(dbl, eps), param(dbl, decay),
        param(dbl, shrink), param(dbl, stepSize), param(dbl, root));
    String decoupled = local.fresh("decoupled");
    String l2 = local.fresh("l2");
    List<ParameterSpec> aWalk = List.of(param(dbl, beta1), param(dbl, beta2), param(dbl, eps), param(dbl, l2),
        param(dbl, shrink), param(dbl, stepSize), param(dbl, root));
    String aWalkArgs = String.join(", ", beta1, beta2, eps, l2, shrink, stepSize, root);
    MethodSpec.Builder adamStep = MethodSpec.methodBuilder("adamStep").addModifiers(Modifier.PRIVATE)
        .addParameter(dbl, lr).addParameter(dbl, beta1).addParameter(dbl, beta2).addParameter(dbl, eps)
        .addParameter(dbl, decay).addParameter(TypeName.BOOLEAN, decoupled)
        .addJavadoc("$L", "One step of {@link #stepAdam} or, {@code " + decoupled + "}, {@link #stepAdamW}.\n");
    List<String> prelude = List.of(
        "if (this." + m1 + " == null) {",
        "  this." + m1 + " = new " + real.java() + "[paramCount()];",
        "  this." + m2 + " = new " + real.java() + "[paramCount()];",
        "}",
        "this." + adamSteps + "++;",
        "double " + stepSize + " = " + lr + " / (1.0 - Math.pow(" + beta1 + ", this." + adamSteps + "));",
        "double " + root + " = Math.sqrt(1.0 - Math.pow(" + beta2 + ", this." + adamSteps + "));",
        "double " + shrink + " = " + decoupled + " ? 1.0 - " + lr + " * " + decay + " : 1.0;",
        "double " + l2 + " = " + decoupled + " ? 0.0 : " + decay + ";");
    methods.add(walk.build(adamStep, aWalk, prelude, "", (pw, gr, scalar) -> update(pw, gr, scalar, "adam",
        aWalkArgs)));
    arrayMethod("adam", aWalk, aWalkArgs);
    for (boolean w : new boolean[] {false, true}) {
      String name = w ? "stepAdamW" : "stepAdam";
      String torch = w ? "torch.optim.AdamW" : "torch.optim.Adam";
      methods.add(MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC)
          .addParameter(dbl, lr).addParameter(dbl, beta1).addParameter(dbl, beta2).addParameter(dbl, eps)
          .addParameter(dbl, decay)
          .addJavadoc("$L", (w
              ? "One step of AdamW, as {@code torch.optim.AdamW(lr, betas=(beta1, beta2), eps, weight_decay)}: "
                  + "{@link #stepAdam}\nwith decoupled weight decay, {@code p ·= 1 − learningRate·weightDecay} first "
                  + "and no {@code weightDecay·p} added to g.\n"
              : "One step of Adam, as {@code " + torch + "(lr, betas=(beta1, beta2), eps, weight_decay)}: with t\n"
                  + "the step count, for each param element p with gradient g, {@code g += weightDecay·p},\n"
                  + "{@code m = β₁m + (1 − β₁)g}, {@code v = β₂v + (1 − β₂)g²}, "
                  + "{@code p −= learningRate/(1 − β₁ᵗ) · m / (√v/√(1 − β₂ᵗ) + eps)}.\n"
                  + "m and v are allocated by the first Adam step and shared with {@link #stepAdamW}; "
                  + "{@link #resetOptimizers()} clears them.\n")
              + "@param " + lr + " the step size (0.001 is usual)\n@param " + beta1 + " decay of the mean (0.9)\n"
              + "@param " + beta2 + " decay of the squares (0.999)\n@param " + eps + " added to the root (1e-8)\n"
              + "@param " + decay + (w ? " decoupled weight decay (0.01)\n" : " L2 penalty added to the gradient (0)\n"))
          .addCode("$L", "adamStep(" + String.join(", ", lr, beta1, beta2, eps, decay) + ", " + w + ");\n").build());
      methods.add(MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC).addParameter(dbl, lr)
          .addJavadoc("$L", (w ? "AdamW" : "Adam") + " with PyTorch's defaults: {@code " + name + "(" + lr
              + ", 0.9, 0.999, 1e-8, " + (w ? "0.01" : "0") + ")}.\n@param " + lr + " the step size (0.001 is usual)\n")
          .addCode("$L", name + "(" + lr + ", 0.9, 0.999, 1e-8, " + (w ? "0.01" : "0.0") + ");\n").build());
    }
    methods.add(MethodSpec.methodBuilder("adamElement").addModifiers(Modifier.PRIVATE).returns(dbl)
        .addParameter(dbl, x).addParameter(dbl, g).addParameter(int.class, k).addParameters(aParts)
        .addJavadoc("$L", "One element of {@link #stepAdam} or {@link #stepAdamW} (weightDecay 0, shrink "
            + "1 − lr·decay): updates the\nmoments at k and returns the new param value.\n")
        .addCode("$L", "double " + d + " = " + decay + " == 0.0 ? " + g + " : " + g + " + " + decay + " * " + x + ";\n"
            + "this." + m1 + "[" + k + "] = " + real.narrow(beta1 + " * this." + m1 + "[" + k + "] + (1.0 - " + beta1
                + ") * " + d, true) + ";\n"
            + "this." + m2 + "[" + k + "] = " + real.narrow(beta2 + " * this." + m2 + "[" + k + "] + (1.0 - " + beta2
                + ") * " + d + " * " + d, true) + ";\n"
            + "return " + x + " * " + shrink + " - " + stepSize + " * (this." + m1 + "[" + k + "] / (Math.sqrt(this."
            + m2 + "[" + k + "]) / " + root + " + " + eps + "));\n")
        .build());

    String zero = real.constant("0.0");
    methods.add(MethodSpec.methodBuilder("resetOptimizers").addModifiers(Modifier.PUBLIC)
        .addJavadoc("$L", "Forgets the state of every optimiser (momentum buffer, Adam's moments and step count): "
            + "the next step is a first\nstep again. The buffers are kept and zeroed, not reallocated.\n")
        .addCode("$L", "this." + momentumSteps + " = 0;\nthis." + adamSteps + " = 0;\n"
            + "if (this." + buffer + " != null) java.util.Arrays.fill(this." + buffer + ", " + zero + ");\n"
            + "if (this." + m1 + " != null) {\n  java.util.Arrays.fill(this." + m1 + ", " + zero + ");\n"
            + "  java.util.Arrays.fill(this." + m2 + ", " + zero + ");\n}\n")
        .build());
  }

  private static ParameterSpec param(TypeName t, String name) {
    return ParameterSpec.builder(t, name).build();
  }

  /**
   * A param's lines in an optimiser's walk: a scalar is updated by the element function in place, a tensor by the
   * shared {@code <kind>Array} loop, which returns the offset after it.
   */
  private List<String> update(String w, String gr, boolean scalar, String kind, String args) {
    if (scalar) {
      return List.of("this." + w + " = " + p.precision.narrow(kind + "Element(this." + w + ", this." + gr + ", " + o
          + "++, " + args + ")", true) + ";");
    }
    return List.of(o + " = " + kind + "Array(this." + w + ", this." + gr + ", " + o + ", " + args + ");");
  }

  /** {@code <kind>Array(p, g, offset, args…)}: the element update over one tensor param; returns the next offset. */
  private void arrayMethod(String kind, List<ParameterSpec> args, String argNames) {
    boolean anyTensor = false;
    for (dev.nnc.ir.ModelIR.Leaf l : p.model.params()) anyTensor |= !l.var().shape().isScalar();
    if (!anyTensor) return;
    TypeName array = p.precision.array();
    methods.add(MethodSpec.methodBuilder(kind + "Array").addModifiers(Modifier.PRIVATE).returns(int.class)
        .addParameter(array, "x").addParameter(array, "g").addParameter(int.class, o).addParameters(args)
        .addJavadoc("$L", "{@code " + kind + "Element} over every element of one param (x, its gradient g, at "
            + o + " in the flat\nlayout); returns the offset after it.\n")
        .addCode("$L", "for (int " + i + " = 0; " + i + " < x.length; " + i + "++) {\n"
            + "  x[" + i + "] = " + p.precision.narrow(kind + "Element(x[" + i + "], g[" + i + "], " + o + " + " + i
                + ", " + argNames + ")", true) + ";\n"
            + "}\nreturn " + o + " + x.length;\n")
        .build());
  }
}
