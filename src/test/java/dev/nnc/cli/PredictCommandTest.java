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

  /**
   * Unlabelled data: IDX images without a labels file, or CSV rows, print one {@code index,class} line per row; the
   * classes are the ones the labelled run writes with {@code --out} (whose accuracy counts them against the labels),
   * {@code --values} adds the softmax outputs, and a malformed CSV line is E0916 with its line number.
   */
  @Test
  void unlabelledDataPrintsAClassPerRow(@TempDir Path tmp) throws Exception {
    Path w = tmp.resolve("w.npz");
    Run train = run("train", "--iterations", "100", "--batch", "50", "--optimizer", "adam", "--lr", "0.005",
        "--progress", "lines", "--save", w.toString());
    assertEquals(0, train.status(), train.err());
    int n = 40;
    dev.nnc.train.Dataset all = dev.nnc.train.Dataset.loadIdx("examples/data/mnist10k");
    String unlabelled = tmp.resolve("new").toString();
    String labelled = tmp.resolve("old").toString();
    writeIdx(all, n, unlabelled, false);
    writeIdx(all, n, labelled, true);

    Run plain = run("predict", "examples/two_layer_net.nn", "--params", w.toString(), "--data", unlabelled);
    assertEquals(0, plain.status(), plain.err());
    String[] lines = plain.out().split("\n");
    assertEquals(n + 1, lines.length, plain.out());
    assertEquals("index,class", lines[0]);
    for (int r = 0; r < n; r++) assertTrue(lines[r + 1].matches(r + ",[0-9]"), lines[r + 1]);

    Path out = tmp.resolve("p.csv");
    Run withLabels = run("predict", "examples/two_layer_net.nn", "--params", w.toString(), "--data", labelled, "--out",
        out.toString());
    assertEquals(0, withLabels.status(), withLabels.err());
    java.util.List<String> written = Files.readAllLines(out);
    assertEquals("index,class,label", written.get(0));
    int correct = 0;
    for (int r = 0; r < n; r++) {
      String[] cells = written.get(r + 1).split(",");
      assertEquals(lines[r + 1], cells[0] + "," + cells[1], "the same class with and without labels");
      assertEquals(all.labels()[r], Integer.parseInt(cells[2]));
      if (cells[1].equals(cells[2])) correct++;
    }
    assertTrue(withLabels.out().startsWith(String.format(java.util.Locale.ROOT, "accuracy %.4f (%d of %d) of TwoLayerNet",
        correct / (double) n, correct, n)), withLabels.out());
    assertTrue(withLabels.out().contains("wrote " + n + " predictions of TwoLayerNet to " + out), withLabels.out());

    // The same rows as CSV (pixel / 255, as the IDX reader scales them), with a header line.
    StringBuilder csv = new StringBuilder("p0,p1,…\n");
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < 784; j++) csv.append(j == 0 ? "" : ",").append(all.features()[r * 784 + j]);
      csv.append('\n');
    }
    Path csvFile = tmp.resolve("rows.csv");
    Files.writeString(csvFile, csv);
    Run fromCsv = run("predict", "examples/two_layer_net.nn", "--params", w.toString(), "--csv", csvFile.toString(),
        "--values");
    assertEquals(0, fromCsv.status(), fromCsv.err());
    String[] csvLines = fromCsv.out().split("\n");
    assertTrue(csvLines[0].startsWith("index,class,Y[0],Y[1],") && csvLines[0].endsWith(",Y[9]"), csvLines[0]);
    for (int r = 0; r < n; r++) {
      String[] cells = csvLines[r + 1].split(",");
      assertEquals(12, cells.length, csvLines[r + 1]);
      assertEquals(lines[r + 1], cells[0] + "," + cells[1]);
      double sum = 0;
      int best = 0;
      for (int j = 0; j < 10; j++) {
        double y = Double.parseDouble(cells[2 + j]);
        sum += y;
        if (y > Double.parseDouble(cells[2 + best])) best = j;
      }
      assertEquals(1.0, sum, 1e-9, "softmax outputs of row " + r);
      assertEquals(Integer.parseInt(cells[1]), best, "class is the argmax of the values");
    }

    Files.writeString(csvFile, "1,2,3\n4,x,6\n");
    Run bad = run("predict", "examples/two_layer_net.nn", "--params", w.toString(), "--csv", csvFile.toString());
    assertEquals(1, bad.status());
    assertEquals(csvFile + ":2: error: [E0916] value 2 is 'x', not a number\n", bad.err());
    Files.writeString(csvFile, "");
    Run empty = run("predict", "examples/two_layer_net.nn", "--params", w.toString(), "--csv", csvFile.toString());
    assertEquals(1, empty.status());
    assertEquals(csvFile + ": error: [E0916] no rows of numbers\n", empty.err());
    Files.writeString(csvFile, "index,class\n\n");
    Run headerOnly = run("predict", "examples/two_layer_net.nn", "--params", w.toString(), "--csv", csvFile.toString());
    assertEquals(csvFile + ":2: error: [E0916] no rows of numbers\n", headerOnly.err());
    Files.writeString(csvFile, "1,2,3\n");
    Run narrow = run("predict", "examples/two_layer_net.nn", "--params", w.toString(), "--csv", csvFile.toString());
    assertEquals(1, narrow.status());
    assertTrue(narrow.err().contains("[E0903]") && narrow.err().contains("784"), narrow.err());
  }

  /** The first n bundled digits as IDX images (bytes, as in the bundled file), with or without the labels file. */
  static void writeIdx(dev.nnc.train.Dataset all, int n, String prefix, boolean labels) throws java.io.IOException {
    java.io.ByteArrayOutputStream images = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream im = new java.io.DataOutputStream(images);
    im.writeInt(0x803);
    im.writeInt(n);
    im.writeInt(28);
    im.writeInt(28);
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < 784; j++) im.writeByte((int) Math.round(all.features()[r * 784 + j] * 255));
    }
    Files.write(Path.of(prefix + "-images-idx3-ubyte"), images.toByteArray());
    if (!labels) return;
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream lb = new java.io.DataOutputStream(bytes);
    lb.writeInt(0x801);
    lb.writeInt(n);
    for (int r = 0; r < n; r++) lb.writeByte(all.labels()[r]);
    Files.write(Path.of(prefix + "-labels-idx1-ubyte"), bytes.toByteArray());
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
