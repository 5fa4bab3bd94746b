package dev.nnc.check;

import dev.nnc.ast.Expr.Binary;
import dev.nnc.ast.Expr.Num;
import dev.nnc.ast.Expr.Ref;
import dev.nnc.ast.Expr.StepRef;
import dev.nnc.ast.Name;
import dev.nnc.ast.Stmt;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Source;
import dev.nnc.diag.Span;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Recurrence;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.Role;
import dev.nnc.ir.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lowers a recurrence's step {@code h[t] = f(h[t−1], X[t], …)} (docs/language.md, "Recurrences"): its right-hand side
 * goes to a graph of its own, in which {@code h[t−1]}, every {@code X[t]} and every name of the model the step reads
 * are params of a small step model ({@link Recurrence}); the model's graph gets one {@link Expr.Recur} node over the
 * initial state, the sequences and the captured values. Checks: the index forms (E0226, E0227), the sequences' steps
 * (E0229), the step's shape against the initial state's (E0307), a step that ignores the state (W0503).
 */
final class RecurrenceLowering implements ExprLowerer.StepFrame {
  private final Stmt.StepAssign line;
  private final ExprLowerer outer;
  private final Scope scope;
  private final Source source;
  private final Diagnostics diags;
  private final Graph stepGraph = new Graph();
  private final String index;
  private final Expr.Var state;
  /** Sequences read as X[t]: the model's node, and the step model's param for its slice. */
  private final Map<String, Expr> seqs = new LinkedHashMap<>();
  private final Map<String, Expr.Var> slices = new LinkedHashMap<>();
  private final Map<String, String> sliceSpellings = new LinkedHashMap<>();
  /** Names of the model the step reads: the model's node, and the step model's param standing for it. */
  private final Map<String, Expr> captured = new LinkedHashMap<>();
  private final Map<String, Expr.Var> captures = new LinkedHashMap<>();
  private final Set<String> taken = new HashSet<>();
  private Dim steps;
  private String stepsFrom;

  private RecurrenceLowering(Stmt.StepAssign line, Shape stateShape, ExprLowerer outer, Scope scope, Source source,
      Diagnostics diags) {
    this.line = line;
    this.outer = outer;
    this.scope = scope;
    this.source = source;
    this.diags = diags;
    this.index = ((Ref) line.index()).name().id();
    taken.addAll(scope.spellings.keySet());
    taken.addAll(scope.dims.keySet());
    taken.addAll(scope.vars.keySet());
    this.state = stepGraph.var(fresh(line.target().id() + "_prev"), Role.PARAM, stateShape);
  }

  /**
   * The value {@code h} of the recurrence whose step is {@code line} and whose initial state is {@code init} (a node
   * of the model's graph), or null after reporting why not.
   */
  static ModelIR.Value lower(Stmt.StepAssign line, Expr init, ExprLowerer outer, Scope scope, Source source,
      Diagnostics diags) {
    return new RecurrenceLowering(line, init.shape(), outer, scope, source, diags).run(init, true);
  }

