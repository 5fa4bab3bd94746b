package dev.nnc.cli;

import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.diff.Differentiator;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Shape;
import dev.nnc.notation.Derivations;
import dev.nnc.notation.Explanation;
import dev.nnc.notation.Label;
import dev.nnc.notation.MathPrinter;
import dev.nnc.notation.Step;
import dev.nnc.simplify.Simplifier;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A numeric chain-rule trace, as the course notes compute one by hand: the model split into one statement per
 * operation (unnamed intermediates get the course's names u, v, w, …: {@code J = 3(a + b c)} becomes
 * {@code u = b c}, {@code v = a + u}, {@code J = 3v}), the forward pass left to right with values, then every
 * adjoint in reverse order — a param right after the statement that completes it — as the symbolic step, the step
 * with local derivatives, the same step with numbers, and its value: {@code ∂J/∂b = ∂J/∂u · ∂u/∂b = ∂J/∂u · c =
 * 3 · 2 = 6}. Tensors print compactly (shape, first entries, norm) and are not substituted into steps.
 */
final class Trace {
  /** Names for unnamed intermediates, in the course's order; then u1, u2, … */
  private static final List<String> FRESH = List.of("u", "v", "w", "p", "q", "r", "s", "t");

  private final DiffModel model;
  private final Interpreter in;
  private final MathPrinter.Notation notation;
  private final Map<Expr, Expr> adjointOfValue = new HashMap<>();

  private Trace(DiffModel model, Interpreter in, MathPrinter.Notation notation) {
    this.model = model;
    this.in = in;
    this.notation = notation;
    for (Adjoint a : model.adjoints()) {
      ModelIR.Value v = model.model().value(a.name());
      if (v != null) adjointOfValue.putIfAbsent(v.node(), a.value());
    }
  }

  /**
   * The model split one statement per operation, and for each of its values the model id of the statement it came
   * from ({@code u} and {@code v} of {@code J = 3(a + b c)} → {@code J}; a statement's own value → itself).
   */
  record Split(ModelIR model, Map<String, String> statementOf) {}

  /** One line of a trace: a forward value or an adjoint (of the split model's {@code name}), as printed. */
  record Row(boolean forward, String name, String text) {}

  /** The model with one statement per operation (broadcasts and transposes stay inside their consumers). */
  static ModelIR split(ModelIR ir) {
    return splitWithOwners(ir).model();
  }

  /** {@link #split}, with the statement each value comes from. */
  static Split splitWithOwners(ModelIR ir) {
    // A ∂E/∂x value is expanded first, as the compiler does (the reverse pass has no rule for a ∂ node): the trace
    // then shows the operations that compute it, and the loss's adjoints flow through them.
    ir = Simplifier.expanded(ir).model();
    Map<String, String> statementOf = new HashMap<>();
    Set<String> taken = new HashSet<>();
    for (ModelIR.Leaf l : ir.inputs()) taken.add(l.name());
    for (ModelIR.Leaf l : ir.params()) taken.add(l.name());
    for (ModelIR.Value v : ir.values()) taken.add(v.name());
    for (ModelIR.DimInfo d : ir.dims()) taken.add(d.name());
    Set<Expr> named = new HashSet<>();
    for (ModelIR.Value v : ir.values()) named.add(v.node());
    Map<Expr, String> names = new HashMap<>(MathPrinter.names(ir));
    List<ModelIR.Value> values = new ArrayList<>();
    int[] next = {0};
    for (ModelIR.Value v : ir.values()) {
      List<Expr> own = new ArrayList<>();
      Deque<Expr> stack = new ArrayDeque<>();
      Set<Expr> seen = new HashSet<>();
      stack.push(v.node());
      while (!stack.isEmpty()) {
        Expr e = stack.pop();
        for (Expr x : e.inputs()) {
          if (named.contains(x) || x instanceof Expr.Var || !seen.add(x)) continue;
          own.add(x);
          stack.push(x);
        }
      }
      own.sort((a, b) -> Integer.compare(a.id(), b.id()));
      for (Expr e : own) {
        if (!isOperation(e)) continue;
        String name = fresh(taken, next);
        named.add(e);
        names.put(e, name);
        values.add(new ModelIR.Value(name, name, e, MathPrinter.unicode(names).printDefinition(e), v.span()));
        statementOf.put(name, v.name());
      }
      values.add(v);
      statementOf.put(v.name(), v.name());
    }
    return new Split(new ModelIR(ir.name(), ir.sourceName(), ir.span(), ir.dims(), ir.inputs(), ir.params(), values,
        ir.outputs(), ir.loss(), ir.graph()), Map.copyOf(statementOf));
  }

