package dev.nnc.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import dev.nnc.diag.Diagnostic;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What syntax diagnostics say: symbols not escapes, the character meant, and more than one error per file. */
class SyntaxMessagesTest {
  private static List<Diagnostic> diags(String text) {
    return Parsing.parse("t.nn", text).diagnostics();
  }

  private static String codes(List<Diagnostic> ds) {
    StringBuilder b = new StringBuilder();
    for (Diagnostic d : ds) b.append(d.code().id()).append('@').append(d.span()).append(' ');
    return b.toString().trim();
  }

  @Test
  void severalSlipsInOneFileAreEachReported() {
    List<Diagnostic> ds = diags("a = w∙x\nb = 2 3\nc = y – z\nd = q $\ne = 1.\nf = x⁴\n");
    assertEquals("E0102@1:6 E0105@2:7 E0102@3:7 E0103@4:7 E0107@5:5 E0103@6:6", codes(ds));
  }

  @Test
  void syntaxErrorsOnSeveralLinesAreEachReported() {
    List<Diagnostic> ds = diags("a = = 1\nb = 2\nc = * 3\nd = 4\ne = f(,)\n");
    assertEquals("E0101@1:5 E0101@3:5 E0101@5:7", codes(ds));
  }

  @Test
  void expectedSymbolsAreTheOnesUsersType() {
    Diagnostic d = diags("y = a ×\n").get(0);
    assertEquals("expected an expression, found end of file", d.message());
    Diagnostic n = diags("model M {\n  output\n}\n").get(0);
    assertEquals("expected a name, found end of line", n.message());
    Diagnostic s = diags("y = a b = c\n").get(0);
    assertEquals("expected end of statement, found '='", s.message());
    for (String bad : List.of("y = (a + ) b\n", "model { }\n", "param W[n] ~ (1)\ny = W\n", "y = sum\n")) {
      for (Diagnostic x : diags(bad)) {
        assertFalse(x.message().contains("\\u") || x.message().contains("<EOF>") || x.message().contains("'\\n'")
            || x.message().contains("CALL_LPAREN") || x.message().contains("token "), x.message());
      }
    }
  }

  @Test
  void aBuiltInWithoutOperandSaysSo() {
    Diagnostic d = diags("y = log\n").get(0);
    assertEquals("E0101", d.code().id());
    assertEquals("'log' needs an operand; found end of line", d.message());
  }

  @Test
  void aTrailingOperatorIsPointedOutWhenTheNextLineFails() {
    Diagnostic d = diags("a = 1 +\nb = 2\n").get(0);
    assertEquals("E0101", d.code().id());
    assertEquals("2:3", d.span().toString());
    assertTrue(d.hint().contains("'+' at the end of line 1"), d.hint());
  }

  @Test
  void lookAlikeHintsNameTheCharacterMeant() {
    assertEquals("write '·' instead", diags("y = a ∙ b\n").get(0).hint());
    assertEquals("write '−' instead", diags("y = a – b\n").get(0).hint());
    assertEquals("write 'ᵀ' instead (in ASCII: transpose(x))", diags("y = a′ b\n").get(0).hint());
    assertEquals("write '*' instead", diags("y = a ∗ b\n").get(0).hint());
    assertTrue(diags("y = a ∙ b\n").get(0).message().contains("U+2219"));
  }

  @Test
  void adjacentNumbersHintSuggestsAProduct() {
    assertTrue(diags("y = 2 3\n").get(0).hint().contains("2·3"));
    assertTrue(diags("y = x 2\n").get(0).hint().contains("x·2"));
  }

  @Test
  void leadingOperatorIsReportedOnceAndParsingGoesOn() {
    Result r = Parsing.parse("t.nn", "y = a\n  + b\nz = y $\n");
    assertEquals("E0108@2:3 E0103@3:7", codes(r.diagnostics()));
    assertEquals("put the operator at the end of the previous line", r.diagnostics().get(0).hint());
  }

  @Test
  void bracketErrorsAreOnePerSlip() {
    assertEquals("E0111@1:11", codes(diags("y = (1 + 2]\n")));
    assertEquals("E0111@1:5", codes(diags("y = (a\nz = 1\n")));
    assertEquals("E0111@2:7", codes(diags("model A {\n  y = ) \n}\n")));
    // A full-width bracket counts as the bracket meant, so its ASCII partner still balances.
    assertEquals("E0102@1:6", codes(diags("y = σ（z)\n")));
    assertEquals("E0102@1:5 E0102@1:7", codes(diags("y = （z）\n")));
  }
}
