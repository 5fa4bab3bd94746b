package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc train --optimizer … --save} then {@code nnc predict --params}: the saved params predict the bundled
 * digits far better than chance, and a params file of another model is refused with E0907 naming the param.
 */
class PredictCommandTest {
  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void trainedParamsSavedAndPredicted(@TempDir Path tmp) throws Exception {
    Path w = tmp.resolve("w.npz");
    Run train = run("train", "--iterations", "200", "--batch", "50", "--optimizer", "adam", "--lr", "0.005",
        "--progress", "lines", "--save", w.toString());
    assertEquals(0, train.status(), train.err());
    assertTrue(train.out().contains("Adam  200 steps of batch 50, learning rate 0.005"), train.out());
    assertTrue(train.out().contains("saved the params to " + w + " (NumPy .npz)"), train.out());
    assertTrue(Files.size(w) > 784 * 50 * 8, "every param is in the file");

    Run predict = run("predict", "examples/two_layer_net.nn", "--params", w.toString());
    assertEquals(0, predict.status(), predict.err());
    Matcher m = Pattern.compile("accuracy (0\\.\\d{4}) \\((\\d+) of 10000\\) of TwoLayerNet").matcher(predict.out());
    assertTrue(m.find(), predict.out());
    double accuracy = Double.parseDouble(m.group(1));
    assertTrue(accuracy > 0.8, "200 Adam steps classify most digits: " + accuracy);
    assertEquals(Integer.parseInt(m.group(2)) / 10000.0, accuracy, 1e-4);
  }

  @Test
  void paramsOfAnotherModelAreRefusedNamingTheParam() {
    Run r = run("predict", "examples/two_layer_net.nn", "--params", "src/test/resources/realuse/small_net_f8.npz");
    assertEquals(1, r.status());
    assertEquals("src/test/resources/realuse/small_net_f8.npz: error: [E0907] param 'W1' (W1.npy): shape (6, 5) in the"
        + " file, the model needs (784, 50)\n", r.err());
  }

  @Test
  void anUnknownOptimizerIsAUsageError() {
    Run r = run("train", "--optimizer", "rmsprop");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("--optimizer must be sgd, momentum, adam or adamw, got rmsprop"), r.err());
  }
}
