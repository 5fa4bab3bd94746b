package dev.nnc.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code nnc fmt}: canonical output, both spellings, idempotence, exit statuses. */
class FmtCommandTest {
  @TempDir Path dir;

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("examples"))) {
      return s.filter(p -> p.toString().endsWith(".nn")).sorted().toList().stream();
    }
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void printsTheCanonicalUnicodeForm() throws IOException {
    Path p = write("lr.nn", """
        # comments go away
        model   LogisticRegression{input x[n],y ; param w[n],b
          z=wᵀx+b;a=sigmoid(z)
          L = -(y ln a + (1-y)*log(1 - a))   // elementwise * stays *
          loss L }
        """);
    Run r = run("fmt", p.toString());
    assertEquals(0, r.status(), r.err());
    assertEquals("""
        model LogisticRegression {
          input x[n], y
          param w[n], b
          z = wᵀx + b
          a = σ(z)
          L = −(y log a + (1 − y) * log(1 − a))
          loss L
        }
        """, r.out());
  }

  @Test
  void printsTheAsciiForm() throws IOException {
    Path p = write("t.nn", "y = σ(w·x)² + √z − π a³ + b ⊙ c × d ÷ e + x**2\n");
    Run r = run("fmt", "--ascii", p.toString());
    assertEquals(0, r.status(), r.err());
    assertEquals("y = sigmoid(w @ x)^2 + sqrt z - pi a^3 + b * c * d / e + x^2\n", r.out());
    Run u = run("fmt", "--unicode", p.toString());
    assertEquals("y = σ(w · x)² + √z − π a³ + b * c * d / e + x²\n", u.out());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void examplesFormatAndAreFixedPoints(Path example) throws IOException {
    for (String mode : List.of("--unicode", "--ascii")) {
      Run first = run("fmt", mode, example.toString());
      assertEquals(0, first.status(), first.err());
      assertEquals("", first.err());
      Path again = write(example.getFileName().toString(), first.out());
      Run second = run("fmt", mode, again.toString());
      assertEquals(first.out(), second.out(), "fmt is idempotent in " + mode);
    }
  }

  @Test
  void severalFilesGetHeaders() throws IOException {
    Path a = write("a.nn", "y = 1\n");
    Path b = write("b.nn", "z = 2\n");
    Run r = run("fmt", a.toString(), b.toString());
    assertEquals(0, r.status());
    assertEquals("# ==> " + a + " <==\ny = 1\n\n# ==> " + b + " <==\nz = 2\n", r.out());
  }

  @Test
  void aSemanticErrorStillFormats() throws IOException {
    Path p = write("sem.nn", "model M { input x\n y = undefined_function(x) + nowhere }\n");
    Run r = run("fmt", p.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("y = undefined_function(x) + nowhere"), r.out());
  }

  @Test
  void oneBadFileAmongGoodOnesGivesStatusOne() throws IOException {
    Path good = write("good.nn", "y = 1\n");
    Path bad = write("bad.nn", "y = (1\n");
    Run r = run("fmt", good.toString(), bad.toString());
    assertEquals(Main.MODEL_ERRORS, r.status());
    assertTrue(r.out().contains("y = 1"), r.out());
    assertTrue(r.err().contains(bad + ":1:5: error: [E0111]"), r.err());
  }

  @Test
  void usageErrors() {
    assertEquals(Main.USAGE, run("fmt").status());
    assertEquals(Main.USAGE, run("fmt", "--ascii", "--unicode", "x.nn").status());
    Run missing = run("fmt", dir.resolve("nope.nn").toString());
    assertEquals(Main.MODEL_ERRORS, missing.status());
    assertTrue(missing.err().contains("[E0901]"), missing.err());
  }

  @Test
  void invalidUtf8IsReportedThroughTheCli() throws IOException {
    Path p = dir.resolve("bin.nn");
    Files.write(p, new byte[] {'y', ' ', '=', ' ', (byte) 0xC0, (byte) 0xAF, '\n'});
    Run r = run("fmt", p.toString());
    assertEquals(Main.MODEL_ERRORS, r.status());
    assertTrue(r.err().startsWith(p + ":1:5: error: [E0104]"), r.err());
  }
}