  /**
   * @param widen whether an initial state that broadcasts to the step's shape may be widened to it (a learned
   *     {@code h0[H]} for a batch of states {@code [B, H]}): the step is then lowered again with the wider state
   */
  private ModelIR.Value run(Expr init, boolean widen) {
    int errorsBefore = errors();
    Expr body = outer.forStep(stepGraph, this).lower(line.value());
    if (body == null || errors() > errorsBefore) return null;
    String h = line.target().spelling();
    if (widen && !init.shape().isScalar() && !body.shape().sameAs(init.shape())) {
      Shape wide = Shapes.broadcast(init.shape(), body.shape());
      if (wide != null && wide.sameAs(body.shape())) {
        Expr widened = outer.graph().broadcast(init, body.shape());
        return new RecurrenceLowering(line, body.shape(), outer, scope, source, diags).run(widened, false);
      }
    }
    if (!body.shape().sameAs(init.shape())) {
      diags.error(Code.RECURRENCE_SHAPE, line.value().span(), "the step " + h + "[" + index + "] is "
          + Shapes.describe(body.shape()) + " but the initial state " + h + "[0] is " + Shapes.describe(init.shape()),
          init.shape().isScalar() ? "h[0] sets the state's shape: declare it with that shape, e.g. 'param " + h
              + "0" + shapeText(new Shape(body.shape().dims().subList(body.shape().rank() - 1, body.shape().rank())))
              + "' (a learned initial state, zeros at first), and write '" + h + "[0] = " + h + "0'"
              : "the step's value becomes the next step's " + h + "[" + index + "−1]: both need one shape");
      return null;
    }
    if (slices.isEmpty()) {
      diags.error(Code.NOT_A_SEQUENCE, line.span(), "the step of '" + h + "' reads no sequence X[" + index + "]: its "
          + "steps' dim comes from the sequences it reads", "read an input over the steps, e.g. 'input X[T, I]' and "
          + "X[" + index + "] in the step");
      return null;
    }
    if (!reads(body, state)) {
      diags.warning(Code.STATE_UNUSED, line.value().span(), "the step of '" + h + "' does not read " + h + "["
          + index + "−1]: every step is computed alone", "write the recurrence with " + h + "[" + index + "−1], e.g. "
          + "tanh(" + h + "[" + index + "−1] Wh + X[" + index + "] Wx + b)");
    }
    Recurrence rec = new Recurrence(line.target().id(), h, index, steps, stepModel(body, init), state,
        List.copyOf(slices.values()), List.copyOf(captures.values()), seedVar, SourceText.slice(source,
            line.value().span()), line.span());
    Expr.Recur all = outer.graph().recur(rec, init, List.copyOf(seqs.values()),
        List.copyOf(captured.values()));
    scope.recurrences.put(line.target().id(), all);
    return new ModelIR.Value(line.target().id(), h, all, SourceText.slice(source, line.value().span()), line.span());
  }

  private Expr.Var seedVar;

