package dev.nnc.diff;

import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.notation.MathPrinter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The first pass of {@code diff}: replaces every {@code ∂E/∂x} the model writes ({@link Expr.Derivative}, made by
 * lowering) with its symbolic derivative, so the model's own reverse pass, the simplifier and codegen only ever see
 * ordinary nodes. Lowering cannot do this itself: it comes before {@code diff} in the stage order, so it only marks
 * the place.
 *
 * <p>Statements are expanded in definition order and the nodes of one statement in id order, so an inner
 * derivative is expanded before an outer one that reads it ({@code g = ∂L/∂w}, then {@code Hv = ∂(g · v)/∂w}
 * differentiates the expanded {@code g}). Each {@code ∂E/∂x} is the reverse pass of a sub-model: the statements
 * before it (already expanded), {@code E} as its loss (a name, or a value made for a parenthesised expression) and
 * {@code x} as its only param (an input too). The caller passes the differentiator to run on it — the whole middle
 * of the pipeline (stability rewrites, reverse pass, simplification) from {@code simplify}, which {@code diff}
 * cannot import — so the derivative the model computes is the simplified one, and the sub-model's steps are the
 * second-order explanation ({@link Expanded}).
 */
public final class Derivatives {
  private Derivatives() {}

  /**
   * One {@code ∂E/∂x} of the model, expanded: the statement it occurs in, {@code E} and {@code x} in display
   * spelling, and the derivation of the sub-model whose loss is {@code E} (its adjoint of {@code x} is the value).
   */
  public record Expanded(String valueName, String of, String wrt, DiffModel derivation) {}

  /** The model with every derivative expanded, and the derivations in order of expansion. */
  public record Result(ModelIR model, List<Expanded> expanded) {}

