package dev.nnc.check;

import dev.nnc.ir.Expr;
import java.util.Locale;

/** A compact s-expression of an IR node, for assertions: {@code add(matmul(X,W1),bcast[1](b1→[B, H]))}. */
final class IrText {
  private IrText() {}

  static String of(Expr e) {
    if (e instanceof Expr.Var v) return v.name();
    if (e instanceof Expr.Const c) {
      String s = c.value() == Math.rint(c.value()) && Math.abs(c.value()) < 1e15
          ? Long.toString((long) c.value()) : Double.toString(c.value());
      return c.shape().isScalar() ? s : s + "→" + c.shape();
    }
    if (e instanceof Expr.DimSize d) return "#" + d.dim().name();
    if (e instanceof Expr.Unary u) {
      String op = u.op().name().toLowerCase(Locale.ROOT);
      return u.op() == dev.nnc.ir.UnaryOp.LEAKY_RELU ? op + "@" + u.param() + "(" + of(u.x()) + ")" : op + "(" + of(u.x()) + ")";
    }
    if (e instanceof Expr.Binary b) {
      return b.op().name().toLowerCase(Locale.ROOT) + "(" + of(b.a()) + "," + of(b.b()) + ")";
    }
    if (e instanceof Expr.Broadcast b) return "bcast" + b.axisMap() + "(" + of(b.x()) + "→" + b.shape() + ")";
    if (e instanceof Expr.Reduce r) {
      return r.op().name().toLowerCase(Locale.ROOT) + r.axes() + "(" + of(r.x()) + ")";
    }
    if (e instanceof Expr.MatMul m) return "matmul(" + of(m.a()) + "," + of(m.b()) + ")";
    if (e instanceof Expr.Transpose t) return "T(" + of(t.x()) + ")";
    if (e instanceof Expr.Softmax s) return "softmax@" + s.axis() + "(" + of(s.x()) + ")";
    Expr.LogSoftmax l = (Expr.LogSoftmax) e;
    return "log_softmax@" + l.axis() + "(" + of(l.x()) + ")";
  }
}
