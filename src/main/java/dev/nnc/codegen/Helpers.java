package dev.nnc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import dev.nnc.prim.JavaEmission;
import dev.nnc.prim.LayerPrim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * The small private static functions generated code calls for activations and derivative selectors, so that a
 * statement reads {@code a = sigmoid(z)} rather than an inlined formula. A class gets only the ones it uses. The
 * helpers of primitives are their registry entries' Java emission; the Gaussian draw of the initialisers is here.
 */
final class Helpers {
  private Helpers() {}

  static List<MethodSpec> methods(Map<String, JavaEmission.Helper> used, boolean gaussian) {
    List<MethodSpec> out = new ArrayList<>();
    for (JavaEmission.Helper h : used.values()) out.add(method(h)); // a TreeMap: sorted, deterministic
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

  /**
   * The layer methods: {@code private [static] void name(double[] out, double[] arg…, double[] scratch…, int …)} from
   * the entry's Java; those that call the product kernels are instance methods (the kernels' scratch is the object's).
   */
  static List<MethodSpec> layerMethods(Map<String, LayerPrim.Emission> used, Precision real) {
    List<MethodSpec> out = new ArrayList<>();
    for (LayerPrim.Emission em : used.values()) {
      MethodSpec.Builder m = MethodSpec.methodBuilder(em.name()).addModifiers(Modifier.PRIVATE);
      if (em.products().isEmpty()) m.addModifiers(Modifier.STATIC);
      for (String a : em.arrays()) m.addParameter(real.array(), a);
      for (LayerPrim.Scratch s : em.scratch()) m.addParameter(real.array(), s.name());
      for (String i : em.ints()) m.addParameter(int.class, i);
      String body = real.retype(em.body().endsWith("\n") ? em.body() : em.body() + "\n");
      out.add(m.addJavadoc("$L\n", em.javadoc()).addCode("$L", body).build());
    }
    return out;
  }

  /** A helper as its registry entry writes it ({@link dev.nnc.prim.Prims}). */
  private static MethodSpec method(JavaEmission.Helper h) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(h.name()).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(double.class);
    for (String p : h.params()) m.addParameter(double.class, p);
    String body = h.body().endsWith("\n") ? h.body() : h.body() + "\n";
    return m.addJavadoc("$L\n", h.javadoc()).addCode("$L", body).build();
  }
}