  /** The step model: params h[t−1], the slices and the captures; input the seed; values h[t] and Σ h[t] ⊙ seed. */
  private ModelIR stepModel(Expr body, Expr init) {
    String h = line.target().spelling();
    String t = index;
    seedVar = stepGraph.var(fresh("g_" + line.target().id()), Role.INPUT, body.shape());
    Expr product = stepGraph.mul(body, seedVar);
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < body.shape().rank(); i++) all.add(i);
    Expr loss = all.isEmpty() ? product : stepGraph.reduce(ReduceOp.SUM, product, all);
    Span span = line.span();
    // What stands for a model input (X[t] of an input X, a captured input) is an input of the step: no gradient.
    List<ModelIR.Leaf> params = new ArrayList<>();
    List<ModelIR.Leaf> inputs = new ArrayList<>();
    params.add(new ModelIR.Leaf(state, h + "[" + t + "−1]", ModelIR.Init.ZEROS, span));
    for (Map.Entry<String, Expr.Var> s : slices.entrySet()) {
      Expr.Var v = s.getValue();
      String spelling = sliceSpellings.get(s.getKey());
      if (v.role() == Role.INPUT) inputs.add(new ModelIR.Leaf(v, spelling, null, span));
      else params.add(new ModelIR.Leaf(v, spelling, ModelIR.Init.ZEROS, span));
    }
    for (Map.Entry<String, Expr.Var> c : captures.entrySet()) {
      Expr.Var v = c.getValue();
      String spelling = scope.spellings.getOrDefault(c.getKey(), c.getKey());
      if (v.role() == Role.INPUT) inputs.add(new ModelIR.Leaf(v, spelling, null, span));
      else params.add(new ModelIR.Leaf(v, spelling, ModelIR.Init.ZEROS, span));
    }
    String seedSpelling = dev.nnc.notation.MathPrinter.labelled(dev.nnc.notation.MathPrinter.Notation.UNICODE, Map.of())
        .label(dev.nnc.notation.Label.partial(scope.lossSpelling, h + "[" + t + "]"));
    inputs.add(new ModelIR.Leaf(seedVar, seedSpelling, null, span));
    String lossId = fresh(scope.lossSpelling.equals(line.target().id()) ? "L" : scope.lossSpelling);
    String stateText = h + "[" + t + "]";
    List<ModelIR.Value> values = List.of(
        new ModelIR.Value(line.target().id(), stateText, body, SourceText.slice(source, line.value().span()), span),
        new ModelIR.Value(lossId, scope.lossSpelling, loss, "Σ " + stateText + " ⊙ " + seedSpelling, span));
    List<ModelIR.DimInfo> dims = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (Expr e : stepGraph.nodes()) {
      for (Dim d : e.shape().dims()) if (d.name() != null) used.add(d.name());
      if (e instanceof Expr.DimSize ds && ds.dim().name() != null) used.add(ds.dim().name());
    }
    for (ModelIR.DimInfo d : scope.dimInfos) if (used.contains(d.name())) dims.add(d);
    String name = "Step" + Character.toUpperCase(javaish(h).charAt(0)) + javaish(h).substring(1);
    return new ModelIR(name, source.name(), span, dims, inputs, params, values, List.of(line.target().id()), lossId,
        stepGraph);
  }

  private static String javaish(String s) {
    String t = dev.nnc.ir.JavaIdentifiers.transliterate(s);
    return t.isEmpty() ? "h" : t;
  }

  /**
   * E0230: a {@code ∂E/∂x} whose E reads a recurrence is computed by backpropagation through time; differentiating
   * it again (the loss, or another ∂, depends on it) would need the derivative of that loop, which nnc does not have.
   */
  static void secondOrder(Graph graph, Scope scope, Expr loss, Diagnostics diags) {
    List<Expr> roots = new ArrayList<>();
    roots.add(loss);
    for (Expr d : scope.derivativeSpans.keySet()) roots.add(((Expr.Derivative) d).of());
    java.util.BitSet seen = new java.util.BitSet();
    java.util.ArrayDeque<Expr> stack = new java.util.ArrayDeque<>(roots);
    List<Expr.Derivative> bad = new ArrayList<>();
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (seen.get(e.id())) continue;
      seen.set(e.id());
      if (e instanceof Expr.Derivative d && throughRecurrence(graph, d)) bad.add(d);
      stack.addAll(e.inputs());
    }
    bad.sort((a, b) -> Integer.compare(a.id(), b.id()));
    for (Expr.Derivative d : bad) {
      diags.error(Code.RECURRENCE_SECOND_ORDER, scope.derivativeSpans.get(d), "this derivative goes through a "
          + "recurrence (backpropagation through time) and is differentiated again (the loss or another ∂ depends "
          + "on it): second derivatives through a recurrence are not supported", "use it as an output, not in the "
          + "loss; a derivative with respect to something no recurrence reads (like ∂L/∂Wy) is fine");
    }
  }

  /** Whether ∂E/∂x runs backpropagation through time: E reads a recurrence whose operands depend on x. */
  private static boolean throughRecurrence(Graph graph, Expr.Derivative d) {
    java.util.BitSet onX = new java.util.BitSet();
    for (int id = d.wrt().id(); id <= d.of().id(); id++) {
      Expr e = graph.node(id);
      boolean r = e == d.wrt();
      for (Expr in : e.inputs()) r |= onX.get(in.id());
      if (r) onX.set(id);
    }
    java.util.BitSet seen = new java.util.BitSet();
    java.util.ArrayDeque<Expr> stack = new java.util.ArrayDeque<>(List.of(d.of()));
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (seen.get(e.id())) continue;
      seen.set(e.id());
      if (e instanceof Expr.Recur && onX.get(e.id())) return true;
      stack.addAll(e.inputs());
    }
    return false;
  }

  /**
   * A model input read by the step is an input of the step model (no gradient), unless some ∂E/∂x of the model
   * differentiates with respect to it; anything else is a param.
   */
  private Role roleFor(Expr outerNode) {
    return outerNode instanceof Expr.Var v && v.role() == Role.INPUT && !scope.differentiatedNames.contains(v.name())
        ? Role.INPUT : Role.PARAM;
  }

  private static boolean reads(Expr root, Expr leaf) {
    java.util.BitSet seen = new java.util.BitSet();
    java.util.ArrayDeque<Expr> stack = new java.util.ArrayDeque<>(List.of(root));
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (e == leaf) return true;
      if (seen.get(e.id())) continue;
      seen.set(e.id());
      stack.addAll(e.inputs());
    }
    return false;
  }

  private String fresh(String preferred) {
    String n = preferred;
    while (taken.contains(n)) n = n + "_";
    taken.add(n);
    return n;
  }

  private int errors() {
    int n = 0;
    for (dev.nnc.diag.Diagnostic d : diags.all()) if (d.isError()) n++;
    return n;
  }

  private static String shapeText(Shape s) {
    return s.dims().stream().map(Dim::toString).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
  }

  // ---- the step's names ----------------------------------------------------------------------------

  /** The step index offset of {@code t}, {@code t − k} or {@code t + k}; null if the index has another form. */
  private Integer offset(dev.nnc.ast.Expr e) {
    if (e instanceof Ref r && r.name().id().equals(index)) return 0;
    if (e instanceof Binary b && b.left() instanceof Ref r && r.name().id().equals(index) && b.right() instanceof Num n
        && (b.op() == dev.nnc.ast.Expr.BinaryOp.SUB || b.op() == dev.nnc.ast.Expr.BinaryOp.ADD)) {
      double v = n.value();
      if (v != Math.rint(v) || Math.abs(v) > 1e6) return null;
      return (int) (b.op() == dev.nnc.ast.Expr.BinaryOp.SUB ? -v : v);
    }
    return null;
  }

  @Override
  public Expr stepRef(StepRef r) {
    String id = r.name().id();
    String h = line.target().spelling();
    Integer k = offset(r.index());
    if (id.equals(line.target().id())) {
      if (k != null && k >= 0) {
        diags.error(Code.STEP_FUTURE, r.span(), "the step " + h + "[" + index + "] reads " + SourceText.slice(source,
            r.span()) + ", " + (k == 0 ? "the step being defined" : "a later step"), "a step reads the state before "
            + "it: " + h + "[" + index + "−1]");
        return null;
      }
      if (k == null || k != -1) {
        diags.error(Code.STEP_INDEX, r.index().span(), "the step " + h + "[" + index + "] reads its state as " + h
            + "[" + index + "−1], not " + SourceText.slice(source, r.span()), k == null ? "write " + h + "[" + index
            + "−1]" : "a recurrence keeps one state; to look further back, carry it in the state");
        return null;
      }
      return state;
    }
    if (k == null || k != 0) {
      diags.error(Code.STEP_INDEX, r.index().span(), "a sequence is read at the current step: " + r.name().spelling()
          + "[" + index + "], not " + SourceText.slice(source, r.span()), k != null && k > 0
          ? "a step cannot read a later element of a sequence" : "write " + r.name().spelling() + "[" + index + "]");
      return null;
    }
    Expr.Var slice = slices.get(id);
    if (slice != null) return slice;
    Expr whole = outer.resolve(r.name());
    if (whole == null) return null;
    if (whole.shape().isScalar()) {
      diags.error(Code.NOT_A_SEQUENCE, r.span(), "'" + r.name().spelling() + "' is a scalar, not a sequence over the"
          + " steps", "declare it over the steps, e.g. 'input " + r.name().spelling() + "[T, I]'");
      return null;
    }
    Dim first = whole.shape().dim(0);
    if (steps == null) {
      steps = first;
      stepsFrom = r.name().spelling();
    } else if (!steps.sameExtent(first)) {
      diags.error(Code.NOT_A_SEQUENCE, r.span(), "'" + r.name().spelling() + "' runs over " + first + " (its axis 0) "
          + "but '" + stepsFrom + "' over " + steps + ": one recurrence has one dim of steps",
          "give both sequences the same first axis");
      return null;
    }
    Shape sliceShape = new Shape(whole.shape().dims().subList(1, whole.shape().rank()));
    slice = stepGraph.var(fresh(id + "_" + index), roleFor(whole), sliceShape);
    seqs.put(id, whole);
    slices.put(id, slice);
    sliceSpellings.put(id, r.name().spelling() + "[" + index + "]");
    return slice;
  }

  @Override
  public Expr capture(Name name) {
    String id = name.id();
    Expr.Var c = captures.get(id);
    if (c != null) return c;
    if (id.equals(index)) {
      diags.error(Code.STEP_INDEX, name.span(), "the step index '" + name.spelling() + "' is no value: it only "
          + "indexes steps", "read a sequence at the step: X[" + name.spelling() + "]");
      return null;
    }
    Expr node = outer.resolve(name);
    if (node == null) return null;
    if (node instanceof Expr.Const) return stepGraph.constant(((Expr.Const) node).value(), node.shape());
    c = stepGraph.var(id, roleFor(node), node.shape());
    taken.add(id);
    captured.put(id, node);
    captures.put(id, c);
    return c;
  }
}
