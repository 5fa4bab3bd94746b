package dev.nnc.diff;

import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Role;
import dev.nnc.notation.Explanation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives the local form of each chain-rule {@link Step}: the contribution of one statement to the adjoint of a
 * value it reads, as IR of the {@link Explanation} graph ({@code ∂L/∂a · a(1−a)} for {@code a = σ(z)}).
 *
 * <p>The statement is copied into the explanation graph in which every other statement's value is a symbol named by
 * its spelling and the incoming adjoint is the symbol {@code ∂L/∂a}; the same {@link Rules} then run on the copy.
 * So the form shows the rule as applied, independently of how the real adjoints fold or share nodes. The copy of a
 * statement's root is a symbol too (its name), which makes reused forward values read as in the course notes.
 */
final class Explainer {
  private final Map<Expr, ModelIR.Value> namedBy;
  private final boolean[] active;
  private final String lossName;
  private final Map<Expr, String> leafSpelling = new HashMap<>();
  private final Graph scratch = new Graph();
  private final Rules rules = new Rules(scratch);
  private final Map<Expr, Explanation.Symbol> symbols = new HashMap<>();

  Explainer(ModelIR model, Map<Expr, ModelIR.Value> namedBy, boolean[] active, String lossName) {
    this.namedBy = namedBy;
    this.active = active;
    this.lossName = lossName;
    for (ModelIR.Leaf leaf : model.inputs()) leafSpelling.put(leaf.var(), leaf.spelling());
    for (ModelIR.Leaf leaf : model.params()) leafSpelling.put(leaf.var(), leaf.spelling());
  }

  /** How a node read by a statement is written: its value's or leaf's spelling. */
  String spellingOf(Expr node) {
    ModelIR.Value v = namedBy.get(node);
    if (v != null) return v.spelling();
    String s = leafSpelling.get(node);
    if (s != null) return s;
    return node instanceof Expr.Var var ? var.name() : "?";
  }

  /** Everything derived so far: the explanation graph and its symbols. */
  Explanation explanation() {
    return new Explanation(scratch, symbols, lossName);
  }

  /** The local form of {@code statement}'s contribution to each of {@code leaves} (boundary nodes it reads). */
  Map<Expr, Expr> locals(ModelIR.Value statement, boolean isLoss, Collection<Expr> leaves) {
    Expr root = statement.node();
    // the statement's own nodes: everything below the root up to other statements' values and the leaves
    List<Expr> region = new ArrayList<>();
    Deque<Expr> stack = new ArrayDeque<>();
    Set<Expr> seen = new HashSet<>();
    stack.push(root);
    seen.add(root);
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      region.add(e);
      if (e != root && isBoundary(e)) continue;
      for (int k = 0; k < e.arity(); k++) {
        Expr in = e.input(k);
        if (seen.add(in)) stack.push(in);
      }
    }
    region.sort((a, b) -> Integer.compare(a.id(), b.id()));

