package dev.nnc.codegen;

import dev.nnc.ir.Expr;
import dev.nnc.ir.ReduceOp;
import java.util.function.Function;

/**
 * Prints an IR expression in the model's notation for comments ({@code a − y}, {@code Xᵀ · ∂L/∂Z}). Nodes that
 * have a name in the model are printed by that name; the output is bounded (long expressions end in {@code …}).
 */
final class ExprText {
  private static final int BUDGET = 240;

  private final Function<Expr, String> nameOf;
  private int budget = BUDGET;

  private ExprText(Function<Expr, String> nameOf) {
    this.nameOf = nameOf;
  }

  private record T(String s, int prec) {}

  /** Prints {@code root} expanded one level at least; named sub-nodes by name. */
  static String print(Expr root, Function<Expr, String> nameOf) {
    return new ExprText(nameOf).expand(root).s;
  }

  private T node(Expr e) {
    String name = nameOf.apply(e);
    if (name != null) return new T(name, 9);
    return expand(e);
  }

  private T expand(Expr e) {
    if (budget <= 0) return new T("…", 9);
    budget -= 4;
    T t;
    if (e instanceof Expr.Const c) {
      t = number(c.value());
    } else if (e instanceof Expr.Var v) {
      t = new T(v.name(), 9);
    } else if (e instanceof Expr.DimSize d) {
      t = new T(d.dim().toString(), 9);
    } else if (e instanceof Expr.Unary u) {
      t = unary(u);
    } else if (e instanceof Expr.Binary b) {
      t = binary(b);
    } else if (e instanceof Expr.Broadcast b) {
      t = node(b.x());
    } else if (e instanceof Expr.Reduce r) {
      String op = r.op() == ReduceOp.SUM ? "sum" : r.op().name().toLowerCase();
      boolean all = r.axes().size() == r.x().shape().rank();
      String axes = all ? "" : ", axis=" + (r.axes().size() == 1 ? r.axes().get(0) : r.axes().toString());
      t = new T(op + "(" + node(r.x()).s + axes + ")", 9);
    } else if (e instanceof Expr.MatMul m) {
      t = new T(wrap(node(m.a()), 2) + " · " + wrap(node(m.b()), 3), 2);
    } else if (e instanceof Expr.Transpose tr) {
      t = new T(wrap(node(tr.x()), 9) + "ᵀ", 8);
    } else if (e instanceof Expr.Softmax s) {
      t = new T("softmax(" + node(s.x()).s + ")", 9);
    } else {
      t = new T("log_softmax(" + node(((Expr.LogSoftmax) e).x()).s + ")", 9);
    }
    budget -= t.s.length();
    return t;
  }

  private static T number(double v) {
    String s = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) Math.abs(v)) : Double.toString(Math.abs(v));
    if (Double.isNaN(v)) return new T("NaN", 9);
    if (Double.isInfinite(v)) return new T(v > 0 ? "∞" : "−∞", v > 0 ? 9 : 3);
    return v < 0 || (v == 0 && 1 / v < 0) ? new T("−" + s, 3) : new T(s, 9);
  }

  private T unary(Expr.Unary u) {
    T x = node(u.x());
    return switch (u.op()) {
      case NEG -> new T("−" + wrap(x, 4), 3);
      case SIGMOID -> call("σ", x.s);
      case SQRT -> call("√", x.s);
      case ABS -> new T("|" + x.s + "|", 9);
      case STEP -> new T("[" + x.s + " > 0]", 9);
      case LEAKY_STEP -> new T("(" + x.s + " > 0 ? 1 : " + number(u.param()).s + ")", 9);
      case LEAKY_RELU -> call("leaky_relu", x.s + ", " + number(u.param()).s);
      default -> call(u.op().name().toLowerCase(), x.s);
    };
  }

  private static T call(String f, String args) {
    return new T(f + "(" + args + ")", 9);
  }

  private T binary(Expr.Binary b) {
    T l = node(b.a());
    T r = node(b.b());
    boolean tensor = !b.shape().isScalar();
    return switch (b.op()) {
      case ADD -> new T(wrap(l, 1) + " + " + wrap(r, 2), 1);
      case SUB -> new T(wrap(l, 1) + " − " + wrap(r, 2), 1);
      case MUL -> new T(wrap(l, 2) + (tensor ? " * " : "·") + wrap(r, 3), 2);
      case DIV -> new T(wrap(l, 2) + "/" + wrap(r, 3), 2);
      case POW -> b.b() instanceof Expr.Const c && c.value() == 2 ? new T(wrap(l, 9) + "²", 8)
          : new T(wrap(l, 9) + "^" + wrap(r, 9), 8);
      case MAX -> call("max", l.s + ", " + r.s);
      case MIN -> call("min", l.s + ", " + r.s);
      case GE -> new T("[" + l.s + " ≥ " + r.s + "]", 9);
    };
  }

  private static String wrap(T t, int min) {
    return t.prec >= min ? t.s : "(" + t.s + ")";
  }
}
