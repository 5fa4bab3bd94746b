package dev.nnc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import dev.nnc.ir.JavaIdentifiers;
import dev.nnc.ir.ModelIR;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The generated class's flat views of its params and gradients, and the gradient arithmetic data-parallel training
 * needs (compute a shard's gradient, add shards' gradients in a fixed order, apply one update). Every view is one
 * {@code double[]} ({@code float[]} in a float class) holding all params (or all gradients) in declaration order, each flat row-major, a scalar as one
 * element; {@code paramCount()} is its length. Nothing here allocates.
 * Each method is a {@link ParamWalk}.
 */
final class FlatParams {
  private final Plan p;
  private final TypeName array;
  private final List<MethodSpec> methods = new ArrayList<>();
  private final String i;
  private final String o;
  private final ParamWalk walk;

  /**
   * Names for this class's locals and parameters. Every field is read as {@code this.x} (or {@code other.x}), so the
   * locals need only avoid keywords, the JDK names ({@code System}) and each other, not the model's names.
   */
  private final JavaIdentifiers local = new JavaIdentifiers();

  private FlatParams(Plan p, TypeName array) {
    this.p = p;
    this.array = array;
    this.i = local.fresh("i");
    this.o = local.fresh("offset");
    this.walk = new ParamWalk(p, o, methods);
  }

  /** The public methods and their private parts, in a fixed order. */
  static List<MethodSpec> methods(Plan p) {
    FlatParams f = new FlatParams(p, p.precision.array());
    f.build();
    return f.methods;
  }

