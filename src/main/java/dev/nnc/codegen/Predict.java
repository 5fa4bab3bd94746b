package dev.nnc.codegen;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * {@code predict}: the model's {@code output} values from only the inputs they depend on, with no targets and no
 * loss. It runs the statements of {@code forward} that the outputs reach (in forward's order, and, when forward is
 * split into parts, in parts along forward's own boundaries, so that a scalar local never crosses a part), after
 * {@link InputChecks} has read the batch rows from the inputs' lengths.
 */
final class Predict {
  private Predict() {}

  /**
   * The predict method (first of the methods) and its parts (see {@link PartGroups}), or nothing when the model
   * declares no outputs.
   */
  static PartGroups.Placement methods(Plan p, Bodies bodies, List<Bodies.Stmt> forward, WideInputs wide) {
    ModelIR m = p.model;
    if (m.outputs().isEmpty()) return new PartGroups.Placement(List.of(), List.of(), List.of(), List.of());
    List<Expr> nodes = m.graph().nodes();
    boolean[] reach = new boolean[p.size];
    List<ModelIR.Value> outputs = new ArrayList<>();
    for (ModelIR.Value v : m.values()) {
      if (m.outputs().contains(v.name())) {
        outputs.add(v);
        reach[v.node().id()] = true;
      }
    }
    for (int id = p.size - 1; id >= 0; id--) {
      if (reach[id]) for (Expr in : nodes.get(id).inputs()) reach[in.id()] = true;
    }
    List<Expr> statements = p.statements(true);
    List<ModelIR.Value> aliases = p.aliasValues();
    if (forward.size() != statements.size() + aliases.size()) {
      throw new IllegalStateException("forward's statements no longer line up with Plan.statements(true)");
    }
    // Per forward part (one part when forward is not split): the selected statements' lines.
    int chunk = p.splitForward ? Plan.CHUNK : Integer.MAX_VALUE;
    List<List<String>> parts = new ArrayList<>();
    for (int k = 0; k < forward.size(); k++) {
      int part = k / chunk;
      while (parts.size() <= part) parts.add(new ArrayList<>());
      boolean selected = k < statements.size() ? reach[statements.get(k).id()]
          : outputs.contains(aliases.get(k - statements.size()));
      if (selected) parts.get(part).addAll(forward.get(k).lines());
    }
    List<ModelIR.Leaf> inputs = new ArrayList<>();
    for (ModelIR.Leaf l : m.inputs()) if (reach[l.var().id()]) inputs.add(l);

    MethodSpec.Builder predict = MethodSpec.methodBuilder("predict").addModifiers(Modifier.PUBLIC);
    StringBuilder doc = new StringBuilder("Computes the outputs ");
    List<String> names = new ArrayList<>();
    for (ModelIR.Value v : outputs) names.add("{@code " + p.javaName(v.name()) + "}");
    doc.append(String.join(", ", names)).append(" from ")
        .append(inputs.isEmpty() ? "the params alone" : "the inputs they depend on")
        .append(", without targets or loss; no other value is\nguaranteed to be current afterwards. ");
    if (!p.batchDims.isEmpty()) {
      doc.append("The batch rows come from the inputs' lengths (1 up to the capacity given to the\nconstructor): "
          + "an output's first rows are valid, the rest of its buffer is stale. ");
    }
    doc.append("Allocates nothing.\n");
    boolean holder = wide.addParameter(predict, doc, inputs);
    for (ModelIR.Leaf l : holder ? List.<ModelIR.Leaf>of() : inputs) {
      String n = p.javaName(l.name());
      Shape s = l.var().shape();
      predict.addParameter(s.isScalar() ? ParameterSpec.builder(TypeName.DOUBLE, n).build()
          : ParameterSpec.builder(TypeName.get(double[].class), n).build());
      doc.append("@param ").append(n).append(" input ").append(JavaText.javadocLine(l.spelling() + (s.isScalar() ? ""
          : s + ", flat row-major"))).append('\n');
    }
    if (!inputs.isEmpty()) doc.append("@throws IllegalArgumentException if an array's length does not match its shape\n");
    StringBuilder body = new StringBuilder();
    for (String line : InputChecks.lines(p, bodies, inputs, wide.from(inputs))) body.append(line).append('\n');
    PartGroups.Placement placed = null;
    if (parts.size() == 1) {
      for (String line : parts.get(0)) body.append(line).append('\n');
    } else {
      List<MethodSpec> methods = new ArrayList<>();
      for (int k = 0; k < parts.size(); k++) {
        if (parts.get(k).isEmpty()) continue;
        StringBuilder pb = new StringBuilder();
        for (String line : parts.get(k)) pb.append(line).append('\n');
        methods.add(MethodSpec.methodBuilder("predictPart" + (k + 1)).addModifiers(Modifier.PRIVATE)
            .addJavadoc("$L", "The statements of forward part " + (k + 1) + " that {@link #predict} needs.\n")
            .addCode("$L", pb.toString()).build());
      }
      placed = PartGroups.place(methods, "Predict", "{@link #predict}", p.names);
      for (String call : placed.calls()) body.append(call).append('\n');
    }
    MethodSpec method = predict.addJavadoc("$L", doc.toString()).addCode("$L", body.toString()).build();
    return placed == null ? new PartGroups.Placement(List.of(method), List.of(), List.of(), List.of())
        : new PartGroups.Placement(concat(method, placed.methods()), placed.types(), placed.fields(), List.of());
  }

  private static List<MethodSpec> concat(MethodSpec first, List<MethodSpec> rest) {
    List<MethodSpec> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
