package dev.nnc.prim;

import static dev.nnc.prim.Symbol.Style.BARS;
import static dev.nnc.prim.Symbol.Style.CALL;
import static dev.nnc.prim.Symbol.Style.COMPARE;
import static dev.nnc.prim.Symbol.Style.INDICATOR;
import static dev.nnc.prim.Symbol.Style.POWER;
import static dev.nnc.prim.Symbol.Style.PREFIX;
import static dev.nnc.prim.Symbol.Style.PRODUCT;
import static dev.nnc.prim.Symbol.Style.QUOTIENT;
import static dev.nnc.prim.Symbol.Style.ROOT;
import static dev.nnc.prim.Symbol.Style.SUM;

import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.LayerOp;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The primitive registry: one entry per primitive, holding its spellings, shape rule, forward semantics, reverse
 * rule, JVP slot, Java emission, notation and test domain. The checker, the differentiator, the interpreter, the
 * code generator and the printers read these entries; nothing else lists the primitives. Adding an elementwise
 * function is one {@link UnaryPrim} below (plus its FUNC token in the grammar and its line in docs/language.md);
 * {@link #problems} reports an entry with a missing piece, and a test runs it on every entry.
 */
public final class Prims {
  private Prims() {}

  private static List<String> names(String... s) {
    return List.of(s);
  }

  private static Symbol call(String unicode, String ascii, String latex) {
    return new Symbol(CALL, unicode, ascii, latex);
  }

  private static Symbol call(String name, String latex) {
    return call(name, name, latex);
  }

  private static JavaEmission.Call math(String function) {
    return new JavaEmission.Call("Math." + function);
  }

  private static JavaEmission.Helper helper(String name, String javadoc, String body) {
    return new JavaEmission.Helper(name, List.of("x"), javadoc, body);
  }

  // ---- elementwise functions -------------------------------------------------------------------------------

  private static final Domain POSITIVE = Domain.of(0.1, 3);
  private static final Domain KINK_AT_0 = Domain.kinked(0);

  private static List<UnaryPrim> unaryEntries() {
    List<UnaryPrim> u = new ArrayList<>();
    u.add(new UnaryPrim(UnaryOp.NEG, names(), null, ShapeRule.SAME, (x, p) -> -x,
        (k, y, dY) -> k.g.neg(dY), null,
        new JavaEmission.Prefix("-"), new Symbol(PREFIX, "−", "-", "-"), Domain.REAL, false));
    u.add(new UnaryPrim(UnaryOp.EXP, names("exp"), null, ShapeRule.SAME, (x, p) -> Math.exp(x),
        (k, y, dY) -> k.times(dY, y), null, // exp' = exp: the node's own value
        math("exp"), call("exp", "\\exp"), Domain.of(-2, 2), false));
    u.add(new UnaryPrim(UnaryOp.LOG, names("log", "ln"), null, ShapeRule.SAME, (x, p) -> Math.log(x),
        (k, y, dY) -> k.g.div(dY, y.x()), null,
        math("log"), call("log", "\\log"), POSITIVE, false));
    u.add(new UnaryPrim(UnaryOp.SQRT, names("sqrt", "√"), null, ShapeRule.SAME, (x, p) -> Math.sqrt(x),
        (k, y, dY) -> k.g.div(dY, k.g.mul(k.constant(2, y.shape()), y)), null, // 1/(2√x), reusing √x
        math("sqrt"), new Symbol(ROOT, "√", "sqrt", "\\sqrt"), POSITIVE, false));
    u.add(new UnaryPrim(UnaryOp.ABS, names("abs"), null, ShapeRule.SAME, (x, p) -> Math.abs(x),
        (k, y, dY) -> k.times(dY, k.g.unary(UnaryOp.SIGN, y.x())), null, // abs'(0) = 0
        math("abs"), new Symbol(BARS, "|", "|", "|"), KINK_AT_0, false));
    u.add(new UnaryPrim(UnaryOp.SIN, names("sin"), null, ShapeRule.SAME, (x, p) -> Math.sin(x),
        (k, y, dY) -> k.times(dY, k.g.unary(UnaryOp.COS, y.x())), null,
        math("sin"), call("sin", "\\sin"), Domain.REAL, false));
    u.add(new UnaryPrim(UnaryOp.COS, names("cos"), null, ShapeRule.SAME, (x, p) -> Math.cos(x),
        (k, y, dY) -> k.g.neg(k.times(dY, k.g.unary(UnaryOp.SIN, y.x()))), null,
        math("cos"), call("cos", "\\cos"), Domain.REAL, false));
    u.add(new UnaryPrim(UnaryOp.TANH, names("tanh"), null, ShapeRule.SAME, (x, p) -> Math.tanh(x),
        (k, y, dY) -> k.times(dY, k.g.sub(k.constant(1, y.shape()), k.g.pow(y, k.constant(2, y.shape())))), null,
        math("tanh"), call("tanh", "\\tanh"), Domain.REAL, true)); // 1 − a²
    u.add(new UnaryPrim(UnaryOp.SIGMOID, names("σ", "sigmoid"), null, ShapeRule.SAME,
        (x, p) -> Numerics.sigmoid(x),
        (k, y, dY) -> k.times(dY, k.g.mul(y, k.g.sub(k.constant(1, y.shape()), y))), null, // a(1−a)
        helper("sigmoid", "σ(x) = 1/(1 + exp(−x)).", "return 1.0 / (1.0 + Math.exp(-x));"),
        call("σ", "sigmoid", "\\sigma"), Domain.REAL, true));
    u.add(new UnaryPrim(UnaryOp.RELU, names("relu"), null, ShapeRule.SAME, (x, p) -> x > 0 || x != x ? x : 0,
        (k, y, dY) -> k.times(dY, k.g.unary(UnaryOp.STEP, y.x())), null, // relu'(0) = 0
        helper("relu", "max(x, 0); NaN stays NaN, as in max.", "return x > 0.0 || x != x ? x : 0.0;"),
        call("relu", "\\operatorname{relu}"), KINK_AT_0, true));
    u.add(new UnaryPrim(UnaryOp.LEAKY_RELU, names("leaky_relu"), new Param("slope", 0.01, "0.01"), ShapeRule.SAME,
        (x, p) -> x > 0 ? x : p * x,
        (k, y, dY) -> k.times(dY, k.g.unary(UnaryOp.LEAKY_STEP, y.x(), y.param())), null,
        new JavaEmission.Helper("leakyRelu", List.of("x", "slope"), "x where x > 0, else slope·x.",
            "return x > 0.0 ? x : slope * x;"),
        call("leaky_relu", "\\operatorname{leaky\\_relu}"), KINK_AT_0, true));
    u.add(new UnaryPrim(UnaryOp.SOFTPLUS, names("softplus"), null, ShapeRule.SAME, (x, p) -> Numerics.softplus(x),
        (k, y, dY) -> k.times(dY, k.g.unary(UnaryOp.SIGMOID, y.x())), null,
        helper("softplus", "log(1 + exp(x)), computed without overflow.",
            "return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));"),
        call("softplus", "\\operatorname{softplus}"), Domain.REAL, true));
    u.add(new UnaryPrim(UnaryOp.STEP, names(), null, ShapeRule.SAME, (x, p) -> x > 0 ? 1 : 0,
        Pieces.UnaryReverse.ZERO, null,
        helper("heaviside", "1 where x > 0, else 0 (relu′, with relu′(0) = 0).", "return x > 0.0 ? 1.0 : 0.0;"),
        new Symbol(INDICATOR, " > 0", " > 0", " > 0"), KINK_AT_0, false));
    u.add(new UnaryPrim(UnaryOp.LEAKY_STEP, names(), new Param("slope", 0.01, "0.01"), ShapeRule.SAME,
        (x, p) -> x > 0 ? 1 : p, Pieces.UnaryReverse.ZERO, null,
        new JavaEmission.Helper("leakyStep", List.of("x", "slope"), "1 where x > 0, else slope (leaky_relu′).",
            "return x > 0.0 ? 1.0 : slope;"),
        call("leaky_step", "\\operatorname{leaky\\_step}"), KINK_AT_0, false));
    u.add(new UnaryPrim(UnaryOp.SIGN, names(), null, ShapeRule.SAME, (x, p) -> Math.signum(x), // NaN → NaN
        Pieces.UnaryReverse.ZERO, null,
        math("signum"), call("sign", "\\operatorname{sign}"), KINK_AT_0, false));

    // LANGUAGE.md §10: each of these is this one entry (plus its grammar token and docs line).
    u.add(new UnaryPrim(UnaryOp.of("LOG1P"), names("log1p"), null, ShapeRule.SAME, (x, p) -> Math.log1p(x),
        (k, y, dY) -> k.g.div(dY, k.g.add(k.constant(1, y.shape()), y.x())), null, // 1/(1 + x)
        math("log1p"), call("log1p", "\\operatorname{log1p}"), Domain.of(-0.9, 3), false));
    u.add(new UnaryPrim(UnaryOp.of("EXPM1"), names("expm1"), null, ShapeRule.SAME, (x, p) -> Math.expm1(x),
        (k, y, dY) -> k.times(dY, k.g.unary(UnaryOp.EXP, y.x())), null,
        math("expm1"), call("expm1", "\\operatorname{expm1}"), Domain.of(-2, 2), false));
    UnaryOp cosh = UnaryOp.of("COSH");
    UnaryOp sinh = UnaryOp.of("SINH");
    u.add(new UnaryPrim(sinh, names("sinh"), null, ShapeRule.SAME, (x, p) -> Math.sinh(x),
        (k, y, dY) -> k.times(dY, k.g.unary(cosh, y.x())), null,
        math("sinh"), call("sinh", "\\sinh"), Domain.of(-2, 2), false));
    u.add(new UnaryPrim(cosh, names("cosh"), null, ShapeRule.SAME, (x, p) -> Math.cosh(x),
        (k, y, dY) -> k.times(dY, k.g.unary(sinh, y.x())), null,
        math("cosh"), call("cosh", "\\cosh"), Domain.of(-2, 2), false));
    u.add(new UnaryPrim(UnaryOp.of("TAN"), names("tan"), null, ShapeRule.SAME, (x, p) -> Math.tan(x),
        (k, y, dY) -> k.times(dY, k.g.add(k.constant(1, y.shape()), k.g.pow(y, k.constant(2, y.shape())))), null,
        math("tan"), call("tan", "\\tan"), Domain.of(-1.2, 1.2), false)); // 1 + tan²
    u.add(new UnaryPrim(UnaryOp.of("ATAN"), names("atan"), null, ShapeRule.SAME, (x, p) -> Math.atan(x),
        (k, y, dY) -> k.g.div(dY, k.g.add(k.constant(1, y.shape()), k.g.pow(y.x(), k.constant(2, y.shape())))),
        null, math("atan"), call("atan", "\\arctan"), Domain.REAL, false)); // 1/(1 + x²)
    u.add(new UnaryPrim(UnaryOp.of("ELU"), names("elu"), new Param("α", 1, "1.0"), ShapeRule.SAME,
        Numerics::elu,
        (k, y, dY) -> { // 1 where x > 0, else α·exp(x) = y + α (finite for every finite x: no exp of a large x)
          Shape s = y.shape();
          Expr step = k.g.unary(UnaryOp.STEP, y.x());
          Expr left = k.g.mul(k.g.sub(k.constant(1, s), step), k.g.add(y, k.constant(y.param(), s)));
          return k.times(dY, k.g.add(step, left));
        }, null,
        new JavaEmission.Helper("elu", List.of("x", "alpha"), "x where x > 0, else α(exp(x) − 1) (via expm1).",
            "return x > 0.0 ? x : alpha * Math.expm1(x);"),
        call("elu", "\\operatorname{elu}"), KINK_AT_0, true));
    u.add(new UnaryPrim(UnaryOp.of("SILU"), names("silu"), null, ShapeRule.SAME, (x, p) -> Numerics.silu(x),
        (k, y, dY) -> { // σ(x) + y(1 − σ(x))
          Expr s = k.g.unary(UnaryOp.SIGMOID, y.x());
          return k.times(dY, k.g.add(s, k.g.mul(y, k.g.sub(k.constant(1, y.shape()), s))));
        }, null,
        helper("silu", "x·σ(x), without overflow for large negative x.",
            "if (x >= 0.0) return x / (1.0 + Math.exp(-x));\ndouble e = Math.exp(x);\nreturn x * e / (1.0 + e);"),
        call("silu", "\\operatorname{silu}"), Domain.REAL, true));
    u.add(new UnaryPrim(UnaryOp.of("GELU"), names("gelu"), null, ShapeRule.SAME, (x, p) -> Numerics.gelu(x),
        Prims::geluReverse, null,
        helper("gelu", "0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), the tanh approximation.",
            "return 0.5 * x * (1.0 + Math.tanh(" + Numerics.GELU_C + " * (x + " + Numerics.GELU_K + " * x * x * x)));"),
        call("gelu", "\\operatorname{gelu}"), Domain.REAL, true));
    u.replaceAll(Prims::withDiagonalJvp);
    return u;
  }

  /**
   * The JVP of an elementwise function: its Jacobian is diagonal ({@code f'(x)} on the diagonal), so the tangent
   * {@code f'(x)·ẋ} is its reverse rule applied to the tangent in place of the adjoint. One rule per entry, not
   * two that could disagree; the tangent of a piecewise-constant function (reverse rule ZERO) is 0 (null).
   */
  private static UnaryPrim withDiagonalJvp(UnaryPrim p) {
    Pieces.UnaryReverse r = p.reverse();
    Pieces.Jvp jvp = (k, y, t) -> t.get(0) == null ? null : r.apply(k, (Expr.Unary) y, t.get(0));
    return new UnaryPrim(p.op(), p.spellings(), p.param(), p.shape(), p.forward(), r, jvp, p.java(), p.notation(),
        p.domain(), p.activation());
  }

  /** gelu' = 0.5(1 + t) + 0.5x(1 − t²)·c(1 + 3k x²), t = tanh(c(x + k x³)). */
  private static Expr geluReverse(RuleKit k, Expr.Unary y, Expr dY) {
    Graph g = k.g;
    Shape s = y.shape();
    Expr x = y.x();
    Expr x2 = g.pow(x, k.constant(2, s));
    Expr inner = g.mul(k.constant(Numerics.GELU_C, s), g.add(x, g.mul(k.constant(Numerics.GELU_K, s),
        g.pow(x, k.constant(3, s)))));
    Expr t = g.unary(UnaryOp.TANH, inner);
    Expr half = k.constant(0.5, s);
    Expr first = g.mul(half, g.add(k.constant(1, s), t));
    Expr slope = g.mul(k.constant(Numerics.GELU_C, s), g.add(k.constant(1, s), g.mul(k.constant(3 * Numerics.GELU_K, s), x2)));
    Expr second = g.mul(g.mul(half, x), g.mul(g.sub(k.constant(1, s), g.pow(t, k.constant(2, s))), slope));
    return k.times(dY, g.add(first, second));
  }

  // ---- elementwise binary operations -------------------------------------------------------------------------

  private static final List<Domain> REALS = List.of(Domain.REAL, Domain.REAL);

  private static List<BinaryPrim> binaryEntries() {
    List<BinaryPrim> b = new ArrayList<>();
    b.add(new BinaryPrim(BinaryOp.ADD, names(), ShapeRule.BROADCAST, (x, y) -> x + y,
        (k, e, dY, wa, wb) -> new Expr[] {wa ? dY : null, wb ? dY : null}, null,
        new JavaEmission.Infix("+", 1), new Symbol(SUM, "+", "+", "+"), REALS, false));
    b.add(new BinaryPrim(BinaryOp.SUB, names(), ShapeRule.BROADCAST, (x, y) -> x - y,
        (k, e, dY, wa, wb) -> new Expr[] {wa ? dY : null, wb ? k.g.neg(dY) : null}, null,
        new JavaEmission.Infix("-", 1), new Symbol(SUM, "−", "-", "-"), REALS, false));
    b.add(new BinaryPrim(BinaryOp.MUL, names(), ShapeRule.BROADCAST, (x, y) -> x * y,
        (k, e, dY, wa, wb) -> new Expr[] {wa ? k.times(dY, e.b()) : null, wb ? k.times(dY, e.a()) : null}, null,
        new JavaEmission.Infix("*", 2), new Symbol(PRODUCT, "·", "*", "\\cdot"), REALS, false));
    b.add(new BinaryPrim(BinaryOp.DIV, names(), ShapeRule.BROADCAST, (x, y) -> x / y,
        (k, e, dY, wa, wb) -> new Expr[] { // −dY·a/b²
            wa ? k.g.div(dY, e.b()) : null,
            wb ? k.g.neg(k.g.div(k.times(dY, e.a()), k.g.pow(e.b(), k.constant(2, e.shape())))) : null}, null,
        new JavaEmission.Infix("/", 2), new Symbol(QUOTIENT, "/", "/", "/"), List.of(Domain.REAL, POSITIVE), false));
    b.add(new BinaryPrim(BinaryOp.POW, names(), ShapeRule.BROADCAST, (x, y) -> y == 2 ? x * x : Math.pow(x, y),
        Prims::powReverse, null,
        math("pow"), new Symbol(POWER, "^", "^", "^"), List.of(POSITIVE, Domain.REAL), false));
    b.add(new BinaryPrim(BinaryOp.MAX, names("max"), ShapeRule.BROADCAST, Math::max, // NaN in, NaN out (NumPy)
        (k, e, dY, wa, wb) -> { // ties go to the first operand
          Expr first = k.g.rawBinary(BinaryOp.GE, e.a(), e.b());
          return new Expr[] {wa ? k.times(dY, first) : null,
              wb ? k.times(dY, k.g.sub(k.constant(1, e.shape()), first)) : null};
        }, null,
        math("max"), call("max", "\\max"), REALS, true));
    b.add(new BinaryPrim(BinaryOp.MIN, names("min"), ShapeRule.BROADCAST, Math::min,
        (k, e, dY, wa, wb) -> { // a is the minimum where b ≥ a; ties go to the first operand
          Expr first = k.g.rawBinary(BinaryOp.GE, e.b(), e.a());
          return new Expr[] {wa ? k.times(dY, first) : null,
              wb ? k.times(dY, k.g.sub(k.constant(1, e.shape()), first)) : null};
        }, null,
        math("min"), call("min", "\\min"), REALS, true));
    b.add(new BinaryPrim(BinaryOp.GE, names(), ShapeRule.BROADCAST, (x, y) -> x >= y ? 1 : 0,
        Pieces.BinaryReverse.ZERO, null, // a selector: piecewise constant
        new JavaEmission.Helper("ge", List.of("a", "b"), "1 where a ≥ b, else 0 (selects the branch of max and min).",
            "return a >= b ? 1.0 : 0.0;"),
        new Symbol(COMPARE, "≥", ">=", "\\geq"), REALS, true));
    b.replaceAll(Prims::withPartialsJvp);
    return b;
  }

  /**
   * The JVP of an elementwise binary operation: {@code ∂y/∂a·ȧ + ∂y/∂b·ḃ}. Both partial Jacobians are diagonal
   * (operands have the result's shape), so each term is the reverse rule applied to that operand's tangent.
   */
  private static BinaryPrim withPartialsJvp(BinaryPrim p) {
    Pieces.BinaryReverse r = p.reverse();
    Pieces.Jvp jvp = (k, y, t) -> {
      Expr.Binary e = (Expr.Binary) y;
      Expr da = t.get(0) == null ? null : r.apply(k, e, t.get(0), true, false)[0];
      Expr db = t.get(1) == null ? null : r.apply(k, e, t.get(1), false, true)[1];
      return da == null ? db : db == null ? da : k.g.add(da, db);
    };
    return new BinaryPrim(p.op(), p.spellings(), p.shape(), p.forward(), r, jvp, p.java(), p.notation(),
        p.domains(), p.kinkWhereEqual());
  }

  private static Expr[] powReverse(RuleKit k, Expr.Binary e, Expr dY, boolean wa, boolean wb) {
    Graph g = k.g;
    Shape s = e.shape();
    Expr a = e.a();
    Expr b = e.b();
    Expr da = null;
    Expr db = null;
    if (wa) {
      Double c = RuleKit.constantValue(b);
      Expr exponentLessOne = c != null ? k.constant(c - 1, s) : g.sub(b, k.constant(1, s));
      da = k.times(dY, g.mul(b, g.pow(a, exponentLessOne))); // b·a^(b−1)
    }
    if (wb) db = k.times(dY, g.mul(e, g.unary(UnaryOp.LOG, a))); // a^b·log a
    return new Expr[] {da, db};
  }

  // ---- reductions -------------------------------------------------------------------------------------------

  private static List<ReducePrim> reduceEntries() {
    List<ReducePrim> r = new ArrayList<>();
    r.add(new ReducePrim(ReduceOp.SUM, names("sum", "Σ", "∑"), ShapeRule.REMOVE_AXES,
        (x, map, out) -> {
          for (int p = 0; p < map.length; p++) out[map[p]] += x[p];
        },
        (k, y, dY) -> k.expandOver(dY, y.axes(), y.x().shape()),
        (k, y, t) -> t.get(0) == null ? null : k.g.reduce(ReduceOp.SUM, t.get(0), ((Expr.Reduce) y).axes()),
        new ReduceEmission("0.0", "%1$s += %2$s;", false), new Symbol(CALL, "Σ", "sum", "\\sum"),
        Domain.REAL, false));
    r.add(new ReducePrim(ReduceOp.MAX, names("max"), ShapeRule.REMOVE_AXES,
        (x, map, out) -> extremum(x, map, out, true),
        (k, y, dY) -> selected(k, dY, k.g.rawBinary(BinaryOp.GE, y.x(), k.expandOver(y, y.axes(), y.x().shape())), y),
        (k, y, t) -> selectedTangent(k, t.get(0), (Expr.Reduce) y, true), new ReduceEmission("Double.NEGATIVE_INFINITY", "%1$s = Math.max(%1$s, %2$s);", false),
        call("max", "\\max"), Domain.REAL, true));
    r.add(new ReducePrim(ReduceOp.MIN, names("min"), ShapeRule.REMOVE_AXES,
        (x, map, out) -> extremum(x, map, out, false),
        (k, y, dY) -> selected(k, dY, k.g.rawBinary(BinaryOp.GE, k.expandOver(y, y.axes(), y.x().shape()), y.x()), y),
        (k, y, t) -> selectedTangent(k, t.get(0), (Expr.Reduce) y, false), new ReduceEmission("Double.POSITIVE_INFINITY", "%1$s = Math.min(%1$s, %2$s);", false),
        call("min", "\\min"), Domain.REAL, true));
    r.add(new ReducePrim(ReduceOp.LOGSUMEXP, names("logsumexp"), ShapeRule.REMOVE_AXES, Prims::logSumExp,
        (k, y, dY) -> { // exp(x − y) spreads dY back
          Shape xs = y.x().shape();
          Expr spread = k.expandOver(dY, y.axes(), xs);
          return k.g.mul(k.g.unary(UnaryOp.EXP, k.g.sub(y.x(), k.expandOver(y, y.axes(), xs))), spread);
        },
        (k, y, t) -> { // Σ exp(x − y)·ẋ: the softmax-weighted tangent
          if (t.get(0) == null) return null;
          Expr.Reduce lse = (Expr.Reduce) y;
          Expr weights = k.g.unary(UnaryOp.EXP, k.g.sub(lse.x(), k.expandOver(lse, lse.axes(), lse.x().shape())));
          return k.g.reduce(ReduceOp.SUM, k.g.mul(weights, t.get(0)), lse.axes());
        },
        new ReduceEmission("Double.NEGATIVE_INFINITY", "%1$s = Math.max(%1$s, %2$s);", true),
        call("logsumexp", "\\operatorname{logsumexp}"), Domain.REAL, false));
    return r;
  }

  /**
   * The adjoint of a max/min reduction: {@code dY} goes to the elements the selector {@code mask} picks, shared
   * equally among ties ({@code dY / Σ mask}), so that copies of one value (a broadcast) get 1 in total, as the
   * derivative of max(p, p) = p is.
   */
  private static Expr selected(RuleKit k, Expr dY, Expr mask, Expr.Reduce y) {
    Expr share = k.g.div(dY, k.g.reduce(ReduceOp.SUM, mask, y.axes()));
    return k.g.mul(k.expandOver(share, y.axes(), y.x().shape()), mask);
  }

  /** The tangent of a max/min reduction: the mean of the selected entries' tangents (ties share, as above). */
  private static Expr selectedTangent(RuleKit k, Expr t, Expr.Reduce y, boolean max) {
    if (t == null) return null;
    Expr spread = k.expandOver(y, y.axes(), y.x().shape());
    Expr mask = max ? k.g.rawBinary(BinaryOp.GE, y.x(), spread) : k.g.rawBinary(BinaryOp.GE, spread, y.x());
    return k.g.div(k.g.reduce(ReduceOp.SUM, k.g.mul(t, mask), y.axes()), k.g.reduce(ReduceOp.SUM, mask, y.axes()));
  }

  private static void extremum(double[] x, int[] map, double[] out, boolean max) {
    Arrays.fill(out, max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    for (int p = 0; p < map.length; p++) out[map[p]] = max ? Math.max(out[map[p]], x[p]) : Math.min(out[map[p]], x[p]);
  }

  /** m + log Σ exp(x − m), m the maximum: no overflow. */
  private static void logSumExp(double[] x, int[] map, double[] out) {
    int n = out.length;
    double[] max = new double[n];
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (int p = 0; p < map.length; p++) max[map[p]] = Math.max(max[map[p]], x[p]);
    for (int p = 0; p < map.length; p++) {
      if (Double.isFinite(max[map[p]])) out[map[p]] += Math.exp(x[p] - max[map[p]]);
    }
    for (int o = 0; o < n; o++) out[o] = Double.isFinite(max[o]) ? max[o] + Math.log(out[o]) : max[o];
  }

  // ---- other built-in functions ------------------------------------------------------------------------------

  private static List<FunctionPrim> functionEntries() {
    return List.of(
        new FunctionPrim("mean", names("mean"), ShapeRule.REMOVE_AXES, FunctionPrim.Lowering.MEAN,
            call("mean", "\\operatorname{mean}")),
        new FunctionPrim("softmax", names("softmax"), ShapeRule.ALONG_AXIS, FunctionPrim.Lowering.SOFTMAX,
            call("softmax", "\\operatorname{softmax}")),
        new FunctionPrim("log_softmax", names("log_softmax"), ShapeRule.ALONG_AXIS, FunctionPrim.Lowering.LOG_SOFTMAX,
            call("log_softmax", "\\operatorname{log\\_softmax}")),
        new FunctionPrim("transpose", names("transpose"), ShapeRule.REVERSE_AXES, FunctionPrim.Lowering.TRANSPOSE,
            call("transpose", "\\operatorname{transpose}")));
  }

  // ---- the table ----------------------------------------------------------------------------------------------

  private static final List<UnaryPrim> UNARY = List.copyOf(unaryEntries());
  private static final List<BinaryPrim> BINARY = List.copyOf(binaryEntries());
  private static final List<ReducePrim> REDUCE = List.copyOf(reduceEntries());
  private static final List<FunctionPrim> FUNCTIONS = functionEntries();
  private static final List<LayerPrim> LAYERS = List.copyOf(Layers.entries());
  private static final Map<LayerOp, LayerPrim> BY_LAYER = new EnumMap<>(LayerOp.class);
  private static final Map<UnaryOp, UnaryPrim> BY_UNARY = new LinkedHashMap<>();
  private static final Map<BinaryOp, BinaryPrim> BY_BINARY = new EnumMap<>(BinaryOp.class);
  private static final Map<ReduceOp, ReducePrim> BY_REDUCE = new EnumMap<>(ReduceOp.class);

  static {
    for (UnaryPrim p : UNARY) BY_UNARY.put(p.op(), p);
    for (BinaryPrim p : BINARY) BY_BINARY.put(p.op(), p);
    for (ReducePrim p : REDUCE) BY_REDUCE.put(p.op(), p);
    for (LayerPrim p : LAYERS) BY_LAYER.put(p.op(), p);
    List<String> problems = new ArrayList<>(problems(UNARY, BINARY, REDUCE, FUNCTIONS));
    problems.addAll(layerProblems(LAYERS));
    if (!problems.isEmpty()) throw new IllegalStateException("incomplete primitive registry: " + problems);
  }

  public static List<UnaryPrim> unaries() {
    return UNARY;
  }

  public static List<BinaryPrim> binaries() {
    return BINARY;
  }

  public static List<ReducePrim> reductions() {
    return REDUCE;
  }

  public static List<FunctionPrim> functions() {
    return FUNCTIONS;
  }

  /** The layer family: conv2d, pooling, flatten and their adjoint ops ({@link Layers}). */
  public static List<LayerPrim> layers() {
    return LAYERS;
  }

  public static LayerPrim of(LayerOp op) {
    LayerPrim p = BY_LAYER.get(op);
    if (p == null) throw new IllegalStateException("no registry entry for " + op);
    return p;
  }

  /**
   * The elementwise functions a cost model counts as transcendental (a library call of tens of cycles, as
   * {@code nnc compile --report} counts them): exp, log and their relatives, √, the trigonometric and hyperbolic
   * functions, and the helpers built on exp (σ, softplus, elu, silu, gelu). The others (−, abs, relu, step, sign, the
   * leaky ones) cost what arithmetic costs. Every name is a registry entry ({@code PrimsTest}).
   */
  static final Set<String> TRANSCENDENTAL = Set.of("EXP", "LOG", "SQRT", "SIN", "COS", "TANH", "SIGMOID",
      "SOFTPLUS", "LOG1P", "EXPM1", "SINH", "COSH", "TAN", "ATAN", "ELU", "SILU", "GELU");

  /** Whether {@code op} is one of the {@link #TRANSCENDENTAL} functions. */
  public static boolean transcendental(UnaryOp op) {
    return TRANSCENDENTAL.contains(op.name());
  }

  /** The entry of an op; an op without one is a bug the completeness test catches, never a silent default. */
  public static UnaryPrim of(UnaryOp op) {
    UnaryPrim p = BY_UNARY.get(op);
    if (p == null) throw new IllegalStateException("no registry entry for " + op);
    return p;
  }

  public static BinaryPrim of(BinaryOp op) {
    BinaryPrim p = BY_BINARY.get(op);
    if (p == null) throw new IllegalStateException("no registry entry for " + op);
    return p;
  }

  public static ReducePrim of(ReduceOp op) {
    ReducePrim p = BY_REDUCE.get(op);
    if (p == null) throw new IllegalStateException("no registry entry for " + op);
    return p;
  }

  /** Every spelling of a built-in function in .nn (the grammar's FUNC tokens are exactly these). */
  public static Set<String> spellings() {
    Set<String> s = new LinkedHashSet<>();
    for (UnaryPrim p : UNARY) s.addAll(p.spellings());
    for (BinaryPrim p : BINARY) s.addAll(p.spellings());
    for (ReducePrim p : REDUCE) s.addAll(p.spellings());
    for (FunctionPrim p : FUNCTIONS) s.addAll(p.spellings());
    for (LayerPrim p : LAYERS) s.addAll(p.spellings());
    return Collections.unmodifiableSet(s);
  }

  // ---- completeness ----------------------------------------------------------------------------------------------

  /**
   * What is missing from the given entries: one line per absent piece ("LOG1P: no reverse rule"), and every enum
   * op without an entry. Empty when complete.
   */
  public static List<String> problems(List<UnaryPrim> unary, List<BinaryPrim> binary, List<ReducePrim> reduce,
      List<FunctionPrim> functions) {
    List<String> out = new ArrayList<>();
    for (UnaryPrim p : unary) {
      String n = p.op() == null ? "unary entry " + p.spellings() : p.op().name();
      require(out, n, "op", p.op());
      require(out, n, "spellings", p.spellings());
      require(out, n, "shape rule", p.shape());
      require(out, n, "forward semantics", p.forward());
      require(out, n, "reverse rule", p.reverse());
      require(out, n, "JVP rule", p.jvp());
      require(out, n, "Java emission", p.java());
      notation(out, n, p.notation());
      require(out, n, "test domain", p.domain());
      int javaArgs = p.java() instanceof JavaEmission.Helper h ? h.params().size() : 1;
      if (p.java() != null && javaArgs != (p.param() == null ? 1 : 2)) {
        out.add(n + ": its Java takes " + javaArgs + " argument(s) but the entry has "
            + (p.param() == null ? "no numeric argument" : "a numeric argument"));
      }
    }
    for (BinaryPrim p : binary) {
      String n = p.op() == null ? "binary entry " + p.spellings() : p.op().name();
      require(out, n, "op", p.op());
      require(out, n, "spellings", p.spellings());
      require(out, n, "shape rule", p.shape());
      require(out, n, "forward semantics", p.forward());
      require(out, n, "reverse rule", p.reverse());
      require(out, n, "JVP rule", p.jvp());
      require(out, n, "Java emission", p.java());
      notation(out, n, p.notation());
      require(out, n, "test domain", p.domains());
      if (p.domains() != null && p.domains().size() != 2) out.add(n + ": needs one test domain per operand");
    }
    for (ReducePrim p : reduce) {
      String n = p.op() == null ? "reduction entry " + p.spellings() : p.op().name();
      require(out, n, "op", p.op());
      require(out, n, "spellings", p.spellings());
      require(out, n, "shape rule", p.shape());
      require(out, n, "forward semantics", p.forward());
      require(out, n, "reverse rule", p.reverse());
      require(out, n, "JVP rule", p.jvp());
      require(out, n, "Java emission", p.java());
      notation(out, n, p.notation());
      require(out, n, "test domain", p.domain());
    }
    for (FunctionPrim p : functions) {
      String n = p.name() == null ? "function entry " + p.spellings() : p.name();
      require(out, n, "name", p.name());
      require(out, n, "spellings", p.spellings());
      require(out, n, "shape rule", p.shape());
      require(out, n, "lowering", p.lowering());
      notation(out, n, p.notation());
      if (p.spellings() != null && p.spellings().isEmpty()) out.add(n + ": no spelling");
    }
    for (BinaryOp op : BinaryOp.values()) {
      if (binary.stream().noneMatch(p -> p.op() == op)) out.add(op + ": no registry entry");
    }
    for (ReduceOp op : ReduceOp.values()) {
      if (reduce.stream().noneMatch(p -> p.op() == op)) out.add(op + ": no registry entry");
    }
    return out;
  }

  /** What is missing from the layer entries (as {@link #problems}), and every {@link LayerOp} without an entry. */
  public static List<String> layerProblems(List<LayerPrim> layers) {
    List<String> out = new ArrayList<>();
    for (LayerPrim p : layers) {
      String n = p.op() == null ? "layer entry " + p.spellings() : p.op().name();
      require(out, n, "op", p.op());
      require(out, n, "spellings", p.spellings());
      require(out, n, "shape rule", p.shape());
      require(out, n, "forward semantics", p.forward());
      require(out, n, "reverse rule", p.reverse());
      require(out, n, "JVP rule", p.jvp());
      require(out, n, "Java emission", p.java());
      notation(out, n, p.notation());
      require(out, n, "test domain", p.domain());
      if (p.spellings() != null && p.shape() != null && p.spellings().isEmpty() != (p.shape() == ShapeRule.GIVEN)) {
        out.add(n + ": an adjoint op (shape GIVEN) has no spelling, and a spelled op has a shape rule");
      }
    }
    for (LayerOp op : LayerOp.values()) {
      if (layers.stream().noneMatch(p -> p.op() == op)) out.add(op + ": no registry entry");
    }
    return out;
  }

  private static void require(List<String> out, String entry, String piece, Object value) {
    if (value == null) out.add(entry + ": no " + piece);
  }

  private static void notation(List<String> out, String entry, Symbol n) {
    if (n == null) {
      out.add(entry + ": no notation");
      return;
    }
    require(out, entry, "notation style", n.style());
    for (String[] s : new String[][] {{"Unicode", n.unicode()}, {"ASCII", n.ascii()}, {"LaTeX", n.latex()}}) {
      if (s[1] == null || s[1].isBlank()) out.add(entry + ": no " + s[0] + " notation");
    }
  }
}
