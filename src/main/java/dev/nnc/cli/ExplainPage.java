package dev.nnc.cli;

import dev.nnc.Result;
import dev.nnc.codegen.Api;
import dev.nnc.codegen.JavaGenerator;
import dev.nnc.codegen.LineOwners;
import dev.nnc.codegen.Precision;
import dev.nnc.diag.Span;
import dev.nnc.diff.Adjoint;
import dev.nnc.diff.AdjointNames;
import dev.nnc.diff.DiffModel;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.NameTable;
import dev.nnc.notation.Derivations;
import dev.nnc.notation.Formula;
import dev.nnc.notation.Label;
import dev.nnc.notation.MathPrinter;
import dev.nnc.notation.Step;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The page of {@code nnc explain}: for each model of a file, an {@code <article>} with five sections — the
 * {@code .nn} source, the computation graph ({@link GraphSvg}, inline), the chain rule step by step (MathML from
 * {@link Derivations}, as {@code nnc grad} prints it), the numeric trace ({@link Trace}, as {@code nnc trace} prints
 * it) and the generated Java ({@link JavaGenerator#generateWithOwners}).
 *
 * <p>What belongs together is data, not found by searching text: every statement, graph node, chain-rule step,
 * trace row and Java line carries {@code data-stmt}, the Java identifier ({@link NameTable}) of the model name it
 * belongs to — a statement's value, or an input or param. A chain-rule step also carries {@code data-via}, the
 * statements its terms go through. The page's script only compares these attributes. Self-contained: no network,
 * no fonts or scripts from elsewhere; deterministic bytes.
 */
final class ExplainPage {
  /** MathML is wordier than the other notations: its output bounds, in characters, are this many times theirs. */
  private static final int MATHML_WORDINESS = 8;

  private ExplainPage() {}

  static String html(Result result, List<String> assignments, Map<String, Integer> dims, Long seed)
      throws ModelValues.BadValue {
    return html(result, assignments, dims, seed, true);
  }

  /**
   * The page; without the Java section when {@code withJava} is false (the tutorial's screenshot shows the page's
   * top, and leaving the Java out keeps it from going stale with every change of the generated code).
   */
  static String html(Result result, List<String> assignments, Map<String, Integer> dims, Long seed, boolean withJava)
      throws ModelValues.BadValue {
    Map<String, ValueLiteral> given = ModelValues.parse(assignments);
    EvalCommand.checkKnown(result, given);
    boolean point = !given.isEmpty() || seed != null;
    String fileName = result.source().name();
    StringBuilder out = new StringBuilder();
    String title = result.models().size() == 1 ? result.models().get(0).name() : fileName;
    // Polyglot markup (HTML that is also well-formed XML): tests read it with the JDK's XML parser.
    out.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
        .append("<meta charset=\"utf-8\"/>\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        .append("<meta name=\"generator\" content=\"nnc explain\"/>\n")
        .append("<title>").append(esc(title)).append(" — nnc explain</title>\n<style>/*<![CDATA[*/\n")
        .append(resource("explain.css")).append("/*]]>*/</style>\n</head>\n<body>\n");
    out.append("<header><h1>").append(esc(title)).append("</h1>\n<p>").append(esc(fileName));
    if (point) out.append(" at ").append(esc(pointText(assignments, dims, seed)));
    out.append(". Click a statement (or a node, a step, a line of Java) to see what belongs to it.</p></header>\n");
    for (int i = 0; i < result.models().size(); i++) {
      ModelIR model = result.models().get(i);
      DiffModel dm = result.derivatives().get(i);
      Interpreter in = point ? EvalCommand.bind(model, dims, given, seed) : null;
      article(out, result.source().text(), model, dm, in, withJava);
    }
    out.append("<script>//<![CDATA[\n").append(resource("explain.js")).append("//]]></script>\n</body>\n</html>\n");
    return out.toString();
  }

  private static String pointText(List<String> assignments, Map<String, Integer> dims, Long seed) {
    List<String> parts = new ArrayList<>(assignments);
    dims.forEach((d, n) -> parts.add("--dim " + d + "=" + n));
    if (seed != null) parts.add("--random " + seed);
    return String.join(" ", parts);
  }

  private static void article(StringBuilder out, String source, ModelIR model, DiffModel dm, Interpreter in,
      boolean withJava) {
    out.append("<article class=\"model\" data-model=\"").append(esc(model.names().className())).append("\">\n");
    out.append("<h2>model ").append(esc(model.name())).append("</h2>\n<div class=\"grid\">\n");
    sourceSection(out, source, model);
    derivationSection(out, dm);
    graphSection(out, model, in); // the graph and the trace are wide: each takes a whole row
    traceSection(out, model, in);
    out.append("</div>\n");
    if (withJava) javaSection(out, dm);
    out.append("</article>\n");
  }

  // ---- the source: statements and declared names, by their spans ------------------------------------------------

  /** A region of one source line (columns from 1, end exclusive) that belongs to a model name. */
  private record Mark(int from, int to, String stmt, boolean statement) {}

  private static void sourceSection(StringBuilder out, String source, ModelIR model) {
    String[] lines = source.split("\r?\n", -1);
    Map<Integer, List<Mark>> marks = new TreeMap<>();
    NameTable names = model.names();
    for (ModelIR.Value v : model.values()) mark(marks, lines, v.span(), names.get(v.name()).java(), true);
    for (ModelIR.Leaf l : model.inputs()) mark(marks, lines, l.span(), names.get(l.name()).java(), false);
    for (ModelIR.Leaf l : model.params()) mark(marks, lines, l.span(), names.get(l.name()).java(), false);
    out.append("<section class=\"source\"><h3>The model</h3>\n<pre class=\"nn\">");
    int last = lines.length;
    while (last > 0 && lines[last - 1].isBlank()) last--;
    for (int n = 1; n <= last; n++) {
      String line = lines[n - 1];
      List<Mark> onLine = marks.getOrDefault(n, List.of());
      int col = 1;
      for (Mark m : onLine) {
        if (m.from() < col) continue; // overlapping: the first wins
        out.append(esc(columns(line, col, m.from())));
        out.append("<span class=\"").append(m.statement() ? "stmt" : "decl").append("\" tabindex=\"0\" data-stmt=\"")
            .append(esc(m.stmt())).append("\">").append(esc(columns(line, m.from(), m.to()))).append("</span>");
        col = m.to();
      }
      out.append(esc(columns(line, col, Integer.MAX_VALUE))).append('\n');
    }
    out.append("</pre>\n</section>\n");
  }

  private static void mark(Map<Integer, List<Mark>> marks, String[] lines, Span span, String stmt, boolean statement) {
    if (span == null || span.line() <= 0 || span.line() > lines.length) return;
    for (int n = span.line(); n <= Math.min(span.endLine(), lines.length); n++) {
      int from = n == span.line() ? span.col() : firstNonBlank(lines[n - 1]);
      int to = n == span.endLine() ? span.endCol() : lines[n - 1].codePointCount(0, lines[n - 1].length()) + 1;
      if (to <= from) continue;
      List<Mark> list = marks.computeIfAbsent(n, k -> new ArrayList<>());
      list.add(new Mark(from, to, stmt, statement));
      list.sort((a, b) -> Integer.compare(a.from(), b.from()));
    }
  }

  private static int firstNonBlank(String line) {
    int col = 1;
    for (int i = 0; i < line.length(); ) {
      int cp = line.codePointAt(i);
      if (!Character.isWhitespace(cp)) return col;
      i += Character.charCount(cp);
      col++;
    }
    return col;
  }

  /** Code points {@code [from, to)} of a line, columns from 1. */
  private static String columns(String line, int from, int to) {
    int n = line.codePointCount(0, line.length());
    int a = Math.min(Math.max(from, 1), n + 1) - 1;
    int b = Math.min(Math.max(to, 1), n + 1) - 1;
    if (b <= a) return "";
    return line.substring(line.offsetByCodePoints(0, a), line.offsetByCodePoints(0, b));
  }

  // ---- the graph -------------------------------------------------------------------------------------------------

  private static void graphSection(StringBuilder out, ModelIR model, Interpreter in) {
    out.append("<section class=\"graph\"><h3>Computation graph</h3>\n");
    out.append("<p class=\"legend\"><span class=\"k input\">input</span> <span class=\"k param\">param</span> "
        + "<span class=\"k loss\">loss</span>");
    if (in != null) out.append(" · <span class=\"value\">value</span> · <span class=\"gradient\">gradient</span>");
    out.append("</p>\n<div class=\"picture\">\n");
    out.append(GraphSvg.svg(GraphPicture.of(model, in, MathPrinter.Notation.UNICODE)));
    out.append("</div>\n</section>\n");
  }

  // ---- the chain rule in MathML ----------------------------------------------------------------------------------

  private static void derivationSection(StringBuilder out, DiffModel dm) {
    out.append("<section class=\"derivation\"><h3>The chain rule, step by step</h3>\n");
    out.append("<p class=\"note\">In the graph's reverse order: the step, the step with the local derivative "
        + "filled in, and the simplified result (as <code>nnc grad</code> prints it).</p>\n");
    NameTable names = dm.model().names();
    String loss = dm.model().lossValue().spelling();
    MathPrinter bare = MathPrinter.labelled(MathPrinter.Notation.MATHML, Map.of());
    List<dev.nnc.ir.Expr> printed = new ArrayList<>();
    for (Adjoint a : dm.inBackwardOrder()) {
      if (a.kind() == Adjoint.Kind.LOSS) continue;
      Label.Partial symbol = new Label.Partial(loss, a.spelling());
      Formula result = new Formula(a.value(), AdjointNames.of(dm, a), true);
      String rhs = Derivations.rhs(symbol, a.steps(), dm.explanation(), result, MathPrinter.Notation.MATHML,
          GradCommand.STEP_LIMIT * MATHML_WORDINESS, GradCommand.RESULT_LIMIT * MATHML_WORDINESS);
      StringBuilder math = new StringBuilder(bare.label(symbol));
      if (!a.value().shape().isScalar()) {
        math.append("<mspace width=\"0.3em\"/><mtext class=\"shape\">").append(esc(a.value().shape().toString()))
            .append("</mtext>");
      }
      math.append(rhs);
      Set<String> via = new LinkedHashSet<>();
      for (Step s : a.steps()) {
        NameTable.Entry e = names.get(s.consumer().name());
        if (e != null) via.add(e.java());
      }
      out.append("<div class=\"step\" tabindex=\"0\"").append(stmt(names, a.name())).append(" data-via=\"")
          .append(esc(String.join(" ", via))).append("\">")
          .append(Derivations.mathElement(math.toString())).append("</div>\n");
      for (Step s : a.steps()) printed.add(s.local());
      printed.add(a.value());
    }
    for (String note : Derivations.notes(printed, MathPrinter.Notation.UNICODE)) {
      out.append("<p class=\"where\">where ").append(esc(note)).append("</p>\n");
    }
    out.append("</section>\n");
  }

  // ---- the numeric trace -----------------------------------------------------------------------------------------

  private static void traceSection(StringBuilder out, ModelIR model, Interpreter in) {
    out.append("<section class=\"trace\"><h3>With numbers</h3>\n");
    if (in == null) {
      out.append("<p class=\"note\">Give a point to see every value and gradient: <code>NAME=VALUE</code> for "
          + "scalars, or <code>--random SEED</code> (as <code>nnc trace</code>).</p>\n</section>\n");
      return;
    }
    Trace.Split split = Trace.splitWithOwners(model);
    NameTable names = model.names();
    out.append("<pre class=\"rows\">");
    boolean forward = false;
    boolean backward = false;
    for (Trace.Row r : Trace.rows(split.model(), in, MathPrinter.Notation.UNICODE)) {
      if (r.forward() && !forward) {
        forward = true;
        out.append("<span class=\"pass\">forward</span>\n");
      }
      if (!r.forward() && !backward) {
        backward = true;
        out.append("<span class=\"pass\">backward</span>\n");
      }
      String owner = split.statementOf().getOrDefault(r.name(), r.name());
      out.append("  <span class=\"row\"").append(stmt(names, owner)).append(">")
          .append(esc(r.text())).append("</span>\n");
    }
    out.append("</pre>\n</section>\n");
  }

  // ---- the generated Java ----------------------------------------------------------------------------------------

  private static void javaSection(StringBuilder out, DiffModel dm) {
    LineOwners java = JavaGenerator.generateWithOwners(dm, "", Precision.FLOAT64, Api.FULL);
    NameTable names = dm.model().names();
    Map<Integer, LineOwners.Line> byNumber = new TreeMap<>();
    for (LineOwners.Line l : java.lines()) byNumber.put(l.number(), l);
    out.append("<section class=\"java\"><h3>Generated Java: ").append(esc(java.file().relativePath()))
        .append("</h3>\n<pre class=\"java\">");
    String[] lines = java.file().content().split("\n", -1);
    int count = lines.length - (lines[lines.length - 1].isEmpty() ? 1 : 0);
    for (int n = 1; n <= count; n++) {
      String text = lines[n - 1];
      boolean comment = text.strip().startsWith("//");
      LineOwners.Line owner = byNumber.get(n);
      out.append("<span class=\"jl").append(comment ? " c" : "").append("\" id=\"")
          .append(esc(names.className())).append("-L").append(n).append('"');
      if (owner != null) {
        out.append(stmt(names, owner.owner())).append(" data-pass=\"").append(owner.forward() ? "forward" : "backward")
            .append('"');
      }
      out.append('>').append(esc(text)).append("</span>\n");
    }
    out.append("</pre>\n</section>\n");
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  /**
   * {@code  data-stmt="…"}: the Java identifier of model name {@code id}; nothing for a name the table does not
   * have (nothing to tie it to, so it is simply not clickable).
   */
  private static String stmt(NameTable names, String id) {
    NameTable.Entry e = names.get(id);
    return e == null ? "" : " data-stmt=\"" + esc(e.java()) + "\"";
  }

  static String esc(String s) {
    return GraphPicture.html(s);
  }

  /** A text resource next to this class (the page's style sheet and script, kept as files to read them as such). */
  private static String resource(String name) {
    try (InputStream s = ExplainPage.class.getResourceAsStream(name)) {
      if (s == null) throw new IllegalStateException("missing resource " + name);
      return new String(s.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