  private static boolean isOperation(Expr e) {
    return !(e instanceof Expr.Const || e instanceof Expr.DimSize || e instanceof Expr.Var
        || e instanceof Expr.Broadcast || e instanceof Expr.Transpose);
  }

  private static String fresh(Set<String> taken, int[] next) {
    while (true) {
      int i = next[0]++;
      String name = i < FRESH.size() ? FRESH.get(i) : "u" + (i - FRESH.size() + 1);
      if (taken.add(name)) return name;
    }
  }

  /** The trace of {@code ir} (already checked and lowered) at the point {@code in} binds. */
  static List<String> lines(ModelIR ir, Interpreter in, MathPrinter.Notation notation) {
    List<String> out = new ArrayList<>();
    boolean backward = false;
    out.add("forward");
    for (Row r : rows(split(ir), in, notation)) {
      if (!r.forward() && !backward) {
        backward = true;
        out.add("backward");
      }
      out.add("  " + r.text());
    }
    if (!backward) out.add("backward");
    return out;
  }

  /** The trace's lines as rows: forward values in order, then adjoints in backward order ({@code split} is split). */
  static List<Row> rows(ModelIR split, Interpreter in, MathPrinter.Notation notation) {
    DiffModel d = Differentiator.differentiate(split);
    return new Trace(d, in, notation).rows();
  }

  private List<Row> rows() {
    ModelIR ir = model.model();
    List<Row> out = new ArrayList<>();
    Map<Expr, Label> names = new HashMap<>();
    MathPrinter.names(ir).forEach((e, n) -> names.put(e, Label.name(n)));
    MathPrinter symbolic = MathPrinter.labelled(notation, names);
    for (ModelIR.Value v : ir.values()) {
      StringBuilder line = new StringBuilder(symbolic.label(Label.name(v.spelling())));
      Shape shape = v.node().shape();
      if (!shape.isScalar()) line.append(' ').append(shape);
      line.append(" = ").append(symbolic.printDefinition(v.node()));
      String numeric = numbersIn(v.node(), names, true);
      if (numeric != null) line.append(" = ").append(numeric);
      line.append(" = ").append(show(v.node()));
      out.add(new Row(true, v.name(), line.toString()));
    }
    for (Adjoint a : model.inBackwardOrder()) out.add(new Row(false, a.name(), backward(a)));
    return out;
  }

  private String backward(Adjoint a) {
    Label.Partial symbol = Label.adjoint(model.model().names(), a.name());
    MathPrinter bare = MathPrinter.labelled(notation, Map.of());
    StringBuilder line = new StringBuilder(bare.label(symbol));
    Shape shape = a.value().shape();
    if (!shape.isScalar()) line.append(' ').append(shape);
    List<Step> steps = a.steps();
    if (!steps.isEmpty()) {
      boolean chainIsTheAdjoint = steps.size() == 1 && steps.get(0).fromLoss();
      if (!chainIsTheAdjoint) line.append(" = ").append(Derivations.chain(symbol, steps, bare));
      Step only = steps.size() == 1 ? steps.get(0) : null;
      // the renderer shows a local factor 1 (∂J/∂a = ∂J/∂v · 1 = 3 · 1 = 3)
      line.append(" = ").append(Derivations.local(steps, model.explanation(), notation, 600));
      if (only != null && constant(only.local())) return line.toString(); // ∂J/∂v = 3
      boolean bareSymbol = only != null && !Derivations.passesOn(only, model.explanation())
          && model.explanation().symbols().containsKey(strip(only.local()));
      String numeric = bareSymbol ? null : numbersInSteps(steps); // ∂price/∂tax = apple_price = 200
      if (numeric != null) line.append(" = ").append(numeric);
    }
    line.append(" = ").append(show(a.value()));
    return line.toString();
  }