  private void build() {
    String flat = local.fresh("flat");
    String sum = local.fresh("sum");
    String other = local.fresh("other");
    String weight = local.fresh("weight");
    ParameterSpec flatParam = ParameterSpec.builder(array, flat).build();
    ParameterSpec sumParam = ParameterSpec.builder(array, sum).build();
    ParameterSpec weightParam = ParameterSpec.builder(TypeName.get(double.class), weight).build();
    ClassName self = ClassName.get("", p.className);
    ParameterSpec otherParam = ParameterSpec.builder(self, other).build();

    MethodSpec.Builder count = MethodSpec.methodBuilder("paramCount").addModifiers(Modifier.PUBLIC)
        .returns(int.class)
        .addJavadoc("$L", "The number of scalars in all params together: the length of every flat buffer that\n"
            + "{@link #paramsTo}, {@link #paramsFrom}, {@link #gradientsTo}, {@link #gradientsFrom} and\n"
            + "{@link #addGradientsTo} take.\n@return the total number of param elements\n");
    methods.add(walk(count, List.of(), "return " + o + ";", (w, g, scalar) -> List.of(
        o + " += " + (scalar ? "1" : "this." + w + ".length") + ";")));

    // The four copies share one walk (flatCopy) and, per tensor param, one static helper (flatCopyArray).
    String gradients = local.fresh("gradients");
    String toFlat = local.fresh("toFlat");
    ParameterSpec gradientsParam = ParameterSpec.builder(TypeName.BOOLEAN, gradients).build();
    ParameterSpec toFlatParam = ParameterSpec.builder(TypeName.BOOLEAN, toFlat).build();
    MethodSpec.Builder copy = MethodSpec.methodBuilder("flatCopy").addModifiers(Modifier.PRIVATE)
        .addParameter(flatParam).addParameter(gradientsParam).addParameter(toFlatParam)
        .addJavadoc("$L", "Copies every param (or, with {@code " + gradients + "}, every gradient) into {@code " + flat
            + "} ({@code " + toFlat + "}) or\nout of it, in declaration order, each flat row-major, a scalar as one "
            + "element.\n");
    methods.add(walk(copy, List.of(flatParam, gradientsParam, toFlatParam), lengthCheck(flat), "",
        (w, g, scalar) -> scalar
            ? List.of("if (" + toFlat + ") " + flat + "[" + o + "] = " + gradients + " ? this." + g + " : this." + w + ";",
                "else if (" + gradients + ") this." + g + " = " + flat + "[" + o + "];",
                "else this." + w + " = " + flat + "[" + o + "];",
                o + "++;")
            : List.of(o + " = flatCopyArray(" + gradients + " ? this." + g + " : this." + w + ", " + flat + ", " + o
                + ", " + toFlat + ");")));
    if (hasTensor()) {
      methods.add(MethodSpec.methodBuilder("flatCopyArray").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .returns(int.class).addParameter(array, "field").addParameter(array, flat).addParameter(int.class, o)
          .addParameter(toFlatParam)
          .addJavadoc("$L", "Copies {@code field} into {@code " + flat + "} at {@code " + o + "} or back; returns the "
              + "offset after it.\n")
          .addCode("$L", "if (" + toFlat + ") System.arraycopy(field, 0, " + flat + ", " + o + ", field.length);\n"
              + "else System.arraycopy(" + flat + ", " + o + ", field, 0, field.length);\n"
              + "return " + o + " + field.length;\n")
          .build());
    }
    methods.add(delegate(publicVoid("paramsTo", flatParam,
        "Copies every param into {@code " + flat + "}, in declaration order (flat row-major).\n"
            + "@param " + flat + " receives the params; length {@link #paramCount()}\n"
            + "@throws IllegalArgumentException if its length is not {@link #paramCount()}\n"),
        "flatCopy(" + flat + ", false, true);"));
    methods.add(delegate(publicVoid("paramsFrom", flatParam,
        "Sets every param from {@code " + flat + "}, laid out as {@link #paramsTo} writes it.\n"
            + "@param " + flat + " the params; length {@link #paramCount()}\n"
            + "@throws IllegalArgumentException if its length is not {@link #paramCount()}\n"),
        "flatCopy(" + flat + ", false, false);"));
    methods.add(delegate(publicVoid("gradientsTo", flatParam,
        "Copies every param's gradient from the last {@link #backward()} into {@code " + flat + "}, laid out as\n"
            + "{@link #paramsTo} lays out the params.\n"
            + "@param " + flat + " receives the gradients; length {@link #paramCount()}\n"
            + "@throws IllegalArgumentException if its length is not {@link #paramCount()}\n"),
        "flatCopy(" + flat + ", true, true);"));
    methods.add(delegate(publicVoid("gradientsFrom", flatParam,
        "Sets every gradient from {@code " + flat + "} (for example a sum of shards' gradients), so that the next\n"
            + "step applies it.\n"
            + "@param " + flat + " the gradients; length {@link #paramCount()}\n"
            + "@throws IllegalArgumentException if its length is not {@link #paramCount()}\n"),
        "flatCopy(" + flat + ", true, false);"));

    MethodSpec.Builder addTo = MethodSpec.methodBuilder("addGradientsTo").addModifiers(Modifier.PUBLIC)
        .addParameter(sumParam).addParameter(weightParam)
        .addJavadoc("$L", "Adds {@code " + weight + "} × every gradient of the last {@link #backward()} to {@code "
            + sum + "}, element by\nelement in index order: {@code " + sum + "[k] += " + weight + " * g[k]}. With a "
            + "mean loss, a batch split into\nshards of b₁, b₂, … rows has the gradient Σ (bᵢ/b)·gᵢ; adding the "
            + "shards in the same order gives the same bits.\n"
            + "@param " + sum + " the running sum; length {@link #paramCount()}\n"
            + "@param " + weight + " the shard's weight\n"
            + "@throws IllegalArgumentException if its length is not {@link #paramCount()}\n");
    methods.add(walk(addTo, List.of(sumParam, weightParam), lengthCheck(sum), "",
        (w, g, scalar) -> scalar
            ? List.of(sum + "[" + o + "++] += " + weight + " * this." + g + ";")
            : List.of(o + " = flatAddArray(this." + g + ", " + sum + ", " + o + ", " + weight + ");")));
    if (hasTensor()) {
      methods.add(MethodSpec.methodBuilder("flatAddArray").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .returns(int.class).addParameter(array, "g").addParameter(array, sum).addParameter(int.class, o)
          .addParameter(weightParam)
          .addJavadoc("$L", "{@code " + sum + "[" + o + " + i] += " + weight + " * g[i]} in index order; returns the "
              + "offset after g.\n")
          .addCode("$L", "for (int " + i + " = 0; " + i + " < g.length; " + i + "++) " + sum + "[" + o + " + " + i
              + "] += " + weight + " * g[" + i + "];\nreturn " + o + " + g.length;\n")
          .build());
    }

    MethodSpec.Builder addFrom = MethodSpec.methodBuilder("addGradientsFrom").addModifiers(Modifier.PUBLIC)
        .addParameter(otherParam).addParameter(weightParam)
        .addJavadoc("$L", "Adds {@code " + weight + "} × the gradients of another instance (of the same dims) to "
            + "this one's: merges\nshards computed by several instances in one JVM before one step.\n"
            + "@param " + other + " an instance whose backward() has run\n"
            + "@param " + weight + " its weight\n"
            + "@throws IllegalArgumentException if its params have other sizes\n");
    methods.add(walk(addFrom, List.of(otherParam, weightParam),
        List.of("if (" + other + ".paramCount() != paramCount()) {",
            "  throw new IllegalArgumentException(\"the other instance has \" + " + other
                + ".paramCount() + \" param elements, this one \" + paramCount());",
            "}"), "",
        (w, g, scalar) -> scalar
            ? List.of("this." + g + " += " + weight + " * " + other + "." + g + ";")
            : List.of("flatAddArray(" + other + "." + g + ", this." + g + ", 0, " + weight + ");")));

    String a = local.fresh("a");
    String b = local.fresh("b");
    methods.add(MethodSpec.methodBuilder("addGradients").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(array).addParameter(array, a).addParameter(array, b)
        .addJavadoc("$L", "{@code " + a + "[k] += " + b + "[k]} for every k in index order, then returns {@code " + a
            + "}: the merge step of a tree\naggregation of flat gradients (Spark's {@code treeAggregate}); "
            + "IEEE addition is commutative, so the\nresult does not depend on which argument is which.\n"
            + "@param " + a + " the running sum, updated in place\n@param " + b + " the gradients to add\n"
            + "@return {@code " + a + "}\n@throws IllegalArgumentException if the lengths differ\n")
        .addCode("$L", "if (" + a + ".length != " + b + ".length) {\n"
            + "  throw new IllegalArgumentException(\"cannot add gradients of \" + " + b + ".length + \" elements to \" + "
            + a + ".length);\n}\n"
            + "for (int " + i + " = 0; " + i + " < " + a + ".length; " + i + "++) " + a + "[" + i + "] += " + b + "["
            + i + "];\nreturn " + a + ";\n")
        .build());
  }

  private static MethodSpec.Builder publicVoid(String name, ParameterSpec param, String doc) {
    return MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC).addParameter(param).addJavadoc("$L", doc);
  }

  private List<String> lengthCheck(String flat) {
    return List.of("if (" + flat + ".length != paramCount()) {",
        "  throw new IllegalArgumentException(\"a flat buffer of \" + paramCount() + \" elements is needed, got \" + "
            + flat + ".length);",
        "}");
  }

  private static MethodSpec delegate(MethodSpec.Builder m, String call) {
    return m.addCode("$L", call + "\n").build();
  }

  private boolean hasTensor() {
    for (ModelIR.Leaf l : p.model.params()) if (!l.var().shape().isScalar()) return true;
    return false;
  }

  private MethodSpec walk(MethodSpec.Builder m, List<ParameterSpec> params, String ret, ParamWalk.Step step) {
    return walk.build(m, params, List.of(), ret, step);
  }

  private MethodSpec walk(MethodSpec.Builder m, List<ParameterSpec> params, List<String> checks, String ret,
      ParamWalk.Step step) {
    return walk.build(m, params, checks, ret, step);
  }
}
