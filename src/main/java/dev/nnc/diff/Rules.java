package dev.nnc.diff;

import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The derivative table: exactly one reverse-mode rule per IR operator. Given a node {@code Y = f(X₁, …)} and its
 * adjoint {@code dY = ∂L/∂Y}, a rule returns the contribution {@code ∂L/∂Xᵢ} through this node for every operand
 * that wants one ({@code null} = no contribution, i.e. zero).
 *
 * <p>Node kinds are an {@link Expr.Visitor}, and UnaryOp, BinaryOp and ReduceOp are exhaustive {@code switch}
 * expressions without a {@code default}, so adding an operator without its rule does not compile.
 *
 * <p>Rules reuse forward values where the textbook does ({@code σ' = a(1−a)} with {@code a} the σ node itself,
 * {@code tanh' = 1 − a²}, {@code exp' = exp}, {@code sqrt' = 1/(2√x)}). Everything is built with the graph's
 * smart constructors, which fold only the trivial (0·x, 1·x, x+0, …); simplification is a later pass. Scalar
 * rules put the incoming adjoint first ({@code dY · a(1−a)}) so that explanations read like the course notes.
 */
public final class Rules {
  private final Graph g;

  public Rules(Graph graph) {
    this.g = graph;
  }

  /**
   * The contributions of {@code node} to its operands' adjoints, aligned with {@link Expr#inputs()}; an entry is
   * null when {@code wanted} rejects that operand or the local derivative is identically zero.
   */
  public Expr[] adjoints(Expr node, Expr dY, Predicate<Expr> wanted) {
    return node.accept(new Table(dY, wanted));
  }

  // ---- helpers shared by the rules -------------------------------------------------------------------------

  /** A constant of the given shape (a tensor of that value). */
  private Expr constant(double v, Shape shape) {
    return g.constant(v, shape);
  }

  /** The value of a constant node (also through broadcasts of a constant), or null. */
  static Double constantValue(Expr e) {
    while (e instanceof Expr.Broadcast b) e = b.x();
    return e instanceof Expr.Const c ? c.value() : null;
  }

  /** {@code dY · f}, written {@code −f} when the incoming adjoint is the constant −1 (as after a leading minus). */
  private Expr times(Expr dY, Expr f) {
    Double c = constantValue(dY);
    if (c != null && c == -1 && dY.shape().equals(f.shape())) return g.neg(f);
    return g.mul(dY, f);
  }

  /** Expands {@code x} along {@code axisMap} to {@code shape}; a constant stays a (foldable) constant. */
  private Expr expand(Expr x, List<Integer> axisMap, Shape shape) {
    if (x instanceof Expr.Const c) return constant(c.value(), shape);
    return g.broadcast(x, axisMap, shape);
  }

  /** Broadcast back over the removed {@code axes} of a reduction of a tensor of {@code shape}. */
  private Expr expandOver(Expr reduced, List<Integer> axes, Shape shape) {
    List<Integer> map = new ArrayList<>();
    for (int i = 0; i < shape.rank(); i++) if (!axes.contains(i)) map.add(i);
    return expand(reduced, map, shape);
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
      Expr x = e.x();
      Shape s = e.shape();
      Expr dx = switch (e.op()) {
        case NEG -> g.neg(dY);
        case EXP -> times(dY, e); // exp' = exp: the node's own value
        case LOG -> g.div(dY, x);
        case SQRT -> g.div(dY, g.mul(constant(2, s), e)); // 1/(2√x), reusing √x
        case ABS -> times(dY, g.unary(UnaryOp.SIGN, x)); // abs'(0) = 0
        case SIN -> times(dY, g.unary(UnaryOp.COS, x));
        case COS -> g.neg(times(dY, g.unary(UnaryOp.SIN, x)));
        case TANH -> times(dY, g.sub(constant(1, s), g.pow(e, constant(2, s)))); // 1 − a²
        case SIGMOID -> times(dY, g.mul(e, g.sub(constant(1, s), e))); // a(1−a)
        case RELU -> times(dY, g.unary(UnaryOp.STEP, x)); // relu'(0) = 0
        case LEAKY_RELU -> times(dY, g.unary(UnaryOp.LEAKY_STEP, x, e.param()));
        case SOFTPLUS -> times(dY, g.unary(UnaryOp.SIGMOID, x));
        case STEP, LEAKY_STEP, SIGN -> null; // piecewise constant: derivative 0 wherever it exists
      };
      return new Expr[] {dx};
    }

    @Override
    public Expr[] visitBinary(Expr.Binary e) {
      Expr a = e.a();
      Expr b = e.b();
      boolean wa = want(a);
      boolean wb = want(b);
      Shape s = e.shape();
      Expr da = null;
      Expr db = null;
      switch (e.op()) {
        case ADD -> {
          if (wa) da = dY;
          if (wb) db = dY;
        }
        case SUB -> {
          if (wa) da = dY;
          if (wb) db = g.neg(dY);
        }
        case MUL -> {
          if (wa) da = times(dY, b);
          if (wb) db = times(dY, a);
        }
        case DIV -> {
          if (wa) da = g.div(dY, b);
          if (wb) db = g.neg(g.div(times(dY, a), g.pow(b, constant(2, s)))); // −dY·a/b²
        }
        case POW -> {
          if (wa) {
            Double c = constantValue(b);
            Expr exponentLessOne = c != null ? constant(c - 1, s) : g.sub(b, constant(1, s));
            da = times(dY, g.mul(b, g.pow(a, exponentLessOne))); // b·a^(b−1)
          }
          if (wb) db = times(dY, g.mul(e, g.unary(UnaryOp.LOG, a))); // a^b·log a
        }
        case MAX -> { // ties go to the first operand
          Expr first = g.rawBinary(BinaryOp.GE, a, b);
          if (wa) da = times(dY, first);
          if (wb) db = times(dY, g.sub(constant(1, s), first));
        }
        case MIN -> { // a is the minimum where b ≥ a; ties go to the first operand
          Expr first = g.rawBinary(BinaryOp.GE, b, a);
          if (wa) da = times(dY, first);
          if (wb) db = times(dY, g.sub(constant(1, s), first));
        }
        case GE -> {
          // a selector: piecewise constant, derivative 0
        }
      }
      return new Expr[] {da, db};
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
      Expr x = e.x();
      if (!want(x)) return new Expr[] {null};
      Shape xs = x.shape();
      Expr spread = expandOver(dY, e.axes(), xs);
      Expr dx = switch (e.op()) {
        case SUM -> spread;
        case MAX -> selected(dY, g.rawBinary(BinaryOp.GE, x, expandOver(e, e.axes(), xs)), e.axes(), xs);
        case MIN -> selected(dY, g.rawBinary(BinaryOp.GE, expandOver(e, e.axes(), xs), x), e.axes(), xs);
        case LOGSUMEXP -> g.mul(g.unary(UnaryOp.EXP, g.sub(x, expandOver(e, e.axes(), xs))), spread);
      };
      return new Expr[] {dx};
    }

    /**
     * The adjoint of a max/min reduction: {@code dY} goes to the elements the selector {@code mask} picks, shared
     * equally among ties ({@code dY / Σ mask}), so that copies of one value (a broadcast) get 1 in total, as the
     * derivative of max(p, p) = p is.
     */
    private Expr selected(Expr dY, Expr mask, List<Integer> axes, Shape xs) {
      Expr share = g.div(dY, g.reduce(ReduceOp.SUM, mask, axes));
      return g.mul(expandOver(share, axes, xs), mask);
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
        if (want(a)) da = g.mul(expand(dY, List.of(), b.shape()), b);
        if (want(b)) db = g.mul(expand(dY, List.of(), a.shape()), a);
      }
      return new Expr[] {da, db};
    }

    /** u ⊗ v for vectors: a matrix [|u|, |v|], as two broadcasts and an elementwise product. */
    private Expr outer(Expr u, Expr v) {
      Dim m = u.shape().dim(0);
      Dim n = v.shape().dim(0);
      Shape s = Shape.of(m, n);
      return g.mul(expand(u, List.of(0), s), expand(v, List.of(1), s));
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
      Expr inner = expandOver(g.reduce(ReduceOp.SUM, g.mul(dY, e), axis), axis, e.shape());
      return new Expr[] {g.mul(e, g.sub(dY, inner))};
    }

    @Override
    public Expr[] visitLogSoftmax(Expr.LogSoftmax e) {
      if (!want(e.x())) return new Expr[] {null};
      // dX = dY − softmax(X) ⊙ Σ_axis dY
      List<Integer> axis = List.of(e.axis());
      Expr total = expandOver(g.reduce(ReduceOp.SUM, dY, axis), axis, e.shape());
      return new Expr[] {g.sub(dY, g.mul(g.softmax(e.x(), e.axis()), total))};
    }
  }
}
