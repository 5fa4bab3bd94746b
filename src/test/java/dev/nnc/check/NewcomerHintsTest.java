package dev.nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, diagnostics from a newcomer's first hour: the hints for {@code w^T x} / {@code wT} (→ wᵀ), {@code sigma z}
 * (→ σ) and {@code ½} (→ 1/2), and a reserved word declared as a name reported even when a later line has a syntax
 * error (before, only the later line was reported, though the declaration is the root cause).
 */
class NewcomerHintsTest {
  private static List<Diagnostic> check(String text) {
    Result r = Compiler.compile(Source.of("m.nn", text), Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    return r.diagnostics();
  }

  private static String first(String text) {
    Diagnostic d = check(text).get(0);
    return d.span().line() + ":" + d.span().col() + " " + d.code().id() + " " + d.hint();
  }

  @Test
  void caretTIsATranspose() {
    assertEquals("3:7 E0201 for a transpose write ᵀ right after the operand: wᵀx, not w^T x",
        first("input x[n]\nparam w[n]\nz = w^T x\n"));
    assertEquals("3:5 E0201 for the transpose of 'w' write wᵀ", first("input x[n]\nparam w[n]\nz = wT x\n"));
  }

  @Test
  void sigmaIsSpelledσ() {
    assertEquals("3:5 E0201 the logistic function is written σ (or sigmoid): σ(z)",
        first("input z\nparam b\na = sigma z + b\n"));
  }

  @Test
  void aVulgarFractionSaysWhatToWrite() {
    assertEquals("2:5 E0103 fraction characters are not numbers here; write 1/2", first("input x\nL = ½ x²\n"));
    assertEquals("2:5 E0103 fraction characters are not numbers here; write 3/4", first("input x\nL = ¾ x²\n"));
  }

  @Test
  void aReservedDeclarationIsReportedBeforeALaterSyntaxError() {
    List<Diagnostic> ds = check("model M {\n  param log\n  input x\n  L = x +* 2\n}\n");
    assertEquals("E0212", ds.get(0).code().id(), ds.toString());
    assertEquals(2, ds.get(0).span().line());
    assertEquals(9, ds.get(0).span().col());
    assertEquals("E0101", ds.get(ds.size() - 1).code().id(), ds.toString());
    List<Diagnostic> model = check("input model, x\nL = x +* 2\n");
    assertEquals("1:7 E0212", model.get(0).span().line() + ":" + model.get(0).span().col() + " "
        + model.get(0).code().id());
    // an unclosed bracket stops before parsing (E0111): the declaration is still reported first
    List<Diagnostic> unclosed = check("param log\nL = log * (\n");
    assertEquals("1:7 E0212", unclosed.get(0).span().line() + ":" + unclosed.get(0).span().col() + " "
        + unclosed.get(0).code().id(), unclosed.toString());
    assertEquals("E0111", unclosed.get(unclosed.size() - 1).code().id(), unclosed.toString());
  }
}
