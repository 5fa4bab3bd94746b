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

  /** Cosine annealing: step t of N uses lr·(1 + cos(πt/N))/2 — the full rate first, half at mid-run, near 0 last. */
  @Test
  void theCosineScheduleAnnealsTheRateToZero() {
    dev.nnc.train.Trainer.Options o = new dev.nnc.train.Trainer.Options(100, 10, 0.4, 1, 50, "adam",
        dev.nnc.train.Trainer.Schedule.COSINE);
    assertEquals(0.4, o.learningRateAt(0), 0.0);
    assertEquals(0.2, o.learningRateAt(50), 1e-15);
    assertEquals(0.4 * 0.5 * (1 + Math.cos(Math.PI * 99 / 100)), o.learningRateAt(99), 1e-15);
    for (int t = 1; t < 100; t++) assertTrue(o.learningRateAt(t) < o.learningRateAt(t - 1), "step " + t);
    dev.nnc.train.Trainer.Options constant = new dev.nnc.train.Trainer.Options(100, 10, 0.4, 1, 50, "adam");
    assertEquals(0.4, constant.learningRateAt(99), 0.0);
    Run bad = run("train", "--schedule", "step");
    assertEquals(Main.USAGE, bad.status());
    assertTrue(bad.err().contains("--schedule must be constant or cosine, got step"), bad.err());
  }

  /** The schedule reaches the generated step: three steps annealed end elsewhere than three at a constant rate. */
  @Test
  void theCosineScheduleChangesTheSteps(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    String slice = writeSlice(dir, 200);
    String[] common = {"train", "--data", slice, "--iterations", "3", "--batch", "20", "--lr", "0.5", "--progress",
        "lines"};
    Run constant = run(common);
    Run cosine = run(concat(common, "--schedule", "cosine"));
    assertEquals(Main.OK, cosine.status(), cosine.err());
    assertTrue(cosine.out().contains("SGD   3 steps of batch 20, learning rate 0.5 annealed to 0 (cosine): "), cosine.out());
    String doneConstant = last(constant.out()).replaceAll("; 3 steps in .*", "");
    String doneCosine = last(cosine.out()).replaceAll("; 3 steps in .*", "");
    assertTrue(!doneConstant.equals(doneCosine), doneConstant + " vs " + doneCosine);
  }

  /** Issue 11: {@code --batch 20000} blamed {@code --train-size}, which the user had not given. */
  @Test
  void aBatchLargerThanTheTrainingSetBlamesTheBatch(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    String slice = writeSlice(dir, 200);
    Run r = run("train", "--data", slice, "--batch", "20000", "--iterations", "1");
    assertEquals(Main.USAGE, r.status(), r.err());
    assertTrue(r.err().startsWith("--batch 20000 is more than the 160 training examples (80% of the 200; "
        + "--train-size sets how many); use a batch of at most 160"), r.err());
    Run both = run("train", "--data", slice, "--batch", "100", "--train-size", "50", "--iterations", "1");
    assertTrue(both.err().startsWith("--batch 100 is more than --train-size 50"), both.err());
    Run tooMany = run("train", "--data", slice, "--train-size", "500", "--iterations", "1");
    assertTrue(tooMany.err().startsWith("--train-size 500 is more than the 200 examples of the data"), tooMany.err());
  }

  /**
   * The real pipeline end to end: examples/two_layer_net.nn compiled in memory and trained for 300 steps on 1,500
   * of 2,000 digits sampled from the bundled set, tested on the other 500. Chance is 0.1; the loss starts at
   * ln 10 ≈ 2.30.
   */
  @Test
  void theTwoLayerNetLearnsTheDigitsInAFewHundredSteps(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    String slice = writeSlice(dir, 2000);
    Run r = run("train", "--data", slice, "--iterations", "300", "--batch", "50", "--train-size", "1500", "--lr", "0.5",
        "--seed", "5", "--progress", "lines");
    assertEquals(Main.OK, r.status(), r.err());
    assertEquals("", r.err());
    String[] lines = r.out().split("\\n");
    assertTrue(lines[0].startsWith("model TwoLayerNet from examples/two_layer_net.nn, compiled in memory in "), lines[0]);
    assertEquals("data  " + slice + ": 2000 examples of 784 features, 10 classes; 1500 for training, 500 for "
        + "testing (seed 5)", lines[1]);
    assertEquals("SGD   300 steps of batch 50, learning rate 0.5: 10 epochs of 30 steps; accuracy = argmax of Y", lines[2]);
    java.util.List<String> epochs = java.util.Arrays.stream(lines).filter(l -> l.startsWith("epoch ")).toList();
    assertEquals(10, epochs.size());
    double firstLoss = number(epochs.get(0), "loss ");
    double lastLoss = number(epochs.get(9), "loss ");
    double firstTest = number(epochs.get(0), "test acc ");
    double lastTest = number(epochs.get(9), "test acc ");
    assertTrue(firstLoss > 1.5 && lastLoss < 0.5 * firstLoss, "loss " + firstLoss + " → " + lastLoss);
    assertTrue(lastTest > 0.8 && lastTest > firstTest, "test accuracy " + firstTest + " → " + lastTest);
    String done = lines[lines.length - 1];
    assertTrue(done.matches("done  test acc 0\\.\\d{4}, train acc 0\\.\\d{4}, loss \\d\\.\\d{4}; 300 steps in "
        + "\\d+\\.\\d s wall, \\d+\\.\\d{3} ms/step \\(forward\\+backward\\+step\\)"), done);
  }

  /**
   * examples/mnist_cnn.nn (conv → relu → maxpool twice, dense, softmax) through nnc train: the image rows bound to
   * X[B, 1, 28, 28] as they are. A short run (the full run and its accuracy are in docs/language.md and the README):
   * 60 Adam steps of 20 on 1,000 digits; the loss falls from about ln 10 and the test accuracy is far above chance.
   */
  @Test
  void theCnnExampleTrainsOnImageShapedFeatures(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    String slice = writeSlice(dir, 1000);
    Run r = run("train", "examples/mnist_cnn.nn", "--data", slice, "--iterations", "60", "--batch", "20",
        "--train-size", "800", "--optimizer", "adam", "--lr", "0.003", "--seed", "3", "--progress", "lines");
    assertEquals(Main.OK, r.status(), r.err());
    String[] lines = r.out().split("\\n");
    assertEquals("data  " + slice + ": 1000 examples of 784 features, 10 classes; 800 for training, 200 for "
        + "testing (seed 3)", lines[1]);
    java.util.List<String> steps = java.util.Arrays.stream(lines).filter(l -> l.startsWith("step ")).toList();
    double first = number(steps.get(0), "loss ");
    double last = number(steps.get(steps.size() - 1), "loss ");
    assertTrue(first > 1.8 && last < 0.6 * first, "loss " + first + " → " + last);
    String done = lines[lines.length - 1];
    double test = Double.parseDouble(done.replaceAll("^done  test acc (\\d\\.\\d+),.*$", "$1"));
    assertTrue(test > 0.6, done);
  }

  /**
   * {@code --precision float32} trains the float class on the same steps: its test accuracy is within 0.005 of the
   * double class's (the bar), its .npz is float32 and loads into the double class through nnc predict.
   */
  @Test
  void float32TrainsToTheAccuracyOfFloat64(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    String slice = writeSlice(dir, 2000);
    String[] common = {"train", "--data", slice, "--iterations", "300", "--batch", "50", "--train-size", "1500", "--lr",
        "0.5", "--seed", "5", "--progress", "lines"};
    java.nio.file.Path w32 = dir.resolve("w32.npz");
    Run f32 = run(concat(common, "--precision", "float32", "--save", w32.toString()));
    Run f64 = run(common);
    assertEquals(Main.OK, f32.status(), f32.err());
    assertEquals(Main.OK, f64.status(), f64.err());
    assertTrue(f32.out().startsWith("model TwoLayerNet from examples/two_layer_net.nn, compiled in memory over float32 in "),
        f32.out());
    double acc32 = number(last(f32.out()), "test acc ");
    double acc64 = number(last(f64.out()), "test acc ");
    assertTrue(acc64 > 0.8 && Math.abs(acc32 - acc64) <= 0.005, "test accuracy float32 " + acc32 + ", float64 " + acc64);
    byte[] npz = java.nio.file.Files.readAllBytes(w32);
    assertTrue(new String(npz, StandardCharsets.ISO_8859_1).contains("'descr': '<f4'"), "float32 weights");
    Run predict = run("predict", "examples/two_layer_net.nn", "--params", w32.toString(), "--data", slice);
    assertEquals(Main.OK, predict.status(), predict.err());
    assertTrue(predict.out().startsWith("accuracy 0."), predict.out());
    Run bad = run("train", "--precision", "half");
    assertEquals(Main.USAGE, bad.status());
    assertTrue(bad.err().contains("[E0915] 'half' is not a precision; use float64 (or double), float32 (or float)"),
        bad.err());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String last(String out) {
    String[] lines = out.split("\\n");
    for (int i = lines.length - 1; i >= 0; i--) if (lines[i].startsWith("epoch ")) return lines[i];
    throw new AssertionError("no epoch line in " + out);
  }

  /** A random sample of the bundled digits written back as IDX files; returns their prefix. */
  private static String writeSlice(java.nio.file.Path dir, int n) throws java.io.IOException {
    dev.nnc.train.Dataset all = dev.nnc.train.Dataset.loadIdx("examples/data/mnist10k");
    java.util.List<Integer> order = new java.util.ArrayList<>();
    for (int i = 0; i < all.size(); i++) order.add(i);
    java.util.Collections.shuffle(order, new java.util.Random(11));
    java.io.ByteArrayOutputStream images = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream labels = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream im = new java.io.DataOutputStream(images);
    java.io.DataOutputStream lb = new java.io.DataOutputStream(labels);
    im.writeInt(0x803);
    im.writeInt(n);
    im.writeInt(28);
    im.writeInt(28);
    lb.writeInt(0x801);
    lb.writeInt(n);
    for (int r = 0; r < n; r++) {
      int item = order.get(r);
      for (int j = 0; j < 784; j++) im.writeByte((int) Math.round(all.features()[item * 784 + j] * 255));
      lb.writeByte(all.labels()[item]);
    }
    String prefix = dir.resolve("slice").toString();
    java.nio.file.Files.write(java.nio.file.Path.of(prefix + "-images-idx3-ubyte"), images.toByteArray());
    java.nio.file.Files.write(java.nio.file.Path.of(prefix + "-labels-idx1-ubyte"), labels.toByteArray());
    return prefix;
  }

  /**
   * Names that are no Java identifiers as written — Greek, subscripts, a Java keyword — reach the generated class as
   * {@code theta}, {@code W1}, {@code class_}, {@code lambda} and {@code yHat}; training finds every param and the
   * output through the model's name table (it used to look fields up by model name and died at the first epoch's
   * evaluation: NoSuchFieldException: θ). Trained for 120 steps on 600 digits, the loss must fall well below ln 10.
   */
  @Test
  void aModelWithGreekSubscriptAndKeywordNamesTrains(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path model = dir.resolve("names.nn");
    java.nio.file.Files.writeString(model, """
        model Names {
          dim B, I = 784, H = 16, O = 10
          input X[B, I], T[B, O]
          param θ[I, H] ~ normal(0, 0.01), W₁[H, O] ~ normal(0, 0.01), class[H], λ[O]
          ŷ = softmax(σ(X θ + class) W₁ + λ)
          L = −sum(T * log(ŷ + 1e-7)) / B
          output ŷ
        }
        """);
    String slice = writeSlice(dir, 800);
    Run r = run("train", model.toString(), "--data", slice, "--iterations", "120", "--batch", "50", "--train-size",
        "600", "--lr", "0.5", "--seed", "3", "--progress", "lines");
    assertEquals(Main.OK, r.status(), r.err());
    assertEquals("", r.err());
    String[] lines = r.out().split("\\n");
    assertEquals("SGD   120 steps of batch 50, learning rate 0.5: 10 epochs of 12 steps; accuracy = argmax of ŷ", lines[2]);
    java.util.List<String> epochs = java.util.Arrays.stream(lines).filter(l -> l.startsWith("epoch ")).toList();
    assertEquals(10, epochs.size());
    double firstLoss = number(epochs.get(0), "loss ");
    double lastLoss = number(epochs.get(9), "loss ");
    assertTrue(lastLoss < 0.8 * firstLoss && lastLoss < 2.0, "loss " + firstLoss + " → " + lastLoss);
    assertTrue(number(epochs.get(9), "test acc ") > 0.3, epochs.get(9));
  }

  @Test
  void dataThatDoesNotFitTheModelIsReported(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path model = dir.resolve("small.nn");
    java.nio.file.Files.writeString(model, """
        model Small {
          dim B, I = 100, O = 10
          input X[B, I], T[B, O]
          param W[I, O]
          Y = softmax(X W)
          L = −sum(T * log(Y + 1e-7)) / B
          output Y
        }
        """);
    Run r = run("train", model.toString());
    assertEquals(Main.MODEL_ERRORS, r.status(), r.out() + r.err());
    assertEquals(model + ": error: [E0903] X[B, I] has width 100 but each item has 784 features\n", r.err());
    Run noData = run("train", model.toString(), "--data", dir.resolve("none").toString());
    assertEquals(Main.MODEL_ERRORS, noData.status());
    assertTrue(noData.err().startsWith(dir.resolve("none") + ": error: [E0901] no data file: tried "), noData.err());
  }

  private static double number(String line, String label) {
    int at = line.indexOf(label) + label.length();
    int end = line.indexOf(' ', at);
    return Double.parseDouble(line.substring(at, end < 0 ? line.length() : end));
  }

  @Test
  void aMissingModelFileIsReportedWithItsCode() {
    Run r = run("train", "no/such/model.nn");
    assertEquals(Main.MODEL_ERRORS, r.status());
    assertEquals("no/such/model.nn: error: [E0901] no such file\n", r.err());
  }
}
