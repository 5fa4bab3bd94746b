package dev.nnc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticRenderer;
import dev.nnc.diag.Source;
import dev.nnc.train.InMemoryJavac;

/**
 * The whole pipeline under Jazzer (profile {@code fuzz}; see docs/fuzzing.md): any bytes are read as a .nn file and
 * compiled through parse, check, differentiation, simplification and code generation. A finding is an exception out
 * of the compiler (every bad input must be a diagnostic), a diagnostic whose caret lies outside its line, or a model
 * accepted without errors whose generated Java javac rejects.
 *
 * <p>Without {@code JAZZER_FUZZ=1} this runs only the seed inputs under {@code PipelineFuzzTestInputs/}, as a
 * regression test.
 */
class PipelineFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void pipeline(byte[] bytes) throws Exception {
    Source source = Source.fromBytes("fuzz.nn", bytes);
    Result result = Compiler.compile(source, Compiler.Options.defaults().inPackage("fuzz"));
    for (Diagnostic d : result.diagnostics()) {
      String rendered = DiagnosticRenderer.render(source, d); // must not throw either
      if (rendered.isEmpty()) throw new AssertionError("empty rendering of " + d);
    }
    if (result.hasErrors() || result.files().isEmpty()) return;
    try {
      InMemoryJavac.compile(result.files());
    } catch (InMemoryJavac.CompileException e) {
      throw new AssertionError("a valid model generated Java that javac rejects:\n" + e.getMessage()
          + "\n--- input ---\n" + source.text());
    }
  }
}