  private static boolean constant(Expr local) {
    return strip(local) instanceof Expr.Const;
  }

  private static Expr strip(Expr e) {
    while (e instanceof Expr.Broadcast b) e = b.x();
    return e;
  }

  /** The steps' local forms with every scalar symbol replaced by its value; null when none is scalar. */
  private String numbersInSteps(List<Step> steps) {
    Explanation ex = model.explanation();
    Map<Expr, Label> labels = new HashMap<>(ex.labels());
    boolean any = false;
    Deque<Expr> stack = new ArrayDeque<>();
    Set<Expr> seen = new HashSet<>();
    for (Step s : steps) stack.push(s.local());
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (!seen.add(e)) continue;
      Explanation.Symbol sym = ex.symbols().get(e);
      if (e instanceof Expr.DimSize d) {
        labels.put(e, new Label.Value(in.extent(d.dim())));
        any = true;
      } else if (sym != null && e.shape().isScalar()) {
        Expr node = sym.adjoint() ? adjointOfValue.get(sym.standsFor()) : sym.standsFor();
        if (node != null) {
          labels.put(e, new Label.Value(rounded(in.scalar(node))));
          any = true;
        }
      }
      if (sym == null) for (Expr x : e.inputs()) stack.push(x);
    }
    if (!any) return null;
    return Derivations.local(steps, ex, labels, notation, 600);
  }

  /** A value's definition with its scalar operands' values: {@code 3 · 2}; null when nothing is substituted. */
  private String numbersIn(Expr node, Map<Expr, Label> names, boolean expand) {
    Map<Expr, Label> labels = new HashMap<>(names);
    boolean any = false;
    for (Expr x : node.inputs()) {
      Expr e = x;
      while (e instanceof Expr.Broadcast b) e = b.x();
      if (e instanceof Expr.DimSize d) {
        labels.put(e, new Label.Value(in.extent(d.dim())));
        any = true;
      } else if (names.containsKey(e) && e.shape().isScalar()) {
        labels.put(e, new Label.Value(rounded(in.scalar(e))));
        any = true;
      }
    }
    if (!any) return null;
    MathPrinter p = MathPrinter.labelled(notation, labels);
    return expand ? p.printDefinition(node) : p.print(node);
  }

  /** A value for display: scalars to 10 significant digits (220, not 220.00000000000003); tensors compactly. */
  private String show(Expr node) {
    return show(in, node, notation);
  }

  /** A value for display: scalars to 10 significant digits; tensors as their first entries and norm. */
  static String show(Interpreter in, Expr node, MathPrinter.Notation notation) {
    double[] v = in.eval(node);
    MathPrinter p = MathPrinter.labelled(notation, Map.of());
    if (node.shape().isScalar()) return p.spell(rounded(v[0]));
    StringBuilder sb = new StringBuilder("[");
    int shown = Math.min(v.length, 4);
    for (int i = 0; i < shown; i++) sb.append(i > 0 ? ", " : "").append(p.spell(rounded4(v[i])));
    if (v.length > shown) sb.append(notation == MathPrinter.Notation.UNICODE ? ", …" : ", ...");
    double norm = 0;
    for (double x : v) norm += x * x;
    String normText = p.spell(rounded4(Math.sqrt(norm)));
    return sb.append("]").append(notation == MathPrinter.Notation.UNICODE ? "  ‖·‖ = " : "  norm = ").append(normText)
        .toString();
  }

  static double rounded(double v) {
    if (v == 0) return 0; // −0 reads as 0
    if (!Double.isFinite(v)) return v;
    return new BigDecimal(v).round(new MathContext(10)).doubleValue();
  }

  private static double rounded4(double v) {
    if (v == 0) return 0;
    if (!Double.isFinite(v)) return v;
    return new BigDecimal(v).round(new MathContext(4)).doubleValue();
  }

}
