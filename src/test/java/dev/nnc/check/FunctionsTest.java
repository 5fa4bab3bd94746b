package dev.nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.ast.AstPrinter;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Source;
import dev.nnc.ir.ModelIR;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model's own functions (docs/language.md): a call is its body with the parameters replaced by the arguments,
 * so a model written with {@code dense} lowers to exactly the IR of the same model written out by hand; errors
 * point at the definition and at the call.
 */
class FunctionsTest {
  static final String WITH = "model Net {\n  dim B, I = 4, H = 5, O = 3\n  input X[B, I], T[B, O]\n"
      + "  param W1[I, H], b1[H], W2[H, O], b2[O]\n  dense(x, W, b) = σ(x W + b)\n"
      + "  scores(h, W, b) = h W + b\n  H1 = dense(X, W1, b1)\n  H2 = dense(H1, W2, b2)\n"
      + "  Y = softmax(scores(H1, W2, b2) + H2)\n  L = −sum(T * log(Y)) / B\n}\n";
  static final String WITHOUT = "model Net {\n  dim B, I = 4, H = 5, O = 3\n  input X[B, I], T[B, O]\n"
      + "  param W1[I, H], b1[H], W2[H, O], b2[O]\n  H1 = σ(X W1 + b1)\n  H2 = σ(H1 W2 + b2)\n"
      + "  Y = softmax(H1 W2 + b2 + H2)\n  L = −sum(T * log(Y)) / B\n}\n";

  static Result check(String text) {
    return Compiler.compile(Source.of("m.nn", text), Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
  }

  @Test
  void callsLowerToTheSameIrAsTheBodyWrittenOut() {
    Result a = check(WITH);
    Result b = check(WITHOUT);
    assertFalse(a.hasErrors(), a.diagnostics().toString());
    ModelIR ma = a.models().get(0);
    ModelIR mb = b.models().get(0);
    assertEquals(mb.values().size(), ma.values().size(), "a definition is no value");
    for (ModelIR.Value v : mb.values()) {
      assertEquals(IrText.of(v.node()), IrText.of(ma.value(v.name()).node()), v.name());
    }
    assertEquals(mb.graph().size(), ma.graph().size(), "no node more: the common subexpression H1 W2 + b2 is shared");
  }

  @Test
  void definitionsPrintBackInBothSpellings() {
    Result a = check(WITH);
    String unicode = AstPrinter.print(a.ast(), AstPrinter.Spelling.UNICODE);
    String ascii = AstPrinter.print(a.ast(), AstPrinter.Spelling.ASCII);
    assertTrue(unicode.contains("\n  dense(x, W, b) = σ(x W + b)\n"), unicode);
    assertTrue(ascii.contains("\n  dense(x, W, b) = sigmoid(x W + b)\n"), ascii);
    assertFalse(check(ascii).hasErrors());
  }

  @Test
  void anErrorInTheBodyPointsAtTheDefinitionAndAtTheCall() {
    Result r = check("model M {\n  input X[B, I]\n  param W[I, H], b[I]\n  dense(x, W, b) = σ(x W + b)\n"
        + "  H1 = dense(X, W, b)\n  L = sum(H1)\n}\n");
    List<Diagnostic> d = r.diagnostics();
    assertEquals(2, d.size(), d.toString());
    assertEquals("E0401", d.get(0).code().id());
    assertEquals(4, d.get(0).span().line());
    assertEquals(26, d.get(0).span().col(), "the caret on the + of the body");
    assertTrue(d.get(0).message().endsWith("(in the call of 'dense' on line 5, column 8)"), d.get(0).message());
    assertEquals("E0222", d.get(1).code().id());
    assertEquals(5, d.get(1).span().line());
    assertEquals(8, d.get(1).span().col(), "the caret on the call");
    assertEquals("the arguments here: x = [B, I], W = [I, H], b = [I]; dense(x, W, b) is defined on line 4",
        d.get(1).hint());
  }

  @Test
  void aFunctionMayDifferentiateWithRespectToAParameterBoundToAVar() {
    Result r = Compiler.compile(Source.of("m.nn", "model M {\n  input x[n]\n  param w[n]\n"
        + "  slope(f, v) = ∂f/∂v\n  L = sum(σ(w * x))\n  g = slope(L, w)\n  loss L\n  output g\n}\n"),
        Compiler.Options.defaults().stopAfter(Compiler.Stage.DIFF));
    assertFalse(r.hasErrors(), r.diagnostics().toString());
    assertEquals(1, r.derivatives().get(0).derivatives().size(), "one ∂ expanded");
  }
}
