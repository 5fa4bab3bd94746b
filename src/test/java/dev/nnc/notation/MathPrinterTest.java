package dev.nnc.notation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Numbers;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.Role;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MathPrinterTest {
  private final Graph g = new Graph();
  private final Map<Expr, String> names = new HashMap<>();
  private final Expr a = g.var("a", Role.INPUT, Shape.SCALAR);
  private final Expr b = g.var("b", Role.INPUT, Shape.SCALAR);
  private final Expr c = g.var("c", Role.INPUT, Shape.SCALAR);
  private final Expr y = g.var("y", Role.INPUT, Shape.SCALAR);
  private final Expr z = g.var("z", Role.INPUT, Shape.SCALAR);

  private String u(Expr e) {
    return MathPrinter.unicode(names).print(e);
  }

  private Expr one() {
    return g.constant(1);
  }

  @Test
  void scalarNotationWithMinimalParentheses() {
    assertEquals("a − y", u(g.sub(a, y)));
    assertEquals("a(1−a)", u(g.mul(a, g.sub(one(), a))));
    assertEquals("σ(z)", u(g.unary(UnaryOp.SIGMOID, z)));
    assertEquals("3(a + b c)", u(g.mul(g.constant(3), g.add(a, g.mul(b, c)))));
    assertEquals("2a", u(g.mul(g.constant(2), a)));
    assertEquals("−(y log(a) + (1−y) log(1−a))", u(g.neg(g.add(g.mul(y, g.unary(UnaryOp.LOG, a)),
        g.mul(g.sub(one(), y), g.unary(UnaryOp.LOG, g.sub(one(), a)))))));
    assertEquals("a − b − c", u(g.sub(g.sub(a, b), c)));
    assertEquals("a − (b−c)", u(g.sub(a, g.sub(b, c))));
    assertEquals("a/(b c)", u(g.div(a, g.mul(b, c))));
    assertEquals("(a+b)/c", u(g.div(g.add(a, b), c)));
    assertEquals("a − y/b", u(g.add(a, g.div(g.neg(y), b))));
    assertEquals("a − b", u(g.add(a, g.neg(b))));
    assertEquals("a²", u(g.pow(a, g.constant(2))));
    assertEquals("(a+b)^c", u(g.pow(g.add(a, b), c)));
    assertEquals("a^−1", u(g.pow(a, g.constant(-1))));
    assertEquals("−a · b", u(g.mul(g.neg(a), b)));
    assertEquals("−a b", u(g.neg(g.mul(a, b))));
    assertEquals("√a", u(g.unary(UnaryOp.SQRT, a)));
    assertEquals("√(a+b)", u(g.unary(UnaryOp.SQRT, g.add(a, b))));
    assertEquals("|a|", u(g.unary(UnaryOp.ABS, a)));
    assertEquals("[a > 0]", u(g.unary(UnaryOp.STEP, a)));
    assertEquals("[a ≥ b]", u(g.rawBinary(BinaryOp.GE, a, b)));
    assertEquals("max(a, b)", u(g.rawBinary(BinaryOp.MAX, a, b)));
    assertEquals("1e-7", u(g.constant(1e-7)));
    assertEquals("π", u(g.constant(Math.PI)));
  }

  @Test
  void namedNodesPrintByName() {
    Expr s = g.unary(UnaryOp.SIGMOID, z);
    names.put(s, "a1");
    Expr d = g.var("dA", Role.INPUT, Shape.SCALAR);
    Map<Expr, Label> labels = new HashMap<>();
    labels.put(s, Label.name("a1"));
    labels.put(d, Label.partial("L", "a1"));
    Expr e = g.mul(d, g.mul(s, g.sub(one(), s)));
    assertEquals("∂L/∂a1 · a1(1−a1)", MathPrinter.labelled(MathPrinter.Notation.UNICODE, labels).print(e));
    assertEquals("σ(z)", MathPrinter.unicode(names).printDefinition(s));
    assertEquals("dL/da1 * a1(1-a1)", MathPrinter.labelled(MathPrinter.Notation.ASCII, labels).print(e));
    assertEquals("\\frac{\\partial L}{\\partial a_{1}} \\cdot a_{1}(1-a_{1})",
        MathPrinter.labelled(MathPrinter.Notation.LATEX, labels).print(e));
  }

  @Test
  void matrixNotation() {
    Dim bd = Dim.free("B");
    Dim i = Dim.literal(4);
    Dim h = Dim.literal(3);
    Expr x = g.var("X", Role.INPUT, Shape.of(bd, i));
    Expr delta = g.var("d", Role.INPUT, Shape.of(bd, h));
    names.put(delta, "δ");
    assertEquals("Xᵀ · δ", u(g.matmul(g.transpose(x), delta)));
    Expr m = g.var("M", Role.INPUT, Shape.of(bd, h));
    assertEquals("δ ⊙ M", u(g.mul(delta, m)));
    assertEquals("Σ(δ, axis=0)", u(g.reduce(ReduceOp.SUM, delta, List.of(0))));
    assertEquals("Σ(δ)", u(g.reduceAll(ReduceOp.SUM, delta)));
    assertEquals("softmax(M)", u(g.softmax(m, 1)));
    assertEquals("softmax(M, axis=0)", u(g.softmax(m, 0)));
    assertEquals("2M", u(g.mul(g.constant(2, m.shape()), m)));
    assertEquals("(X · Xᵀ)ᵀ", u(g.transpose(g.matmul(x, g.transpose(x)))));
  }

  @Test
  void outputIsBounded() {
    Expr e = a;
    for (int k = 0; k < 30; k++) e = g.mul(g.add(e, b), g.add(e, c)); // 2^30 leaves as a tree
    String s = MathPrinter.unicode(names).withLimit(200).print(e);
    assertEquals(201, s.length());
    assertEquals('…', s.charAt(200));
  }

  @Test
  void numbers() {
    assertEquals("33", Numbers.format(33.0));
    assertEquals("2.2", Numbers.format(2.2));
    assertEquals("0.1", Numbers.format(0.1));
    assertEquals("220.00000000000003", Numbers.format(100.0 * 2 * 1.1));
    assertEquals("1e-7", Numbers.format(1e-7));
    assertEquals("-2.5", Numbers.format(-2.5));
    assertEquals(1e-7, Double.parseDouble(Numbers.format(1e-7)));
  }
}
