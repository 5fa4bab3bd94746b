package dev.nnc.simplify;

import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.UnaryOp;
import dev.nnc.prim.Prims;
import dev.nnc.prim.Symbol;
import dev.nnc.prim.UnaryPrim;
import java.util.HashMap;
import java.util.Map;

/**
 * A compact infix printer for IR expressions in the model's names ({@code a − y}, {@code (A − Y)/m}), used for
 * rewrite descriptions and golden tests. Named values print as their name; broadcasts are invisible. Nesting
 * deeper than {@link #MAX_DEPTH} prints as {@code …} so the printer's recursion stays bounded.
 */
public final class ExprText {
  private static final int MAX_DEPTH = 64;
  private static final int SUM = 1;
  private static final int PRODUCT = 2;
  private static final int PREFIX = 3;
  private static final int POWER = 4;
  private static final int ATOM = 5;

  private final Map<Integer, String> names;

  public ExprText(Map<Integer, String> names) {
    this.names = Map.copyOf(names);
  }

  /** Names every value of {@code model} (node id → name). */
  public static ExprText of(ModelIR model) {
    Map<Integer, String> names = new HashMap<>();
    for (ModelIR.Value v : model.values()) names.putIfAbsent(v.node().id(), v.name());
    return new ExprText(names);
  }

  public String print(Expr e) {
    return print(e, 0, 0);
  }

  /** {@code e}'s own expression even when {@code e} is a named value (names are used below the top only). */
  public String printDefinition(Expr e) {
    return text(e, 0, false).s;
  }

  private record Text(String s, int prec) {}

  private String print(Expr e, int minPrec, int depth) {
    Text t = text(e, depth);
    return t.prec < minPrec ? "(" + t.s + ")" : t.s;
  }

  private Text text(Expr e, int depth) {
    return text(e, depth, true);
  }

  private Text text(Expr e, int depth, boolean useName) {
    if (depth > MAX_DEPTH) return new Text("…", ATOM);
    String name = useName ? names.get(e.id()) : null;
    if (name != null) return new Text(name, ATOM);
    int d = depth + 1;
    if (e instanceof Expr.Var v) return new Text(v.name(), ATOM);
    if (e instanceof Expr.DimSize s) return new Text(s.dim().toString(), ATOM);
    if (e instanceof Expr.Const c) return number(c.value());
    if (e instanceof Expr.Broadcast b) return text(b.x(), d);
    if (e instanceof Expr.Unary u) {
      UnaryPrim prim = Prims.of(u.op());
      if (prim.notation().style() == Symbol.Style.PREFIX) return new Text("−" + print(u.x(), POWER, d), PREFIX);
      String arg = print(u.x(), 0, d);
      if (prim.param() != null) arg += ", " + number(u.param()).s;
      return new Text(function(u.op()) + "(" + arg + ")", ATOM);
    }
    if (e instanceof Expr.Binary b) {
      Symbol n = Prims.of(b.op()).notation();
      String op = n.unicode();
      return switch (n.style()) {
        case SUM -> new Text(print(b.a(), SUM, d) + " " + op + " " + print(b.b(), b.op() == BinaryOp.ADD ? SUM : PRODUCT, d),
            SUM);
        case PRODUCT, QUOTIENT -> new Text(print(b.a(), PRODUCT, d) + op + print(b.b(), PREFIX, d), PRODUCT);
        case POWER -> new Text(print(b.a(), ATOM, d) + op + print(b.b(), POWER, d), POWER);
        case COMPARE -> new Text("[" + print(b.a(), 0, d) + " " + op + " " + print(b.b(), 0, d) + "]", ATOM);
        default -> new Text(op + "(" + print(b.a(), 0, d) + ", " + print(b.b(), 0, d) + ")", ATOM);
      };
    }
    if (e instanceof Expr.Reduce r) {
      String op = r.op().name().toLowerCase();
      boolean all = r.axes().size() == r.x().shape().rank();
      String axes = all ? "" : ", axis=" + (r.axes().size() == 1 ? r.axes().get(0).toString() : r.axes().toString());
      return new Text(op + "(" + print(r.x(), 0, d) + axes + ")", ATOM);
    }
    if (e instanceof Expr.MatMul m) return new Text(print(m.a(), PRODUCT, d) + " @ " + print(m.b(), PREFIX, d), PRODUCT);
    if (e instanceof Expr.Transpose t) return new Text(print(t.x(), ATOM, d) + "ᵀ", ATOM);
    if (e instanceof Expr.Softmax s) return new Text("softmax(" + print(s.x(), 0, d) + ")", ATOM);
    if (e instanceof Expr.LogSoftmax s) return new Text("log_softmax(" + print(s.x(), 0, d) + ")", ATOM);
    if (e instanceof Expr.Layer l) {
      StringBuilder b = new StringBuilder(dev.nnc.prim.Prims.of(l.op()).notation().ascii()).append('(');
      for (int i = 0; i < l.args().size(); i++) b.append(i > 0 ? ", " : "").append(print(l.args().get(i), 0, d));
      for (int n : l.ints()) b.append(", ").append(n);
      return new Text(b.append(')').toString(), ATOM);
    }
    throw new IllegalStateException("unknown node " + e);
  }

  private static Text number(double v) {
    String s;
    if (v == Math.rint(v) && Math.abs(v) < 1e15) s = Long.toString((long) Math.abs(v));
    else s = Double.toString(Math.abs(v));
    return v < 0 || (v == 0 && 1 / v < 0) ? new Text("−" + s, PREFIX) : new Text(s, ATOM);
  }

  /** A function's name: its registry symbol when it prints as a call ({@code σ}), else its op's name ({@code sqrt}). */
  private static String function(UnaryOp op) {
    Symbol n = Prims.of(op).notation();
    return n.style() == Symbol.Style.CALL ? n.unicode() : op.name().toLowerCase(java.util.Locale.ROOT);
  }
}
