package dev.nnc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The small private static functions generated code calls for activations and derivative selectors, so that a
 * statement reads {@code a = sigmoid(z)} rather than an inlined formula. A class gets only the ones it uses.
 */
final class Helpers {
  private Helpers() {}

  static List<MethodSpec> methods(Set<String> used, boolean gaussian) {
    List<MethodSpec> out = new ArrayList<>();
    for (String name : used) out.add(method(name)); // a TreeSet: sorted, deterministic
    if (gaussian) {
      out.add(MethodSpec.methodBuilder("gaussian").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .returns(double.class)
          .addParameter(ClassName.get("java.util", "SplittableRandom"), "rng")
          .addJavadoc("A standard normal draw (Box–Muller; 1 − u keeps the log finite).\n")
          .addCode("$L", "double u = rng.nextDouble();\ndouble v = rng.nextDouble();\n"
              + "return Math.sqrt(-2.0 * Math.log(1.0 - u)) * Math.cos(2.0 * Math.PI * v);\n")
          .build());
    }
    return out;
  }

  private static MethodSpec method(String name) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(double.class);
    switch (name) {
      case "sigmoid" -> x(m).addJavadoc("σ(x) = 1/(1 + exp(−x)).\n").addCode("return 1.0 / (1.0 + Math.exp(-x));\n");
      case "relu" -> x(m).addJavadoc("max(x, 0).\n").addCode("return x > 0.0 ? x : 0.0;\n");
      case "softplus" -> x(m).addJavadoc("log(1 + exp(x)), computed without overflow.\n")
          .addCode("return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));\n");
      case "heaviside" -> x(m).addJavadoc("1 where x > 0, else 0 (relu′, with relu′(0) = 0).\n")
          .addCode("return x > 0.0 ? 1.0 : 0.0;\n");
      case "leakyRelu" -> x(m).addParameter(double.class, "slope").addJavadoc("x where x > 0, else slope·x.\n")
          .addCode("return x > 0.0 ? x : slope * x;\n");
      case "leakyStep" -> x(m).addParameter(double.class, "slope")
          .addJavadoc("1 where x > 0, else slope (leaky_relu′).\n").addCode("return x > 0.0 ? 1.0 : slope;\n");
      case "ge" -> m.addParameter(double.class, "a").addParameter(double.class, "b")
          .addJavadoc("1 where a ≥ b, else 0 (selects the branch of max and min).\n")
          .addCode("return a >= b ? 1.0 : 0.0;\n");
      default -> throw new IllegalArgumentException("no helper " + name);
    }
    return m.build();
  }

  private static MethodSpec.Builder x(MethodSpec.Builder m) {
    return m.addParameter(double.class, "x");
  }
}
