package dev.nnc.notation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Role;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/** The MathML notation: the same terms and layout as the others, as well-formed MathML Core markup. */
class MathmlNotationTest {
  private static final String LOGISTIC = "z = w x + b\na = σ(z)\nL = −(y log a + (1−y) log(1−a))\n";

  private static String mfrac(String of, String wrt) {
    return "<mfrac><mrow><mi>∂</mi>" + of + "</mrow><mrow><mi>∂</mi>" + wrt + "</mrow></mfrac>";
  }

  @Test
  void aStepTokenForTokenAsUnicodeHasIt() {
    DiffModel d = DerivationsTest.compile(LOGISTIC);
    // ∂L/∂z = ∂L/∂a · ∂a/∂z = ∂L/∂a · a(1−a) = a − y
    String dLda = mfrac("<mi>L</mi>", "<mi>a</mi>");
    assertEquals(mfrac("<mi>L</mi>", "<mi>z</mi>") + "<mo>=</mo>" + dLda + "<mo>·</mo>"
        + mfrac("<mi>a</mi>", "<mi>z</mi>") + "<mo>=</mo>" + dLda + "<mo>·</mo><mi>a</mi><mo>(</mo><mn>1</mn>"
        + "<mo>−</mo><mi>a</mi><mo>)</mo><mo>=</mo><mi>a</mi><mo>−</mo><mi>y</mi>",
        DerivationsTest.line(d, "z", MathPrinter.Notation.MATHML));
  }

  @Test
  void superscriptsRootsSubscriptsAndCalls() {
    Graph g = new Graph();
    Expr x = g.var("x", Role.INPUT, Shape.SCALAR);
    Expr w1 = g.var("W1", Role.PARAM, Shape.SCALAR);
    MathPrinter p = MathPrinter.labelled(MathPrinter.Notation.MATHML, Map.of(w1, Label.name("W₁")));
    assertEquals("<msup><mrow><mi>x</mi></mrow><mrow><mn>2</mn></mrow></msup>",
        p.print(g.pow(x, g.constant(2))));
    assertEquals("<msqrt><mi>x</mi></msqrt>", p.print(g.unary(UnaryOp.SQRT, x)));
    assertEquals("<mi>σ</mi><mo>(</mo><msub><mi>W</mi><mn>1</mn></msub><mo>)</mo>",
        p.print(g.unary(UnaryOp.SIGMOID, w1)));
    assertEquals("<mo>[</mo><mi>x</mi><mo>&gt;</mo><mn>0</mn><mo>]</mo>", p.print(g.unary(UnaryOp.STEP, x)));
  }

  @Test
  void everyPrimitiveOfTheRegistryPrintsAsTokens() throws Exception {
    Graph g = new Graph();
    Expr x = g.var("x", Role.INPUT, Shape.SCALAR);
    Expr y = g.var("y₂", Role.INPUT, Shape.SCALAR);
    Expr m = g.var("M", Role.INPUT, Shape.of(dev.nnc.ir.Dim.literal(2), dev.nnc.ir.Dim.literal(3)));
    MathPrinter p = MathPrinter.labelled(MathPrinter.Notation.MATHML, Map.of());
    List<Expr> all = new java.util.ArrayList<>();
    for (dev.nnc.prim.UnaryPrim u : dev.nnc.prim.Prims.unaries()) {
      all.add(g.rawUnary(u.op(), g.add(x, y), u.param() == null ? 0 : u.param().defaultValue()));
    }
    for (dev.nnc.prim.BinaryPrim b : dev.nnc.prim.Prims.binaries()) all.add(g.rawBinary(b.op(), g.neg(x), g.add(x, y)));
    for (dev.nnc.prim.ReducePrim r : dev.nnc.prim.Prims.reductions()) {
      all.add(g.reduce(r.op(), m, List.of(1)));
      all.add(g.reduceAll(r.op(), m));
    }
    all.add(g.softmax(m, 0));
    all.add(g.logSoftmax(m, 1));
    all.add(g.matmul(g.transpose(m), m));
    for (Expr e : all) {
      String math = Derivations.mathElement(p.print(e));
      textOnlyInTokens(parse(math).getDocumentElement(), MathPrinter.unicode(Map.of()).print(e) + ": " + math);
    }
  }

  @Test
  void pastItsBoundTheMarkupEndsInAnEllipsisAndStaysWellFormed() throws Exception {
    Graph g = new Graph();
    Expr e = g.var("x", Role.INPUT, Shape.SCALAR);
    for (int i = 0; i < 200; i++) e = g.unary(UnaryOp.SQRT, g.add(e, g.constant(i + 1)));
    String markup = MathPrinter.labelled(MathPrinter.Notation.MATHML, Map.of()).withLimit(500).print(e);
    assertTrue(markup.contains("<mo>…</mo>"), markup);
    assertTrue(markup.length() < 1500, "bounded: " + markup.length());
    parse(Derivations.mathElement(markup));
  }

  @Test
  void everyExampleDerivationIsWellFormedMathMl() throws Exception {
    List<Path> examples;
    try (Stream<Path> s = Files.list(Path.of("examples"))) {
      examples = s.filter(p -> p.toString().endsWith(".nn")).sorted().toList();
    }
    examples = new java.util.ArrayList<>(examples);
    examples.add(Path.of("docs/tutorial/activations.nn"));
    int lines = 0;
    for (Path p : examples) {
      DiffModel d = DerivationsTest.compile(Files.readString(p));
      for (Adjoint a : d.adjoints()) {
        if (a.kind() == Adjoint.Kind.LOSS) continue;
        String math = Derivations.mathElement(DerivationsTest.line(d, a.name(), MathPrinter.Notation.MATHML));
        textOnlyInTokens(parse(math).getDocumentElement(), p + " ∂/∂" + a.name() + ": " + math);
        lines++;
      }
    }
    assertTrue(lines > 20, "derivation lines checked: " + lines);
  }

  private static org.w3c.dom.Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(
        new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  /** Browsers draw only the text of token elements: text anywhere else would silently vanish from the formula. */
  private static void textOnlyInTokens(org.w3c.dom.Element e, String where) {
    boolean token = List.of("mi", "mn", "mo", "mtext").contains(e.getTagName());
    for (org.w3c.dom.Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof org.w3c.dom.Element child) {
        assertTrue(!token, where + ": an element inside <" + e.getTagName() + ">");
        textOnlyInTokens(child, where);
      } else if (c.getNodeType() == org.w3c.dom.Node.TEXT_NODE && !token) {
        assertTrue(c.getNodeValue().isBlank(), where + ": text '" + c.getNodeValue() + "' outside a token in <"
            + e.getTagName() + ">");
      }
    }
  }
}
