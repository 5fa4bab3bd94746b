package dev.nnc.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad inputs through the real command line ({@code nnc fmt FILE}): each must give its code at its line and column
 * (columns count code points), exit status 1, nothing on stdout and no stack trace.
 */
class SyntaxErrorTableTest {
  record Case(String what, byte[] bytes, String code, int line, int col) {
    @Override
    public String toString() {
      return what;
    }
  }

  private static Case text(String what, String text, String code, int line, int col) {
    return new Case(what, text.getBytes(StandardCharsets.UTF_8), code, line, col);
  }

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    // E0101: what the parser expected
    c.add(text("expression cut off after an operator", "z = w x +\n", "E0101", 1, 10));
    c.add(text("two equals signs", "y = = 3\n", "E0101", 1, 5));
    c.add(text("built-in without an operand", "y = sum\n", "E0101", 1, 8));
    c.add(text("two statements on one line", "a = 1 b = 2\n", "E0101", 1, 9));
    c.add(text("trailing comma in a call", "y = f(x,)\n", "E0101", 1, 9));
    c.add(text("model without a name", "model { y = 1 }\n", "E0101", 1, 7));
    c.add(text("initialiser missing after ~", "param W[n] ~\ny = W\n", "E0101", 2, 3)); // newline ignored after ~
    c.add(text("statement that is only an expression", "y = 1\nx + 1\n", "E0101", 2, 3));
    c.add(text("postfix power with nothing before it", "y = ² x\n", "E0101", 1, 5));
    c.add(text("error on the second line of a model", "model A {\n  y = 1\n  z = (1 +) 2\n}\n", "E0101", 3, 11));
    // E0102: look-alikes, with the character meant
    c.add(text("bullet operator for the middle dot", "z = w∙x\n", "E0102", 1, 6));
    c.add(text("en dash for minus", "y = a – b\n", "E0102", 1, 7));
    c.add(text("em dash for minus", "y = a — b\n", "E0102", 1, 7));
    c.add(text("prime for transpose", "y = w′x\n", "E0102", 1, 6));
    c.add(text("asterisk operator", "y = a ∗ b\n", "E0102", 1, 7));
    c.add(text("thin space", "y = a\u2009b\n", "E0102", 1, 6));
    c.add(text("look-alike after an astral-plane letter (columns count code points)", "y = 𝑥∙b\n", "E0102", 1, 6));
    // E0103: stray characters
    c.add(text("dollar sign", "z = w $ x\n", "E0103", 1, 7));
    c.add(text("superscript four", "y = x⁴\n", "E0103", 1, 6));
    c.add(text("stray after a BOM (the BOM is not a column)", "\uFEFFy = $\n", "E0103", 1, 5));
    c.add(text("stray after a tab", "y =\t?\n", "E0103", 1, 5));
    c.add(text("stray on line 3", "a = 1\nb = 2\nc = a ! b\n", "E0103", 3, 7));
    c.add(text("full-width parenthesis", "y = σ（z)\n", "E0102", 1, 6));
    c.add(text("dot between names", "y = x.y\n", "E0103", 1, 6));
    // E0104: invalid UTF-8
    c.add(new Case("invalid byte at the start of line 2", bytes("y = a\n", new byte[] {(byte) 0xFF}, " = 1\n"),
        "E0104", 2, 1));
    c.add(new Case("truncated sequence mid-line", bytes("y = ab", new byte[] {(byte) 0xC3}, " + c\n"),
        "E0104", 1, 7));
    // E0105: two numbers side by side
    c.add(text("2 3", "y = 2 3\n", "E0105", 1, 7));
    c.add(text("x 2", "y = x 2\n", "E0105", 1, 7));
    c.add(text("(2) 3", "y = (2) 3\n", "E0105", 1, 9));
    c.add(text("2² 3", "y = 2² 3\n", "E0105", 1, 8));
    // E0106: nesting
    c.add(text("1001 nested parentheses", "y = " + "(".repeat(1001) + "x" + ")".repeat(1001) + "\n",
        "E0106", 1, 1005));
    // E0107: malformed numbers
    c.add(text("1.2.3", "y = 1.2.3\n", "E0107", 1, 5));
    c.add(text("2.x", "y = 2.x\n", "E0107", 1, 5));
    c.add(text("1.", "y = 1.\n", "E0107", 1, 5));
    // E0108: a line starting with a binary operator
    c.add(text("continuation line starting with +", "y = a\n+ b\n", "E0108", 2, 1));
    c.add(text("continuation line starting with ·", "y = a\n    · b\n", "E0108", 2, 5));
    c.add(text("continuation line starting with −", "model A {\n  y = a\n  − b\n}\n", "E0108", 3, 3));
    // E0109: nothing to compile
    c.add(text("empty file", "", "E0109", 1, 1));
    c.add(text("only comments and blank lines", "# nothing\n\n// here\n", "E0109", 1, 1));
    // E0110: models mixed with bare statements
    c.add(text("bare statement after a model", "model A { y = 1 }\nz = 2\n", "E0110", 2, 1));
    c.add(text("model after a bare statement", "z = 2\nmodel A { y = 1 }\n", "E0110", 2, 1));
    // E0111: brackets
    c.add(text("unclosed parenthesis", "y = σ(z\nw = 1\n", "E0111", 1, 6));
    c.add(text("closing parenthesis that closes nothing", "y = z)\n", "E0111", 1, 6));
    c.add(text("mismatched bracket", "y = (a]\n", "E0111", 1, 7));
    c.add(text("mismatched bracket inside a model", "model A {\n  y = (1 + 2]\n}\n", "E0111", 2, 13));
    c.add(text("unclosed shape", "input x[n\ny = x\n", "E0111", 1, 8));
    c.add(text("unclosed model block", "model A {\n  y = 1\n", "E0111", 1, 9));
    c.add(text("stray closing brace", "y = 1\n}\n", "E0111", 2, 1));
    // E0212: reserved words as names
    c.add(text("keyword as a name", "model = 3\n", "E0212", 1, 1));
    c.add(text("built-in as a name", "y = 1\nlog = 3\n", "E0212", 2, 1));
    c.add(text("keyword as a declared name", "input x, output\ny = x\n", "E0212", 1, 10));
    return c;
  }

  private static byte[] bytes(String before, byte[] bad, String after) {
    byte[] a = before.getBytes(StandardCharsets.UTF_8);
    byte[] c = after.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[a.length + bad.length + c.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(bad, 0, all, a.length, bad.length);
    System.arraycopy(c, 0, all, a.length + bad.length, c.length);
    return all;
  }

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsTheCodeAtTheRightPlace(Case c) throws IOException {
    Path file = dir.resolve("t.nn");
    Files.write(file, c.bytes());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"fmt", file.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String stderr = err.toString(StandardCharsets.UTF_8);
    String expected = file + ":" + c.line() + ":" + c.col() + ": error: [" + c.code() + "]";
    assertTrue(stderr.contains(expected), () -> "expected '" + expected + "' in:\n" + stderr);
    assertEquals(Main.MODEL_ERRORS, status, stderr);
    assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing is printed for a file with errors");
    assertFalse(stderr.contains("Exception") || stderr.contains("\tat ") || stderr.contains("internal error"),
        stderr);
    // The first diagnostic carries the source line and a caret line under it.
    String[] lines = stderr.split("\n");
    assertTrue(lines.length >= 3 && lines[2].trim().equals("^"), stderr);
  }

  @org.junit.jupiter.api.Test
  void everyCodeOfTheParserIsCovered() {
    List<String> codes = cases().stream().map(Case::code).distinct().toList();
    for (String code : List.of("E0101", "E0102", "E0103", "E0104", "E0105", "E0106", "E0107", "E0108", "E0109",
        "E0110", "E0111", "E0212")) {
      assertTrue(codes.contains(code), code);
    }
  }
}