    Map<Expr, Expr> copy = new HashMap<>();
    Map<Expr, Expr> original = new HashMap<>();
    Set<Expr> scratchActive = new HashSet<>();
    Set<Expr> scratchBoundary = new HashSet<>();
    Copier copier = new Copier(copy);
    for (Expr e : region) {
      Expr c;
      if (e != root && isBoundary(e)) {
        c = symbolVar(e);
        symbols.put(c, new Explanation.Symbol(spellingOf(e), e, false));
        scratchBoundary.add(c);
        original.put(c, e);
      } else {
        c = e.accept(copier);
        if (e instanceof Expr.Var) symbols.put(c, new Explanation.Symbol(spellingOf(e), e, false));
      }
      copy.put(e, c);
      if (active[e.id()]) scratchActive.add(c);
    }
    Expr rootCopy = copy.get(root);
    if (!(rootCopy instanceof Expr.Var)) symbols.put(rootCopy, new Explanation.Symbol(statement.spelling(), root, false));
    Expr seed;
    if (isLoss) {
      seed = scratch.constant(1, root.shape());
    } else {
      // a var name no model name can take (· is an operator), so the symbol never meets a value's symbol; what it
      // prints as is the symbol below (∂L/∂name, spelled by the printers), not this name
      seed = scratch.var("adjoint·" + lossName + "·" + statement.name(), Role.INPUT, root.shape());
      symbols.put(seed, new Explanation.Symbol(statement.spelling(), root, true));
    }
    Map<Expr, Expr> contributions = Differentiator.propagate(scratch, rules, rootCopy, seed,
        e -> e != rootCopy && scratchBoundary.contains(e), scratchActive::contains, true);
    Map<Expr, Expr> out = new HashMap<>();
    for (Map.Entry<Expr, Expr> c : contributions.entrySet()) {
      Expr leaf = original.get(c.getKey());
      if (leaf != null && leaves.contains(leaf)) out.put(leaf, withoutDoubleNegations(c.getValue()));
    }
    for (Expr leaf : leaves) out.putIfAbsent(leaf, scratch.constant(0, leaf.shape()));
    return out;
  }

  /**
   * The form as a learner writes it: {@code −(−u)} → {@code u}, {@code −(−u/v)} → {@code u/v}, {@code −(u·(−v))} →
   * {@code u·v} (the rules negate a term the chain rule negated already: {@code −(−(1−y)/(1−a))}). Equal in value;
   * only the explanation's copy is rewritten, bottom-up in id order.
   */
  private Expr withoutDoubleNegations(Expr root) {
    List<Expr> nodes = new ArrayList<>();
    Deque<Expr> stack = new ArrayDeque<>();
    Set<Expr> seen = new HashSet<>();
    stack.push(root);
    boolean negation = false;
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (!seen.add(e)) continue;
      nodes.add(e);
      negation |= e instanceof Expr.Unary u && u.op() == dev.nnc.ir.UnaryOp.NEG;
      if (!symbols.containsKey(e)) for (int k = 0; k < e.arity(); k++) stack.push(e.input(k));
    }
    // Only a minus can be dropped (withoutNegation looks no further than these nodes): without one, the form is
    // already as written (most statements' forms, such as ∂L/∂v · (1 − v²) · w).
    if (!negation) return root;
    nodes.sort((a, b) -> Integer.compare(a.id(), b.id()));
    Map<Expr, Expr> tidy = new HashMap<>();
    for (Expr e : nodes) {
      Expr t = e;
      if (symbols.containsKey(e)) {
        tidy.put(e, e); // a name (maybe of a computed copy): printed as the name
        continue;
      }
      if (e instanceof Expr.Unary u && u.op() == dev.nnc.ir.UnaryOp.NEG) {
        Expr x = tidy.get(u.x());
        Expr positive = withoutNegation(x);
        t = positive != null ? positive : x == u.x() ? e : scratch.rawUnary(u.op(), x, u.param());
      } else if (e instanceof Expr.Binary b) {
        Expr a = tidy.get(b.a());
        Expr c = tidy.get(b.b());
        Expr positive = b.op() == dev.nnc.ir.BinaryOp.SUB ? withoutNegation(c) : null;
        if (positive != null) t = scratch.rawBinary(dev.nnc.ir.BinaryOp.ADD, a, positive); // a − (−u) → a + u
        else if (a != b.a() || c != b.b()) t = scratch.rawBinary(b.op(), a, c);
      } // other kinds keep their operands as they are
      tidy.put(e, t);
    }
    return tidy.get(root);
  }

  /**
   * {@code −x} without its minus when {@code x} carries one ({@code −u}, {@code −u/v}, {@code u·(−v)}, and so on
   * into the factors of a product); else null.
   */
  private Expr withoutNegation(Expr x) {
    if (x instanceof Expr.Unary n && n.op() == dev.nnc.ir.UnaryOp.NEG) return n.x();
    if (x instanceof Expr.Broadcast b && !symbols.containsKey(x)) { // −(1/m) spread over the batch
      Expr inner = withoutNegation(b.x());
      return inner == null ? null : scratch.broadcast(inner, b.axisMap(), b.shape());
    }
    if (x instanceof Expr.Binary b && (b.op() == dev.nnc.ir.BinaryOp.DIV || b.op() == dev.nnc.ir.BinaryOp.MUL)
        && !symbols.containsKey(x)) {
      Expr a = withoutNegation(b.a()); // −(1/m) · Y / A: the minus sits on the first factor of a product
      if (a != null) return scratch.rawBinary(b.op(), a, b.b());
      Expr c = withoutNegation(b.b());
      if (c != null) return scratch.rawBinary(b.op(), b.a(), c);
    }
    return null;
  }

  /** The explanation graph's symbol for the model node {@code e}, read by a statement (made once per node). */
  private Expr symbolVar(Expr e) {
    Expr c = symbolVars.get(e);
    if (c == null) {
      c = scratch.var(spellingOf(e), Role.INPUT, e.shape());
      symbolVars.put(e, c);
    }
    return c;
  }

  private final Map<Expr, Expr> symbolVars = new HashMap<>();

  private boolean isBoundary(Expr e) {
    return namedBy.containsKey(e) || e instanceof Expr.Var;
  }

  /** Rebuilds a node in the scratch graph from its copied operands, without folding. */
  private final class Copier implements Expr.Visitor<Expr> {
    private final Map<Expr, Expr> copy;

    Copier(Map<Expr, Expr> copy) {
      this.copy = copy;
    }

    private Expr c(Expr e) {
      return copy.get(e);
    }

    public Expr visitConst(Expr.Const e) {
      return scratch.constant(e.value(), e.shape());
    }

    public Expr visitVar(Expr.Var e) {
      return scratch.var(e.name(), e.role(), e.shape());
    }

    public Expr visitDimSize(Expr.DimSize e) {
      return scratch.dimSize(e.dim());
    }

    public Expr visitUnary(Expr.Unary e) {
      return scratch.rawUnary(e.op(), c(e.x()), e.param());
    }

    public Expr visitBinary(Expr.Binary e) {
      return scratch.rawBinary(e.op(), c(e.a()), c(e.b()));
    }

    public Expr visitBroadcast(Expr.Broadcast e) {
      return scratch.broadcast(c(e.x()), e.axisMap(), e.shape());
    }

    public Expr visitReduce(Expr.Reduce e) {
      return scratch.reduce(e.op(), c(e.x()), e.axes());
    }

    public Expr visitMatMul(Expr.MatMul e) {
      return scratch.matmul(c(e.a()), c(e.b()));
    }

    public Expr visitTranspose(Expr.Transpose e) {
      return scratch.transpose(c(e.x()));
    }

    public Expr visitSoftmax(Expr.Softmax e) {
      return scratch.softmax(c(e.x()), e.axis());
    }

    public Expr visitLogSoftmax(Expr.LogSoftmax e) {
      return scratch.logSoftmax(c(e.x()), e.axis());
    }

    public Expr visitLayer(Expr.Layer e) {
      List<Expr> args = new java.util.ArrayList<>();
      for (Expr a : e.args()) args.add(c(a));
      return scratch.layer(e.op(), args, e.ints(), e.shape());
    }

    public Expr visitCustom(Expr.Custom e) {
      return scratch.custom(e.function(), e.exact(), e.args().stream().map(this::c).toList(), c(e.value()),
          e.rules().stream().map(this::c).toList());
    }

    public Expr visitRecur(Expr.Recur e) {
      return Derivatives.recurOver(scratch, e, e.inputs().stream().map(this::c).toList());
    }

    public Expr visitRecurGrad(Expr.RecurGrad e) {
      return scratch.recurGrad((Expr.Recur) c(e.of()), c(e.seed()), e.operand());
    }

    public Expr visitDerivative(Expr.Derivative e) {
      throw new IllegalStateException("∂ is expanded (Derivatives) before the reverse pass");
    }
  }
}
