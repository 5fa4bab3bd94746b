package dev.nnc.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticRenderer;
import dev.nnc.diag.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Character- and byte-level mutations of the example and conformance files (inserted line ends of every kind —
 * LF, CRLF, a lone CR, U+2028, NEL, VT, FF — brackets, superscripts, stray and invalid bytes, deletions) through
 * the parser and checker: no exception, and every diagnostic's caret lies inside its line (column 1 up to one past
 * the line's last code point) on a line the file has, in the text as the renderer prints it.
 */
class SourceFuzzTest {
  private static final String[] PIECES = {"\r", "\n", "\r\n", "\t", " ", "\u2028", "\u2029", "\u0085", "\u000B",
      "\u000C", "(", ")", "[", "]", "{", "}", "²", "³", "ᵀ", "π", "x", "1", "·", "=", "#", "~", ",", "−", "e",
      "log ", "model ", "loss", "\u0301", "😀", "\uFEFF", "\u0000"};

  @Test
  void everyCaretLiesInsideItsLine() throws IOException {
    List<String> seeds = seeds();
    SplittableRandom r = new SplittableRandom(20261130);
    int diagnostics = 0;
    for (int i = 0; i < 1500; i++) {
      String seed = seeds.get(r.nextInt(seeds.size()));
      if (i % 3 == 0) {
        byte[] b = mutateBytes(seed.getBytes(StandardCharsets.UTF_8), r);
        diagnostics += check(Source.fromBytes("fuzz" + i + ".nn", b));
      } else {
        diagnostics += check(Source.of("fuzz" + i + ".nn", mutate(seed, r)));
      }
    }
    assertTrue(diagnostics > 1500, diagnostics + " diagnostics checked");
  }

  /** The reproducer: CRLF line ends and a lone CR inside a statement. */
  @Test
  void aLoneCrEndsALine() {
    Source s = Source.of("cr.nn", "input x\r\nyT = x +\r    1 1\r\nL = yT\r\n");
    Result res = Compiler.compile(s, Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    assertEquals(1, res.diagnostics().size(), res.diagnostics().toString());
    Diagnostic d = res.diagnostics().get(0);
    assertEquals(3, d.span().line(), "the lone CR ended line 2; the second 1 is on line 3");
    assertEquals(7, d.span().col());
    assertEquals("    1 1", s.line(3));
    assertEquals("cr.nn:3:7: error: [E0105] the number 1 follows another operand with nothing between them\n"
        + "      1 1\n"
        + "        ^\n", DiagnosticRenderer.render(s, d).lines().limit(3).reduce("", (a, b) -> a + b + "\n"));
    // A lone CR is a line end in the lexer too: "x +" then "1 1" continue one statement (after a binary operator).
    Result ok = Compiler.compile(Source.of("ok.nn", "input x\ryT = x +\r  1\rL = yT + 2\r"),
        Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    assertTrue(ok.diagnostics().isEmpty(), ok.diagnostics().toString());
  }

  @Test
  void controlCharactersAndLineSeparatorsArePrintedOneForOne() {
    Source s = Source.of("ls.nn", "input x\nL = x\u2028 + \u000B q\n");
    Result res = Compiler.compile(s, Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    assertTrue(!res.diagnostics().isEmpty());
    for (Diagnostic d : res.diagnostics()) {
      String[] lines = DiagnosticRenderer.render(s, d).split("\n");
      assertEquals("  L = x\uFFFD + \uFFFD q", lines[1]);
      assertCaretInside(s, d);
    }
  }

  private static int check(Source source) {
    Result res;
    try {
      res = Compiler.compile(source, Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError("crash on\n" + source.text(), e);
    }
    for (Diagnostic d : res.diagnostics()) {
      if (d.span().line() == 0) continue; // file-level diagnostics have no position
      assertCaretInside(source, d);
    }
    return res.diagnostics().size();
  }

  private static void assertCaretInside(Source source, Diagnostic d) {
    int lines = (int) source.text().chars().filter(c -> c == '\n').count() + 1;
    int line = d.span().line();
    int col = d.span().col();
    if (line < 1 || line > lines) fail(d + ": line " + line + " of " + lines + " in\n" + source.text());
    String text = source.line(line);
    int width = text.codePointCount(0, text.length());
    if (col < 1 || col > width + 1) {
      fail(d + ": column " + col + " outside line " + line + " (" + width + " code points: " + text + ")");
    }
    String[] rendered = DiagnosticRenderer.render(source, d).split("\n", -1);
    String printed = rendered[1];
    String caret = rendered[2];
    assertTrue(printed.chars().noneMatch(c -> c == '\r' || c == '\u2028' || c == '\u0085' || c == '\u000B'),
        "a line terminator in the printed line: " + printed);
    assertTrue(caret.endsWith("^") && caret.codePointCount(0, caret.length()) <= printed.codePointCount(0,
        printed.length()) + 1, "caret past its line:\n" + printed + "\n" + caret);
  }

  private static String mutate(String s, SplittableRandom r) {
    StringBuilder b = new StringBuilder(s);
    int edits = 1 + r.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = b.length() == 0 ? 0 : r.nextInt(b.length() + 1);
      if (r.nextInt(4) == 0 && at < b.length()) {
        b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(5)));
      } else {
        b.insert(at, PIECES[r.nextInt(PIECES.length)]);
      }
    }
    return b.toString();
  }

  private static byte[] mutateBytes(byte[] b, SplittableRandom r) {
    byte[] out = b.clone();
    int edits = 1 + r.nextInt(3);
    for (int e = 0; e < edits && out.length > 0; e++) out[r.nextInt(out.length)] = (byte) r.nextInt(256);
    return out;
  }

  private static List<String> seeds() throws IOException {
    List<String> out = new ArrayList<>();
    for (Path dir : List.of(Path.of("examples"), Path.of("src/test/resources/conformance/parse"))) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.filter(p -> p.toString().endsWith(".nn")).sorted().toList()) {
          String text = Files.readString(p);
          if (text.length() < 4000) out.add(text);
        }
      }
    }
    assertTrue(out.size() > 10, out.size() + " seeds");
    return out;
  }
}
