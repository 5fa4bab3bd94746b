package dev.nnc.simplify;


import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.UnaryOp;
import java.util.HashMap;
import java.util.Map;

/**
 * A test-only reverse mode over elementwise scalar/tensor graphs (plus scalar broadcasts, full sums and
 * vector dot products), written the way the chain rule reads — unsimplified, with the smart constructors' trivial
 * folds only — so the simplifier has realistic input before the real differentiator lands.
 */
final class MiniReverse {
  private final Graph g;
  private final Map<Integer, Expr> adj = new HashMap<>();

  MiniReverse(Graph g) {
    this.g = g;
  }

  /** Adjoints of every node under {@code loss} (id → ∂loss/∂node). */
  Map<Integer, Expr> run(Expr loss) {
    adj.put(loss.id(), g.constant(1));
    for (int id = loss.id(); id >= 0; id--) {
      Expr n = g.node(id);
      Expr d = adj.get(id);
      if (d == null) continue;
      if (n instanceof Expr.Unary u) {
        Expr x = u.x();
        Expr one = one(x);
        switch (u.op()) {
          case NEG -> add(x, g.neg(d));
          case LOG -> add(x, g.div(d, x));
          case EXP -> add(x, g.mul(d, n));
          case SIGMOID -> add(x, g.mul(d, g.mul(n, g.sub(one, n))));
          case TANH -> add(x, g.mul(d, g.sub(one, g.mul(n, n))));
          case SIN -> add(x, g.mul(d, g.unary(UnaryOp.COS, x)));
          case COS -> add(x, g.neg(g.mul(d, g.unary(UnaryOp.SIN, x))));
          case SQRT -> add(x, g.div(d, g.mul(g.constant(2, x.shape()), n)));
          case SOFTPLUS -> add(x, g.mul(d, g.unary(UnaryOp.SIGMOID, x)));
          default -> throw new IllegalArgumentException("no rule for " + u.op());
        }
      } else if (n instanceof Expr.Binary b) {
        Expr x = b.a();
        Expr y = b.b();
        switch (b.op()) {
          case ADD -> {
            add(x, d);
            add(y, d);
          }
          case SUB -> {
            add(x, d);
            add(y, g.neg(d));
          }
          case MUL -> {
            add(x, g.mul(d, y));
            add(y, g.mul(d, x));
          }
          case DIV -> {
            add(x, g.div(d, y));
            add(y, g.neg(g.div(g.mul(d, x), g.mul(y, y))));
          }
          case POW -> {
            double k = ((Expr.Const) y).value();
            add(x, g.mul(d, g.mul(g.constant(k, x.shape()), g.pow(x, g.constant(k - 1, y.shape())))));
          }
          default -> throw new IllegalArgumentException("no rule for " + b.op());
        }
      } else if (n instanceof Expr.Broadcast b) {
        add(b.x(), g.reduceAll(dev.nnc.ir.ReduceOp.SUM, d));
      } else if (n instanceof Expr.Reduce r) {
        add(r.x(), g.broadcast(d, r.x().shape()));
      } else if (n instanceof Expr.MatMul m && m.a().shape().rank() == 1 && m.b().shape().rank() == 1) {
        add(m.a(), g.mul(g.broadcast(d, m.b().shape()), m.b()));
        add(m.b(), g.mul(g.broadcast(d, m.a().shape()), m.a()));
      } else if (n instanceof Expr.MatMul m && m.a().shape().rank() == 1 && m.b().shape().rank() == 2) {
        add(m.a(), g.matmul(m.b(), d)); // ∂(wᵀX)/∂w: X·d (the matrix operand gets no adjoint here)
      }
    }
    return adj;
  }

  private Expr one(Expr like) {
    return g.constant(1, like.shape());
  }

  private void add(Expr x, Expr d) {
    Expr old = adj.get(x.id());
    adj.put(x.id(), old == null ? d : g.add(old, d));
  }

}
