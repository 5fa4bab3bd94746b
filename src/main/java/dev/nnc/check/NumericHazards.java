package dev.nnc.check;

import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Source;
import dev.nnc.diag.Span;
import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.StablePatterns;
import dev.nnc.ir.UnaryOp;
import dev.nnc.prim.Range;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The numeric-hazard warnings (issue 11): {@code log} or {@code sqrt} of something that can be 0 or negative
 * (W0504, W0505), a division by something that can be 0 (W0506), {@code exp} of something that can exceed the
 * overflow point 709.78 (W0507). A {@link Range} per node, computed in one pass in id order (the graph's topological
 * order, so no recursion however deep the model): inputs and params are any real; constants, dims ({@code ≥ 1}),
 * σ, softmax and exp bring what is known; {@code x − max(x)} is at most 0. An {@code exp} that only a stable form
 * reads ({@link StablePatterns}: the compiler computes {@code log Σ exp}, {@code log(1 + exp)}, a hand-written σ or
 * softmax without it) is not a hazard.
 */
final class NumericHazards {
  private NumericHazards() {}

  /**
   * Warns about the nodes reachable from {@code roots} that were written in the source ({@code sites}); {@code kept}
   * are the nodes whose values the user receives as they are (outputs, the loss).
   */
  static void report(Graph graph, Collection<Expr> roots, Collection<Expr> kept, Map<Integer, dev.nnc.ast.Expr> sites,
      Source source, Diagnostics diags) {
    List<Expr> nodes = reachable(graph, roots);
    Range[] range = new Range[graph.size()];
    for (Expr e : nodes) range[e.id()] = range(e, range);
    BitSet stable = onlyReadByStableForms(graph, nodes, kept);
    for (Expr e : nodes) {
      dev.nnc.ast.Expr site = sites.get(e.id());
      if (site == null) continue;
      if (e instanceof Expr.Unary u) {
        Range x = range[u.x().id()];
        if (u.op() == UnaryOp.LOG && x.mayBeNonPositive()) {
          diags.warning(Code.LOG_OF_NONPOSITIVE, site.span(), "log of " + operand(source, site) + ", which can be "
              + (x.lo() < 0 ? "negative" : "0") + ": the loss or its gradient (1/x) can become −∞ or NaN",
              "log is safe on what is positive by construction (σ(z), softmax, exp, x² + ε): add a floor, e.g. "
                  + "log(x + 1e-7), or use log_softmax / softplus");
        } else if (u.op() == UnaryOp.SQRT && x.mayBeNonPositive()) {
          diags.warning(Code.SQRT_OF_NONPOSITIVE, site.span(), "√ of " + operand(source, site) + ", which can be "
              + (x.lo() < 0 ? "negative (NaN)" : "0") + ": its derivative 1/(2√x) is infinite at 0",
              "add a positive ε under the root, e.g. sqrt(x + 1e-8)");
        } else if (u.op() == UnaryOp.EXP && x.hi() > Range.EXP_OVERFLOW && !stable.get(e.id())) {
          diags.warning(Code.EXP_MAY_OVERFLOW, site.span(), "exp of " + operand(source, site) + ", which is not "
              + "bounded above: exp overflows to ∞ past 709.78 (and ∞/∞ or ∞·0 is NaN)",
              "subtract the maximum first, exp(x − max(x)), or write the stable function: softmax, logsumexp, "
                  + "softplus, σ (nnc also recognises log Σ exp, log(1 + exp x), 1/(1 + exp(−x)) and exp(x)/Σ exp(x))");
        }
      } else if (e instanceof Expr.Binary b && b.op() == BinaryOp.DIV && range[b.b().id()].mayBeZero()) {
        Span at = site instanceof dev.nnc.ast.Expr.Binary written ? written.right().span() : site.span();
        String divisor = site instanceof dev.nnc.ast.Expr.Binary written
            ? "'" + SourceText.slice(source, written.right().span()) + "'" : "the divisor";
        diags.warning(Code.DIVISOR_MAY_BE_ZERO, at, "division by " + divisor + ", which can be 0: the quotient "
            + "and its gradient (−a/b²) become ±∞ or NaN there",
            "divide by something positive by construction (a count, σ(z), exp(x), x² + ε), or add a floor: a/(b + 1e-8)");
      }
    }
  }

  /** The operand of a function call as written ({@code 'x − 1'}), or "its operand". */
  private static String operand(Source source, dev.nnc.ast.Expr site) {
    if (site instanceof dev.nnc.ast.Expr.Call c && c.args().size() == 1) {
      return "'" + SourceText.slice(source, c.args().get(0).value().span()) + "'";
    }
    return "'" + SourceText.slice(source, site.span()) + "'";
  }

