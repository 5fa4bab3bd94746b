package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrainCommandTest {
  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badOptionValuesAreUsageErrors() {
    Run r = run("train", "--iterations", "0");
    assertEquals(Main.USAGE, r.status());
    assertTrue(r.err().contains("--iterations must be at least 1, got 0"), r.err());
    Run lr = run("train", "--lr", "-1");
    assertEquals(Main.USAGE, lr.status());
    assertTrue(lr.err().contains("--lr must be a positive number, got -1.0"), lr.err());
    Run progress = run("train", "--progress", "fancy");
    assertEquals(Main.USAGE, progress.status());
  }

  @Test
  void aMissingModelFileIsReportedWithItsCode() {
    Run r = run("train", "no/such/model.nn");
    assertEquals(Main.MODEL_ERRORS, r.status());
    assertEquals("no/such/model.nn: error: [E0901] no such file\n", r.err());
  }
}
