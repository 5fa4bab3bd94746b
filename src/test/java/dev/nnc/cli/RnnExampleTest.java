package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * examples/rnn.nn, the Elman RNN of docs/language.md ("Recurrences"): {@code nnc gradcheck} passes on it, and
 * {@code nnc train} on the shipped majority data (examples/data/majority) reaches the accuracy docs/language.md states.
 */
class RnnExampleTest {
  @Test
  void gradcheckPasses() {
    TrainCommandTest.Run r = TrainCommandTest.run("gradcheck", "examples/rnn.nn");
    assertEquals(Main.OK, r.status(), r.out() + r.err());
    assertTrue(r.out().contains("  ok: 46 entries checked"), r.out());
    assertTrue(r.out().contains("not run: no forward mode through a recurrence"), r.out());
    assertTrue(r.out().contains("central difference (gated)"), r.out());
  }

  /**
   * The command of docs/language.md and README.md: 640 steps (10 epochs) of batch 50, learning rate 0.2, seed 1; the
   * saved params predict the whole data set (sequence binding in nnc predict too) as well as training measured.
   */
  @Test
  void trainingReachesTheDocumentedAccuracy(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    String npz = dir.resolve("rnn.npz").toString();
    TrainCommandTest.Run r = TrainCommandTest.run("train", "examples/rnn.nn", "--data", "examples/data/majority",
        "--iterations", "640", "--batch", "50", "--lr", "0.2", "--progress", "lines", "--save", npz);
    assertEquals(Main.OK, r.status(), r.err());
    assertTrue(r.out().contains("data  examples/data/majority: 4000 examples of 11 features, 2 classes; 3200 for "
        + "training, 800 for testing (seed 1)"), r.out());
    Matcher first = Pattern.compile("epoch  1/10  step 64  loss [0-9.]+  train acc ([0-9.]+)  test acc ([0-9.]+)")
        .matcher(r.out());
    assertTrue(first.find(), r.out());
    Matcher done = Pattern.compile("done  test acc ([0-9.]+), train acc ([0-9.]+)").matcher(r.out());
    assertTrue(done.find(), r.out());
    double test = Double.parseDouble(done.group(1));
    assertTrue(test >= 0.99, "test accuracy " + test + " (docs/language.md states ≥ 0.99)\n" + r.out());
    assertTrue(Double.parseDouble(first.group(2)) < 0.9, "it learns: after one epoch it is not there yet\n" + r.out());
    double train = Double.parseDouble(done.group(2));
    TrainCommandTest.Run p = TrainCommandTest.run("predict", "examples/rnn.nn", "--params", npz, "--data",
        "examples/data/majority");
    assertEquals(Main.OK, p.status(), p.err());
    Matcher acc = Pattern.compile("accuracy ([0-9.]+) \\(([0-9]+) of 4000\\)").matcher(p.out());
    assertTrue(acc.find(), p.out());
    // 3,200 training and 800 test sequences: predict's count is theirs
    assertEquals(Math.round(train * 3200 + test * 800), Long.parseLong(acc.group(2)), p.out());
  }
}