  private static Range range(Expr e, Range[] r) {
    if (e instanceof Expr.Const c) return Range.point(c.value());
    if (e instanceof Expr.DimSize) return new Range(1, Double.POSITIVE_INFINITY, true);
    if (e instanceof Expr.Unary u) return Range.unary(u.op(), u.param(), r[u.x().id()]);
    if (e instanceof Expr.Binary b) {
      if (b.op() == BinaryOp.SUB && isMaxOf(b.b(), b.a())) return new Range(Double.NEGATIVE_INFINITY, 0, false);
      if (b.op() == BinaryOp.MUL && b.a() == b.b()) return r[b.a().id()].pow(Range.point(2)); // x x is a square
      return Range.binary(b.op(), r[b.a().id()], r[b.b().id()]);
    }
    if (e instanceof Expr.Broadcast b) return r[b.x().id()];
    if (e instanceof Expr.Transpose t) return r[t.x().id()];
    if (e instanceof Expr.Reduce red) {
      Range x = r[red.x().id()];
      if (red.op() == ReduceOp.SUM) return x.sumOfSome();
      if (red.op() == ReduceOp.MAX || red.op() == ReduceOp.MIN) return x;
      if (red.op() == ReduceOp.LOGSUMEXP) return new Range(x.lo(), Double.POSITIVE_INFINITY, false);
      return Range.ALL;
    }
    if (e instanceof Expr.MatMul m) {
      if (m.a() == m.b() && m.a().shape().rank() == 1) return r[m.a().id()].pow(Range.point(2)).sumOfSome(); // w·w
      return r[m.a().id()].mul(r[m.b().id()]).sumOfSome();
    }
    if (e instanceof Expr.Softmax) return new Range(0, 1, true);
    if (e instanceof Expr.LogSoftmax) return new Range(Double.NEGATIVE_INFINITY, 0, false);
    if (e instanceof Expr.Custom c) return r[c.value().id()];
    return Range.ALL; // inputs, params, layers, ∂
  }

  /** Whether {@code m} is {@code max(x)} over some axes, maybe broadcast back ({@code x − max(x, keepdims)} ≤ 0). */
  private static boolean isMaxOf(Expr m, Expr x) {
    while (m instanceof Expr.Broadcast b) m = b.x();
    return m instanceof Expr.Reduce r && r.op() == ReduceOp.MAX && r.x() == x;
  }

  /**
   * The nodes inside a stable form ({@link StablePatterns}) that nothing else reads: a node of a match's interior
   * stays when every reader is the match's root or another such node, and the user does not receive its value.
   */
  private static BitSet onlyReadByStableForms(Graph graph, List<Expr> nodes, Collection<Expr> kept) {
    BitSet interior = new BitSet();
    BitSet roots = new BitSet();
    for (Expr n : nodes) {
      BitSet seen = new BitSet();
      StablePatterns.Match m = StablePatterns.match(n, n.inputs(), x -> {
        seen.set(x.id());
        return x;
      });
      if (m == null) continue;
      roots.set(n.id());
      interior.or(seen);
    }
    for (Expr k : kept) interior.clear(k.id());
    if (interior.isEmpty()) return interior;
    List<List<Expr>> readers = new ArrayList<>(graph.size());
    for (int i = 0; i < graph.size(); i++) readers.add(null);
    for (Expr n : nodes) {
      for (Expr in : n.inputs()) {
        if (!interior.get(in.id())) continue;
        if (readers.get(in.id()) == null) readers.set(in.id(), new ArrayList<>());
        readers.get(in.id()).add(n);
      }
    }
    ArrayDeque<Integer> work = new ArrayDeque<>();
    for (int id = interior.nextSetBit(0); id >= 0; id = interior.nextSetBit(id + 1)) work.add(id);
    while (!work.isEmpty()) {
      int id = work.poll();
      if (!interior.get(id)) continue;
      List<Expr> rs = readers.get(id);
      boolean ok = true;
      if (rs != null) for (Expr r : rs) ok &= roots.get(r.id()) || interior.get(r.id());
      if (ok) continue;
      interior.clear(id);
      for (Expr in : graph.node(id).inputs()) if (interior.get(in.id())) work.add(in.id());
    }
    return interior;
  }

  private static List<Expr> reachable(Graph graph, Collection<Expr> roots) {
    BitSet seen = new BitSet();
    ArrayDeque<Expr> stack = new ArrayDeque<>(roots);
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (seen.get(e.id())) continue;
      seen.set(e.id());
      for (Expr in : e.inputs()) stack.push(in);
    }
    List<Expr> out = new ArrayList<>();
    for (int id = seen.nextSetBit(0); id >= 0; id = seen.nextSetBit(id + 1)) out.add(graph.node(id));
    return out;
  }
}
