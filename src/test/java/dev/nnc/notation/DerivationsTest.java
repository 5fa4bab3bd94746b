package dev.nnc.notation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Source;
import dev.nnc.diff.Adjoint;
import dev.nnc.diff.AdjointNames;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.Expr;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one renderer of derivation terms, in the three notations. */
class DerivationsTest {
  static DiffModel compile(String text) {
    Result r = Compiler.compile(Source.of("t.nn", text), Compiler.Options.defaults());
    assertFalse(r.hasErrors(), r.toString());
    return r.derivatives().get(0);
  }

  static String line(DiffModel d, String name, MathPrinter.Notation n) {
    Adjoint a = d.adjoint(name);
    Label.Partial symbol = new Label.Partial(d.explanation().loss(), a.spelling());
    return MathPrinter.labelled(n, Map.of()).label(symbol) + Derivations.rhs(symbol, a.steps(), d.explanation(),
        new Formula(a.value(), AdjointNames.of(d, a), true), n, 600, 4000);
  }

  private static final String LOGISTIC = "z = w x + b\na = σ(z)\nL = −(y log a + (1−y) log(1−a))\n";

  @Test
  void oneStepInEachNotation() {
    DiffModel d = compile(LOGISTIC);
    assertEquals("∂L/∂z = ∂L/∂a · ∂a/∂z = ∂L/∂a · a(1−a) = a − y", line(d, "z", MathPrinter.Notation.UNICODE));
    assertEquals("dL/dz = dL/da * da/dz = dL/da * a(1-a) = a - y", line(d, "z", MathPrinter.Notation.ASCII));
    assertEquals("\\frac{\\partial L}{\\partial z} = \\frac{\\partial L}{\\partial a} \\cdot \\frac{\\partial a}"
        + "{\\partial z} = \\frac{\\partial L}{\\partial a} \\cdot a(1-a) = a - y",
        line(d, "z", MathPrinter.Notation.LATEX));
  }

  @Test
  void theResultIsShownOnlyWhenItIsAnotherForm() {
    DiffModel d = compile(LOGISTIC);
    // ∂L/∂w = ∂L/∂z · x: the simplified result is the same operations on the same labels, shown once
    assertEquals("∂L/∂w = ∂L/∂z · ∂z/∂w = ∂L/∂z · x", line(d, "w", MathPrinter.Notation.UNICODE));
    // ∂L/∂b: the local form is the symbol ∂L/∂z times a local derivative 1 (shown, as the course does), the result
    // its definition: both shown
    assertEquals("∂L/∂b = ∂L/∂z · ∂z/∂b = ∂L/∂z · 1 = a − y", line(d, "b", MathPrinter.Notation.UNICODE));
    assertEquals("dL/db = dL/dz * dz/db = dL/dz * 1 = a - y", line(d, "b", MathPrinter.Notation.ASCII));
    // ∂L/∂a: no double negation, terms in the order of the source, as the course writes it
    assertEquals("∂L/∂a = −y/a + (1−y)/(1−a) = (a−y)/(a(1−a))", line(d, "a", MathPrinter.Notation.UNICODE));
    Adjoint w = d.adjoint("w");
    Formula local = Derivations.localForm(w.steps().get(0), d.explanation());
    assertTrue(local.sameAs(new Formula(w.value(), AdjointNames.of(d, w), true)));
    assertFalse(local.sameAs(new Formula(d.adjoint("b").value(), AdjointNames.of(d, w), true)));
  }

  @Test
  void termsJoinWithTheSignOfTheNextTerm() {
    DiffModel d = compile("p = sin(x)\nq = −x²\nL = p + q\n");
    assertEquals("∂L/∂p · cos(x) − ∂L/∂q · 2x", Derivations.local(d.adjoint("x").steps(), d.explanation(),
        MathPrinter.Notation.UNICODE, 600));
    assertEquals("dL/dp * cos(x) - dL/dq * 2x", Derivations.local(d.adjoint("x").steps(), d.explanation(),
        MathPrinter.Notation.ASCII, 600));
  }

  @Test
  void namesAreSpelledPerNotationNotRescanned() {
    // y followed by a combining circumflex: one name of two code points, which re-scanning text split in two
    DiffModel d = compile("y\u0302 = x y\nz = y\u0302 W₁\n");
    assertEquals("\\frac{\\partial z}{\\partial \\mathit{y\u0302}} = W_{1}",
        line(d, "\u0177", MathPrinter.Notation.LATEX));
    assertEquals("dz/dy\u0302 = W1", line(d, "\u0177", MathPrinter.Notation.ASCII));
    assertEquals("∂z/∂y\u0302 = W₁", line(d, "\u0177", MathPrinter.Notation.UNICODE));
  }

  @Test
  void stepsAreDataAboutTheStatement() {
    DiffModel d = compile(LOGISTIC);
    List<Step> steps = d.adjoint("z").steps();
    assertEquals(1, steps.size());
    Step s = steps.get(0);
    assertEquals("a", s.consumer().spelling());
    assertEquals("z", s.wrt());
    assertFalse(s.fromLoss());
    Map<Expr, Explanation.Symbol> symbols = d.explanation().symbols();
    // ∂L/∂a · a(1−a): the incoming adjoint is a symbol standing for a's adjoint
    Expr incoming = s.local().inputs().get(0);
    assertTrue(symbols.get(incoming).adjoint());
    assertEquals("a", symbols.get(incoming).spelling());
  }
}
