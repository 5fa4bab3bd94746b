package dev.nnc.diff;

import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.Shape;
import dev.nnc.prim.BinaryPrim;
import dev.nnc.prim.Prims;
import dev.nnc.prim.RuleKit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The derivative table: exactly one reverse-mode rule per IR operator. Given a node {@code Y = f(X₁, …)} and its
 * adjoint {@code dY = ∂L/∂Y}, a rule returns the contribution {@code ∂L/∂Xᵢ} through this node for every operand
 * that wants one ({@code null} = no contribution, i.e. zero).
 *
 * <p>The rules of elementwise functions, binary operations and reductions are their entries' reverse rules in the
 * primitive registry ({@link Prims}); an entry without one fails the registry's completeness check when the class
 * loads, and a test checks every entry's rule against central differences on its test domain. The node kinds
 * that are not registry entries (broadcast, product, transpose, softmax, log_softmax) have their rules here, one
 * per {@link Expr.Visitor} method, so a new node kind without a rule does not compile.
 *
 * <p>Rules reuse forward values where the textbook does ({@code σ' = a(1−a)} with {@code a} the σ node itself,
 * {@code tanh' = 1 − a²}, {@code exp' = exp}, {@code sqrt' = 1/(2√x)}). Everything is built with the graph's
 * smart constructors, which fold only the trivial (0·x, 1·x, x+0, …); simplification is a later pass. Scalar
 * rules put the incoming adjoint first ({@code dY · a(1−a)}) so that explanations read like the course notes.
 */
public final class Rules {
  private final Graph g;
  private final RuleKit k;

  public Rules(Graph graph) {
    this.g = graph;
    this.k = new RuleKit(graph);
  }

  /**
   * The contributions of {@code node} to its operands' adjoints, aligned with {@link Expr#inputs()}; an entry is
   * null when {@code wanted} rejects that operand or the local derivative is identically zero.
   */
  public Expr[] adjoints(Expr node, Expr dY, Predicate<Expr> wanted) {
    return node.accept(new Table(dY, wanted));
  }

  private final class Table implements Expr.Visitor<Expr[]> {
    private final Expr dY;
    private final Predicate<Expr> wanted;

    Table(Expr dY, Predicate<Expr> wanted) {
      this.dY = dY;
      this.wanted = wanted;
    }

    private boolean want(Expr operand) {
      return wanted.test(operand);
    }

    @Override
    public Expr[] visitConst(Expr.Const e) {
      return new Expr[0];
    }

    @Override
    public Expr[] visitVar(Expr.Var e) {
      return new Expr[0];
    }

    @Override
    public Expr[] visitDimSize(Expr.DimSize e) {
      return new Expr[0];
    }

    @Override
    public Expr[] visitUnary(Expr.Unary e) {
      if (!want(e.x())) return new Expr[] {null};
      return new Expr[] {Prims.of(e.op()).reverse().apply(k, e, dY)};
    }

    @Override
    public Expr[] visitBinary(Expr.Binary e) {
      BinaryPrim p = Prims.of(e.op());
      return p.reverse().apply(k, e, dY, want(e.a()), want(e.b()));
    }

    @Override
    public Expr[] visitBroadcast(Expr.Broadcast e) {
      Expr x = e.x();
      if (!want(x)) return new Expr[] {null};
      Shape xs = x.shape();
      Shape ys = e.shape();
      // Sum over every result axis that repeats the operand: axes not in the map, and mapped operand axes of
      // extent 1 that were stretched. The stretched extent-1 axes are then put back (as extent 1) by a broadcast
      // with a map that skips them, so no reshape operator is needed.
      List<Integer> summed = new ArrayList<>();
      List<Integer> keptOperandAxes = new ArrayList<>();
      for (int r = 0; r < ys.rank(); r++) {
        int i = e.axisMap().indexOf(r);
        if (i < 0) {
          summed.add(r);
        } else if (xs.dim(i).isOne() && !ys.dim(r).isOne()) {
          summed.add(r);
        } else {
          keptOperandAxes.add(i);
        }
      }
      Expr reduced = g.reduce(ReduceOp.SUM, dY, summed);
      return new Expr[] {g.broadcast(reduced, keptOperandAxes, xs)};
    }

    @Override
    public Expr[] visitReduce(Expr.Reduce e) {
      if (!want(e.x())) return new Expr[] {null};
      return new Expr[] {Prims.of(e.op()).reverse().apply(k, e, dY)};
    }

    @Override
    public Expr[] visitMatMul(Expr.MatMul e) {
      Expr a = e.a();
      Expr b = e.b();
      int ra = a.shape().rank();
      int rb = b.shape().rank();
      Expr da = null;
      Expr db = null;
      if (ra == 2 && rb == 2) { // C = A B: dA = dC Bᵀ, dB = Aᵀ dC
        if (want(a)) da = g.matmul(dY, g.transpose(b));
        if (want(b)) db = g.matmul(g.transpose(a), dY);
      } else if (ra == 2 && rb == 1) { // c = A v: dA = dc ⊗ v, dv = Aᵀ dc
        if (want(a)) da = outer(dY, b);
        if (want(b)) db = g.matmul(g.transpose(a), dY);
      } else if (ra == 1 && rb == 2) { // c = v B: dv = B dc, dB = v ⊗ dc
        if (want(a)) da = g.matmul(b, dY);
        if (want(b)) db = outer(a, dY);
      } else { // c = u·v (dot): du = dc v, dv = dc u
        if (want(a)) da = g.mul(k.expand(dY, List.of(), b.shape()), b);
        if (want(b)) db = g.mul(k.expand(dY, List.of(), a.shape()), a);
      }
      return new Expr[] {da, db};
    }

    /** u ⊗ v for vectors: a matrix [|u|, |v|], as two broadcasts and an elementwise product. */
    private Expr outer(Expr u, Expr v) {
      Dim m = u.shape().dim(0);
      Dim n = v.shape().dim(0);
      Shape s = Shape.of(m, n);
      return g.mul(k.expand(u, List.of(0), s), k.expand(v, List.of(1), s));
    }

    @Override
    public Expr[] visitTranspose(Expr.Transpose e) {
      if (!want(e.x())) return new Expr[] {null};
      return new Expr[] {g.transpose(dY)};
    }

    @Override
    public Expr[] visitSoftmax(Expr.Softmax e) {
      if (!want(e.x())) return new Expr[] {null};
      // dX = Y ⊙ (dY − Σ_axis(dY ⊙ Y)), with Y the softmax node itself
      List<Integer> axis = List.of(e.axis());
      Expr inner = k.expandOver(g.reduce(ReduceOp.SUM, g.mul(dY, e), axis), axis, e.shape());
      return new Expr[] {g.mul(e, g.sub(dY, inner))};
    }

    @Override
    public Expr[] visitLogSoftmax(Expr.LogSoftmax e) {
      if (!want(e.x())) return new Expr[] {null};
      // dX = dY − softmax(X) ⊙ Σ_axis dY
      List<Integer> axis = List.of(e.axis());
      Expr total = k.expandOver(g.reduce(ReduceOp.SUM, dY, axis), axis, e.shape());
      return new Expr[] {g.sub(dY, g.mul(g.softmax(e.x(), e.axis()), total))};
    }

    @Override
    public Expr[] visitLayer(Expr.Layer e) {
      boolean[] w = new boolean[e.args().size()];
      boolean any = false;
      for (int i = 0; i < w.length; i++) any |= w[i] = want(e.args().get(i));
      if (!any) return new Expr[w.length];
      return Prims.of(e.op()).reverse().apply(k, e, dY, w);
    }

    /**
     * A user-given rule: argument i receives {@code dY ⊙ rule_i} (summed to a scalar argument); the value (the body)
     * and the rules themselves receive nothing, so the body's own derivative is never taken.
     */
    public Expr[] visitCustom(Expr.Custom e) {
      int n = e.args().size();
      Expr[] out = new Expr[2 * n + 1];
      for (int i = 0; i < n; i++) {
        Expr arg = e.args().get(i);
        if (!want(arg)) continue;
        Expr c = k.times(dY, e.rules().get(i));
        out[i] = arg.shape().isScalar() && !e.shape().isScalar() ? g.reduceAll(ReduceOp.SUM, c) : c;
      }
      return out;
    }

    /**
     * Backpropagation through time: every operand of the recurrence (initial state, sequences, captured values)
     * receives one {@link Expr.RecurGrad} — the loop that runs the step's reverse pass from the last step down.
     */
    public Expr[] visitRecur(Expr.Recur e) {
      List<Expr> in = e.inputs();
      Expr[] out = new Expr[in.size()];
      for (int i = 0; i < out.length; i++) if (want(in.get(i))) out[i] = g.recurGrad(e, dY, i);
      return out;
    }

    public Expr[] visitRecurGrad(Expr.RecurGrad e) {
      throw new UnsupportedOperationException("second derivatives through a recurrence are not supported");
    }

    public Expr[] visitDerivative(Expr.Derivative e) {
      throw new IllegalStateException("∂ is expanded (Derivatives) before any reverse pass reaches it");
    }
  }
}