  /** Whether any value of the model reads a {@code ∂} (one walk over the whole graph: linear in its size). */
  public static boolean present(ModelIR model) {
    if (!model.graph().hasDerivatives()) return false;
    BitSet seen = new BitSet();
    Deque<Expr> stack = new ArrayDeque<>();
    for (ModelIR.Value v : model.values()) stack.push(v.node());
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (seen.get(e.id())) continue;
      seen.set(e.id());
      if (e instanceof Expr.Derivative) return true;
      for (Expr in : e.inputs()) stack.push(in);
    }
    return false;
  }

  /**
   * Expands every {@code ∂} of {@code model} with {@code differentiate} (a model → its reverse pass); the model's
   * graph gains the new nodes. A model without any is returned as it is.
   */
  public static Result expand(ModelIR model, Function<ModelIR, DiffModel> differentiate) {
    if (!present(model)) return new Result(model, List.of());
    Graph g = model.graph();
    Map<Expr, Expr> done = new HashMap<>();
    List<ModelIR.Value> values = new ArrayList<>();
    List<Expanded> expanded = new ArrayList<>();
    for (ModelIR.Value v : model.values()) {
      for (Expr n : pending(v.node(), done)) {
        List<Expr> ins = new ArrayList<>(n.inputs().size());
        for (Expr in : n.inputs()) ins.add(done.get(in));
        if (n instanceof Expr.Derivative d) {
          Expanded e = derivation(model, values, v, ins.get(0), d.wrt(), differentiate);
          expanded.add(e);
          done.put(n, Differentiator.conform(g, e.derivation().adjoint(d.wrt().name()).value(), d.shape()));
        } else {
          done.put(n, rebuild(g, n, ins));
        }
      }
      values.add(new ModelIR.Value(v.name(), v.spelling(), done.get(v.node()), v.sourceText(), v.span()));
    }
    ModelIR out = new ModelIR(model.name(), model.sourceName(), model.span(), model.dims(), model.inputs(),
        model.params(), values, model.outputs(), model.loss(), g, model.names());
    return new Result(out, expanded);
  }

  /** The nodes under {@code root} not yet in {@code done}, in id (topological) order. */
  private static List<Expr> pending(Expr root, Map<Expr, Expr> done) {
    List<Expr> out = new ArrayList<>();
    Deque<Expr> stack = new ArrayDeque<>();
    BitSet seen = new BitSet();
    stack.push(root);
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (seen.get(e.id()) || done.containsKey(e)) continue;
      seen.set(e.id());
      out.add(e);
      for (Expr in : e.inputs()) stack.push(in);
    }
    out.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return out;
  }

  /** The sub-model of {@code ∂of/∂wrt} in statement {@code at}, differentiated. */
  private static Expanded derivation(ModelIR model, List<ModelIR.Value> before, ModelIR.Value at, Expr of,
      Expr.Var wrt, Function<ModelIR, DiffModel> differentiate) {
    List<ModelIR.Value> values = new ArrayList<>(before);
    Map<Expr, String> names = MathPrinter.names(model);
    ModelIR.Value loss = null;
    for (ModelIR.Value v : before) if (v.node() == of) loss = v;
    String ofText;
    if (loss != null) {
      ofText = loss.spelling();
    } else {
      for (ModelIR.Value v : before) names.putIfAbsent(v.node(), v.spelling());
      ofText = "(" + MathPrinter.unicode(names).print(of) + ")";
      loss = new ModelIR.Value("derivative·" + at.name() + "·" + of.id(), ofText, of, ofText, at.span());
      values.add(loss);
    }
    List<ModelIR.Leaf> inputs = new ArrayList<>();
    ModelIR.Leaf param = null;
    List<ModelIR.Leaf> leaves = new ArrayList<>(model.inputs());
    leaves.addAll(model.params());
    for (ModelIR.Leaf l : leaves) {
      if (l.var() == wrt) param = l;
      else inputs.add(l);
    }
    if (param == null) throw new IllegalStateException("a derivative by " + wrt.name() + ", not a leaf of " + model.name());
    ModelIR sub = new ModelIR(model.name(), model.sourceName(), model.span(), model.dims(), inputs, List.of(param),
        values, List.of(), loss.name(), model.graph());
    return new Expanded(at.name(), ofText, param.spelling(), differentiate.apply(sub));
  }

  /**
   * The derivative of {@code root} with every {@code ∂} in it expanded by the plain reverse pass (no named
   * statements, no simplification): the interpreter's semantics of a {@code ∂} node. Equal in value to what
   * {@link #expand} computes.
   */
  public static Expr expandPlain(Graph g, Expr root) {
    Map<Expr, Expr> done = new HashMap<>();
    for (Expr n : pending(root, done)) {
      List<Expr> ins = new ArrayList<>(n.inputs().size());
      for (Expr in : n.inputs()) ins.add(done.get(in));
      if (n instanceof Expr.Derivative d) done.put(n, gradient(g, ins.get(0), d.wrt()));
      else done.put(n, rebuild(g, n, ins));
    }
    return done.get(root);
  }

  /** ∂of/∂wrt by the statement-free reverse pass over {@code of}'s nodes; {@code of} holds no {@code ∂}. */
  public static Expr gradient(Graph g, Expr of, Expr.Var wrt) {
    if (of == wrt) return g.constant(1, wrt.shape());
    BitSet depends = new BitSet();
    for (int id = wrt.id(); id <= of.id(); id++) {
      Expr e = g.node(id);
      boolean d = e == wrt;
      for (Expr in : e.inputs()) d |= depends.get(in.id());
      if (d) depends.set(id);
    }
    if (!depends.get(of.id())) return g.constant(0, wrt.shape());
    Map<Expr, Expr> leaves = Differentiator.propagate(g, new Rules(g), of, g.constant(1, of.shape()),
        e -> e instanceof Expr.Var, e -> depends.get(e.id()));
    Expr c = leaves.get(wrt);
    return c == null ? g.constant(0, wrt.shape()) : Differentiator.conform(g, c, wrt.shape());
  }

  /** {@code e} over new operands (the same node when they are the same). */
  static Expr rebuild(Graph g, Expr e, List<Expr> in) {
    if (in.equals(e.inputs())) return e;
    return e.accept(new Expr.Visitor<Expr>() {
      public Expr visitConst(Expr.Const c) { return c; }
      public Expr visitVar(Expr.Var v) { return v; }
      public Expr visitDimSize(Expr.DimSize d) { return d; }
      public Expr visitUnary(Expr.Unary u) { return g.rawUnary(u.op(), in.get(0), u.param()); }
      public Expr visitBinary(Expr.Binary b) { return g.rawBinary(b.op(), in.get(0), in.get(1)); }
      public Expr visitBroadcast(Expr.Broadcast b) { return g.broadcast(in.get(0), b.axisMap(), b.shape()); }
      public Expr visitReduce(Expr.Reduce r) { return g.reduce(r.op(), in.get(0), r.axes()); }
      public Expr visitMatMul(Expr.MatMul m) { return g.matmul(in.get(0), in.get(1)); }
      public Expr visitTranspose(Expr.Transpose t) { return g.transpose(in.get(0)); }
      public Expr visitSoftmax(Expr.Softmax s) { return g.softmax(in.get(0), s.axis()); }
      public Expr visitLogSoftmax(Expr.LogSoftmax s) { return g.logSoftmax(in.get(0), s.axis()); }
      public Expr visitLayer(Expr.Layer l) { return g.layer(l.op(), in, l.ints(), l.shape()); }
      public Expr visitDerivative(Expr.Derivative d) { return g.derivative(in.get(0), (Expr.Var) in.get(1)); }
      public Expr visitCustom(Expr.Custom c) {
        int k = c.args().size();
        return g.custom(c.function(), c.exact(), in.subList(0, k), in.get(k), in.subList(k + 1, 2 * k + 1));
      }
      public Expr visitRecur(Expr.Recur r) { return recurOver(g, r, in); }
      public Expr visitRecurGrad(Expr.RecurGrad r) { return g.recurGrad((Expr.Recur) in.get(0), in.get(1), r.operand()); }
    });
  }

  /** The recurrence {@code r} over new operands (initial state, sequences, captures: in {@code r}'s order). */
  static Expr.Recur recurOver(Graph g, Expr.Recur r, List<Expr> in) {
    int s = r.seqs().size();
    return g.recur(r.rec(), in.get(0), in.subList(1, 1 + s), in.subList(1 + s, in.size()));
  }
}
