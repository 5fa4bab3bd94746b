package dev.nnc.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link GraphPicture} as SVG with a layered layout of its own: the graph is a DAG whose nodes come in
 * topological order, so a node's column is its longest path from an input or param (already in the picture), and
 * within a column nodes are ordered by the mean row of their operands (one barycenter sweep, left to right), which
 * keeps the course's small graphs free of crossings. Edges are cubic curves from an operand's right side to its
 * operation's left side. No layout library: see docs/graph.md for why.
 */
final class GraphSvg {
  private static final double CHAR = 7.3; // monospace 12px: the advance of one character, generously
  private static final double LINE = 16;
  private static final double PAD = 8;
  private static final double COLUMN_GAP = 56;
  private static final double ROW_GAP = 18;
  private static final double MARGIN = 16;

  private GraphSvg() {}

  /** One node's place: top-left corner and size. */
  record Box(double x, double y, double w, double h) {}

  static String svg(GraphPicture g) {
    List<List<String>> lines = new ArrayList<>();
    for (GraphPicture.Node n : g.nodes) lines.add(lines(n));
    List<Box> boxes = layout(g, lines);
    double width = 0;
    double height = 0;
    for (Box b : boxes) {
      width = Math.max(width, b.x() + b.w() + MARGIN);
      height = Math.max(height, b.y() + b.h() + MARGIN);
    }
    StringBuilder out = new StringBuilder();
    out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(num(width)).append("\" height=\"")
        .append(num(height)).append("\" viewBox=\"0 0 ").append(num(width)).append(' ').append(num(height))
        .append("\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"12\">\n");
    out.append("<title>").append(GraphPicture.html(g.title)).append(" — computation graph</title>\n");
    out.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
        + "markerHeight=\"7\" orient=\"auto\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#57606a\"/></marker></defs>\n");
    out.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    for (GraphPicture.Edge e : g.edges) {
      Box a = boxes.get(e.from());
      Box b = boxes.get(e.to());
      double x1 = a.x() + a.w();
      double y1 = a.y() + a.h() / 2;
      double x2 = b.x();
      double y2 = b.y() + b.h() / 2;
      double bend = Math.max(24, (x2 - x1) / 2);
      out.append("<path class=\"edge\" data-from=\"").append(GraphPicture.html(g.nodes.get(e.from()).name()))
          .append("\" data-to=\"").append(GraphPicture.html(g.nodes.get(e.to()).name())).append("\" d=\"M ")
          .append(num(x1)).append(' ').append(num(y1)).append(" C ").append(num(x1 + bend)).append(' ').append(num(y1))
          .append(' ').append(num(x2 - bend)).append(' ').append(num(y2)).append(' ').append(num(x2)).append(' ')
          .append(num(y2)).append("\" fill=\"none\" stroke=\"#57606a\" stroke-width=\"1.3\" marker-end=\"url(#arrow)\"/>\n");
    }
    for (int i = 0; i < g.nodes.size(); i++) {
      GraphPicture.Node n = g.nodes.get(i);
      Box b = boxes.get(i);
      out.append("<g class=\"node ").append(n.kind().name().toLowerCase(Locale.ROOT)).append("\" id=\"node-").append(i)
          .append("\" data-name=\"").append(GraphPicture.html(n.name())).append("\" data-stmt=\"")
          .append(GraphPicture.html(n.statement())).append("\">\n");
      out.append("  <rect x=\"").append(num(b.x())).append("\" y=\"").append(num(b.y())).append("\" width=\"")
          .append(num(b.w())).append("\" height=\"").append(num(b.h())).append("\" rx=\"6\" fill=\"")
          .append(GraphPicture.fill(n.kind())).append("\" stroke=\"").append(n.kind() == GraphPicture.Kind.LOSS
              ? "#cf222e" : "#57606a").append("\" stroke-width=\"").append(n.kind() == GraphPicture.Kind.LOSS
              ? "2" : "1").append("\"/>\n");
      List<String> text = lines.get(i);
      for (int l = 0; l < text.size(); l++) {
        String color = l == 0 ? "#1f2328" : text.get(l).equals(n.value()) ? "#1a7f37" : "#cf222e";
        out.append("  <text class=\"").append(l == 0 ? "label" : text.get(l).equals(n.value()) ? "value" : "gradient")
            .append("\" x=\"").append(num(b.x() + PAD)).append("\" y=\"").append(num(b.y() + PAD + LINE * l + 11))
            .append("\" fill=\"").append(color).append("\"").append(l == 0 ? " font-weight=\"bold\"" : "").append(">")
            .append(GraphPicture.html(text.get(l))).append("</text>\n");
      }
      out.append("</g>\n");
    }
    return out.append("</svg>\n").toString();
  }

  private static List<String> lines(GraphPicture.Node n) {
    List<String> out = new ArrayList<>();
    StringBuilder head = new StringBuilder(n.name());
    if (!n.shape().isEmpty()) head.append(' ').append(n.shape());
    if (!n.definition().isEmpty()) head.append(" = ").append(n.definition());
    out.add(head.toString());
    if (n.value() != null) out.add(n.value());
    if (n.gradient() != null) out.add(n.gradient());
    return out;
  }

  /** Columns by layer, rows by the operands' mean row, then sizes into coordinates. */
  static List<Box> layout(GraphPicture g, List<List<String>> lines) {
    int n = g.nodes.size();
    int columns = 0;
    for (GraphPicture.Node node : g.nodes) columns = Math.max(columns, node.layer() + 1);
    List<List<Integer>> column = new ArrayList<>();
    for (int c = 0; c < columns; c++) column.add(new ArrayList<>());
    double[] row = new double[n];
    for (int i = 0; i < n; i++) column.get(g.nodes.get(i).layer()).add(i); // nodes are in topological order
    for (int c = 0; c < columns; c++) {
      List<Integer> col = column.get(c);
      if (c > 0) {
        double[] key = new double[n];
        for (int i : col) {
          double sum = 0;
          int k = 0;
          for (GraphPicture.Edge e : g.edges) {
            if (e.to() == i) {
              sum += row[e.from()];
              k++;
            }
          }
          key[i] = k == 0 ? i : sum / k;
        }
        col.sort(Comparator.comparingDouble((Integer i) -> key[i]).thenComparingInt(i -> i));
      }
      for (int r = 0; r < col.size(); r++) row[col.get(r)] = r;
    }
    double[] w = new double[n];
    double[] h = new double[n];
    for (int i = 0; i < n; i++) {
      int longest = 0;
      for (String s : lines.get(i)) longest = Math.max(longest, s.codePointCount(0, s.length()));
      w[i] = longest * CHAR + 2 * PAD;
      h[i] = lines.get(i).size() * LINE + 2 * PAD - 4;
    }
    double[] colHeight = new double[columns];
    double tallest = 0;
    for (int c = 0; c < columns; c++) {
      for (int i : column.get(c)) colHeight[c] += h[i] + ROW_GAP;
      colHeight[c] -= ROW_GAP;
      tallest = Math.max(tallest, colHeight[c]);
    }
    Box[] boxes = new Box[n];
    double x = MARGIN;
    for (int c = 0; c < columns; c++) {
      double y = MARGIN + (tallest - colHeight[c]) / 2; // columns centred on each other
      double widest = 0;
      for (int i : column.get(c)) {
        boxes[i] = new Box(x, y, w[i], h[i]);
        y += h[i] + ROW_GAP;
        widest = Math.max(widest, w[i]);
      }
      x += widest + COLUMN_GAP;
    }
    return List.of(boxes);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
