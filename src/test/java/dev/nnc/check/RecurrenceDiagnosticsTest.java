package dev.nnc.check;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The recurrence diagnostics (docs/language.md, "Recurrences"; docs/diagnostics.md): each bad model through
 * {@code nnc check} reports its code at the line and column of the marked text, with the source line and a caret,
 * exit status 1 for errors and 0 for the warning, never a stack trace.
 */
class RecurrenceDiagnosticsTest {
  @TempDir Path dir;

  static final String HEAD = "model M {\n  dim T, I = 2, H = 3\n  input X[T, I], U[I, T], y\n"
      + "  param Wx[I, H], Wh[H, H], b[H], h0[H], v[H]\n";
  static final String STEP = "  h[t] = tanh(h[t−1] Wh + X[t] Wx + b)\n";
  static final String LOSS = "  L = (h[T] · v − y)²\n}\n";

  /** name, model, the text the diagnostic points at (its first occurrence after "@"), code, error or warning. */
  static Stream<Arguments> cases() {
    return Stream.of(
        of("the step reads itself", HEAD + "  h[0] = h0\n  h[t] = tanh(@h[t] Wh + X[t] Wx + b)\n" + LOSS, "E0226"),
        of("the step reads a later step", HEAD + "  h[0] = h0\n  h[t] = tanh(@h[t+1] Wh + X[t] Wx + b)\n" + LOSS,
            "E0226"),
        of("two steps back", HEAD + "  h[0] = h0\n  h[t] = tanh(h[@t−2] Wh + X[t] Wx + b)\n" + LOSS, "E0227"),
        of("a sequence at the previous step", HEAD + "  h[0] = h0\n  h[t] = tanh(h[t−1] Wh + X[@t−1] Wx + b)\n"
            + LOSS, "E0227"),
        of("a step line with a number", HEAD + "  h[0] = h0\n  h[@1] = tanh(h[t−1] Wh + X[t] Wx + b)\n" + LOSS,
            "E0227"),
        of("an initial state at 1", HEAD + "  h[@1] = h0\n" + STEP + LOSS, "E0227"),
        of("a middle step outside", HEAD + "  h[0] = h0\n" + STEP + "  L = (h[@3] · v − y)²\n}\n", "E0227"),
        of("a step of no recurrence", HEAD + "  h[0] = h0\n" + STEP + "  L = (h[T] · v − @X[T] · Wx · v)²\n}\n",
            "E0227"),
        of("the step index as a value", HEAD + "  h[0] = h0\n  h[t] = tanh(h[t−1] Wh + X[t] Wx + b + @t)\n" + LOSS,
            "E0227"),
        of("a function reading a step", HEAD + "  f(a) = @a[t]\n  h[0] = h0\n" + STEP + LOSS, "E0227"),
        of("no initial state", HEAD + "  @h[t] = tanh(h[t−1] Wh + X[t] Wx + b)\n" + LOSS, "E0228"),
        of("initial state below the step", HEAD + "  @h[t] = tanh(h[t−1] Wh + X[t] Wx + b)\n  h[0] = h0\n" + LOSS,
            "E0228"),
        of("an initial state without a step", HEAD + "  @h[0] = h0\n  L = (h0 · v − y)²\n}\n", "E0228"),
        of("an initial state twice", HEAD + "  h[0] = h0\n  @h[0] = 2h0\n" + STEP + LOSS, "E0228"),
        of("a recurrence assigned plainly", HEAD + "  h[0] = h0\n  @h = tanh(h0 Wh)\n  L = (h · v − y)²\n}\n",
            "E0228"),
        of("sequences over two dims", HEAD + "  h[0] = h0\n  h[t] = tanh(h[t−1] Wh + X[t] Wx + @U[t] Wx + b)\n"
            + LOSS, "E0229"),
        of("a scalar as a sequence", HEAD + "  h[0] = h0\n  h[t] = tanh(h[t−1] Wh + X[t] Wx + @y[t] b)\n" + LOSS,
            "E0229"),
        of("a step that reads no sequence", HEAD + "  h[0] = h0\n  @h[t] = tanh(h[t−1] Wh + b)\n" + LOSS, "E0229"),
        of("a state of the wrong shape", HEAD + "  h[0] = y\n  h[t] = @tanh(h[t−1] Wh + X[t] Wx + b)\n" + LOSS,
            "E0307"),
        of("a state of another vector shape", HEAD + "  h[0] = sum(U, axis=1)\n  h[t] = @tanh(X[t] Wx + b) + sum(h[t−1])\n"
            + LOSS, "E0307"),
        of("a second derivative through a recurrence", HEAD + "  h[0] = h0\n" + STEP
            + "  L = (h[T] · v − y)²\n  P = L + sum((@∂L/∂Wh)²)\n}\n", "E0230"),
        Arguments.of("a step that ignores the state", HEAD + "  h[0] = h0\n  h[t] = @tanh(X[t] Wx + b)\n" + LOSS,
            "W0503", "warning", 0));
  }

  private static Arguments of(String name, String text, String code) {
    return Arguments.of(name, text, code, "error", 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsTheCodeWhereTheMarkIs(String name, String marked, String code, String severity, int status)
      throws IOException {
    int at = marked.indexOf('@');
    String text = marked.substring(0, at) + marked.substring(at + 1);
    String before = text.substring(0, at);
    int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
    int col = before.codePointCount(before.lastIndexOf('\n') + 1, before.length()) + 1;
    Path file = dir.resolve("bad.nn");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(new String[] {"check", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String stderr = err.toString(StandardCharsets.UTF_8);
    String expected = file + ":" + line + ":" + col + ": " + severity + ": [" + code + "]";
    assertTrue(stderr.contains(expected), () -> "expected " + expected + " in:\n" + stderr);
    assertEquals(status, exit, stderr);
    assertFalse(stderr.contains("Exception") || stderr.contains("\tat ") || stderr.contains("internal error"), stderr);
    String[] lines = stderr.split("\n");
    int k = 0;
    while (!lines[k].contains(expected)) k++;
    assertTrue(lines[k + 2].strip().startsWith("^"), () -> "no caret line in:\n" + stderr);
  }
}
