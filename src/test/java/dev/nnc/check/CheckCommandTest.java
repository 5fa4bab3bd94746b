package dev.nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc check}: exit status over several files, hints as printed, usage errors. */
class CheckCommandTest {
  @TempDir Path dir;

  private record Run(int status, String out, String err) {}

  private Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private String file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p.toString();
  }

  @Test
  void oneBadFileAmongGoodOnesFailsTheRunButAllAreChecked() throws IOException {
    String good = file("good.nn", "J = 3(a + b c)\n");
    String bad = file("bad.nn", "model M {\n  input x\n  L = x / 0\n}\n");
    String good2 = file("good2.nn", "model A { input x; param w; L = (w x − 1)² }\nmodel B { J = 2 q }\n");
    Run r = run("check", good, bad, good2);
    assertEquals(1, r.status());
    assertTrue(r.out().contains(good + ": ok (1 model)"), r.out());
    assertTrue(r.out().contains(good2 + ": ok (2 models)"), r.out());
    assertTrue(r.err().contains(bad + ":3:11: error: [E0405] division by the literal 0"), r.err());
  }

  @Test
  void warningsAloneExitZero() throws IOException {
    String f = file("w.nn", "model M {\n  input x\n  param w, b\n  L = w x\n}\n");
    Run r = run("check", f);
    assertEquals(0, r.status());
    assertTrue(r.err().contains(f + ":3:12: warning: [W0501] param 'b' does not reach the loss 'L'"), r.err());
  }

  @Test
  void hintsSuggestTheFix() throws IOException {
    String f = file("h.nn", "model M {\n  input T[b, o], Y[b, o]\n  param W₁[o, o]\n  L = −sum(T log Y)\n"
        + "  K = sum(W_1 T)\n  M = sum(X)\n}\n");
    Run r = run("check", f);
    assertEquals(1, r.status());
    assertTrue(r.err().contains("product of matrix [b, o] and matrix [b, o]: inner dimensions o and b differ"), r.err());
    assertTrue(r.err().contains("hint: · and juxtaposition are the matrix product; for the elementwise product write "
        + "'T * log(Y)', and 'sum(T * log(Y))' to add up its entries"), r.err());
    assertTrue(r.err().contains(f + ":5:11: error: [E0201] undefined name 'W_1'\n    K = sum(W_1 T)\n"
        + "            ^\n  hint: did you mean 'W₁'?"), r.err());
    assertTrue(r.err().contains(f + ":6:11: error: [E0201] undefined name 'X'"), r.err());
  }

  @Test
  void spellingsEqualAfterNfcAreOneNameWithoutComplaint() throws IOException {
    // ŷ decomposed (y + U+0302) in the declaration, composed (U+0177) in the use
    String f = file("nfc.nn", "model N {\n  input y\u0302\n  L = 2 \u0177\n}\n");
    Run r = run("check", f);
    assertEquals("", r.err());
    assertEquals(0, r.status());
  }

  @Test
  void missingFileAndMissingArgument() {
    Run r = run("check", dir.resolve("nope.nn").toString());
    assertEquals(1, r.status());
    assertTrue(r.err().contains("[E0901]"), r.err());
    assertEquals(2, run("check").status());
  }
}
