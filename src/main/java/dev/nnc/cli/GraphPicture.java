package dev.nnc.cli;

import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.diff.Differentiator;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.notation.Label;
import dev.nnc.notation.MathPrinter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The computation graph as the course draws it: one node per input, param and operation (the model split as
 * {@code nnc trace} splits it), an edge from each operand to its operation; with a point, every node carries its
 * forward value and its gradient (micrograd's {@code draw_dot}, the CS231n circuit diagrams). Data only: {@link
 * #dot()} and {@link GraphSvg} draw it.
 */
final class GraphPicture {
  enum Kind {
    INPUT,
    PARAM,
    VALUE,
    LOSS
  }

  /**
   * @param name the display name ({@code u}, {@code W1})
   * @param definition the operation ({@code b c}), empty for inputs and params
   * @param shape {@code [B, O]}, empty for a scalar
   * @param value the forward value, or null without a point
   * @param gradient {@code ∂J/∂u = 3}, or null without a point (or where nothing reaches the loss)
   * @param layer the longest path from an input or param (its column in the picture)
   * @param statement the Java identifier ({@link dev.nnc.ir.NameTable}) of the model name the node belongs to: the
   *     input or param itself, or the {@code .nn} statement the operation comes from
   */
  record Node(String name, String definition, Kind kind, String shape, String value, String gradient, int layer,
      String statement) {}

  record Edge(int from, int to) {}

  final String title;
  final List<Node> nodes;
  final List<Edge> edges;

  private GraphPicture(String title, List<Node> nodes, List<Edge> edges) {
    this.title = title;
    this.nodes = List.copyOf(nodes);
    this.edges = List.copyOf(edges);
  }

  /** The picture of {@code ir} (checked and lowered); {@code in} binds a point, or is null for the bare graph. */
  static GraphPicture of(ModelIR ir, Interpreter in, MathPrinter.Notation notation) {
    Trace.Split parts = Trace.splitWithOwners(ir);
    ModelIR split = parts.model();
    DiffModel d = in == null ? null : Differentiator.differentiate(split);
    Map<Expr, Label> labels = new HashMap<>();
    MathPrinter.names(split).forEach((e, n) -> labels.put(e, Label.name(n)));
    MathPrinter printer = MathPrinter.labelled(notation, labels);
    String loss = split.lossValue().spelling();
    List<Node> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    Map<Expr, Integer> index = new HashMap<>();
    List<ModelIR.Leaf> leaves = new ArrayList<>(split.inputs());
    leaves.addAll(split.params());
    for (ModelIR.Leaf l : leaves) {
      index.put(l.var(), nodes.size());
      Kind kind = split.inputs().contains(l) ? Kind.INPUT : Kind.PARAM;
      nodes.add(new Node(l.spelling(), "", kind, shape(l.var()), value(in, l.var(), notation),
          gradient(d, in, l.name(), loss, notation), 0, ir.names().get(l.name()).java()));
    }
    for (ModelIR.Value v : split.values()) {
      if (index.containsKey(v.node())) continue; // a second name of one node
      int layer = 0;
      List<Integer> from = new ArrayList<>();
      for (Expr operand : operands(v.node())) {
        Integer i = index.get(operand);
        if (i == null || from.contains(i)) continue;
        from.add(i);
        layer = Math.max(layer, nodes.get(i).layer() + 1);
      }
      int me = nodes.size();
      for (int i : from) edges.add(new Edge(i, me));
      index.put(v.node(), me);
      Kind kind = v.name().equals(split.loss()) ? Kind.LOSS : Kind.VALUE;
      nodes.add(new Node(v.spelling(), printer.printDefinition(v.node()), kind, shape(v.node()),
          value(in, v.node(), notation), gradient(d, in, v.name(), loss, notation), layer,
          ir.names().get(parts.statementOf().get(v.name())).java()));
    }
    return new GraphPicture(ir.name() == null ? split.loss() : ir.name(), nodes, edges);
  }

  /** The named nodes an operation reads: through broadcasts and transposes, skipping constants and dim sizes. */
  private static List<Expr> operands(Expr node) {
    List<Expr> out = new ArrayList<>();
    java.util.ArrayDeque<Expr> stack = new java.util.ArrayDeque<>(node.inputs());
    while (!stack.isEmpty()) {
      Expr e = stack.pollLast();
      if (e instanceof Expr.Broadcast || e instanceof Expr.Transpose) {
        stack.addAll(e.inputs());
      } else if (!(e instanceof Expr.Const || e instanceof Expr.DimSize)) {
        out.add(e);
      }
    }
    out.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return out;
  }

  private static String shape(Expr e) {
    return e.shape().isScalar() ? "" : e.shape().toString();
  }

  private static String value(Interpreter in, Expr e, MathPrinter.Notation notation) {
    return in == null ? null : Trace.show(in, e, notation);
  }

  private static String gradient(DiffModel d, Interpreter in, String name, String loss, MathPrinter.Notation n) {
    if (d == null) return null;
    Adjoint a = d.adjoint(name);
    if (a == null) return null;
    String symbol = MathPrinter.labelled(n, Map.of()).label(Label.adjoint(d.model().names(), a.name()));
    return symbol + " = " + Trace.show(in, a.value(), n);
  }

  /** Graphviz DOT: left to right, inputs blue, params yellow, the loss red; values green, gradients red. */
  String dot() {
    StringBuilder out = new StringBuilder("digraph \"").append(dotEscape(title)).append("\" {\n");
    out.append("  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"monospace\"];\n");
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      StringBuilder label = new StringBuilder("<<b>").append(html(n.name())).append("</b>");
      if (!n.shape().isEmpty()) label.append(' ').append(html(n.shape()));
      if (!n.definition().isEmpty()) label.append(" = ").append(html(n.definition()));
      if (n.value() != null) label.append("<br/><font color=\"#1a7f37\">").append(html(n.value())).append("</font>");
      if (n.gradient() != null) {
        label.append("<br/><font color=\"#cf222e\">").append(html(n.gradient())).append("</font>");
      }
      label.append(">");
      out.append("  n").append(i).append(" [label=").append(label).append(", fillcolor=\"").append(fill(n.kind()))
          .append("\"];\n");
    }
    for (Edge e : edges) out.append("  n").append(e.from()).append(" -> n").append(e.to()).append(";\n");
    return out.append("}\n").toString();
  }

  static String fill(Kind kind) {
    return switch (kind) {
      case INPUT -> "#ddf4ff";
      case PARAM -> "#fff8c5";
      case VALUE -> "#ffffff";
      case LOSS -> "#ffebe9";
    };
  }

  /** XML text (also Graphviz HTML labels). */
  static String html(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String dotEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
