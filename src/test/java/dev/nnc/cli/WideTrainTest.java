package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.train.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: {@code nnc train} on wide models with the names users write. 132 scalar params (past the JVM's 255
 * method-parameter slots if they were parameters: they are fields, and the optimiser, the flat views and the
 * name table handle them) named θ₀…θ₁₂₉, {@code class} and λ₁ train; a model with 130 scalar inputs (forward takes
 * them in the generated holder, codegen.WideInputs) trains one example per forward (train.ExampleBinding), and nnc predict runs it the same way.
 */
class WideTrainTest {
  private static String thetas(String sep, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) s.append(sep);
      s.append("θ").append(subscript(i));
    }
    return s.toString();
  }

  private static String subscript(int i) {
    StringBuilder s = new StringBuilder();
    for (char c : Integer.toString(i).toCharArray()) s.append((char) ('₀' + (c - '0')));
    return s.toString();
  }

  @Test
  void aModelWith132ScalarParamsWithGreekSubscriptAndKeywordNamesTrains(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("wide.nn");
    Files.writeString(model, "model Wide {\n"
        + "  dim B, I = 784, O = 10\n"
        + "  input X[B, I], T[B, O]\n"
        + "  param W[I, O] ~ normal(0, 0.01)\n"
        + "  param " + thetas(" ~ uniform(0.005, 0.01), ", 130) + " ~ uniform(0.005, 0.01)\n"
        + "  param class ~ uniform(0.005, 0.01), λ₁ ~ uniform(0.005, 0.01)\n"
        + "  s = " + thetas(" + ", 130) + " + class + λ₁\n"
        + "  ŷ = softmax(s * (X W))\n"
        + "  L = −sum(T * log(ŷ + 1e-7)) / B\n"
        + "  output ŷ\n"
        + "}\n");
    Path weights = dir.resolve("w.npz");
    TrainCommandTest.Run r = TrainCommandTest.run("train", model.toString(), "--iterations", "60", "--batch", "50",
        "--train-size", "600", "--lr", "0.02", "--seed", "5", "--progress", "lines", "--save", weights.toString());
    assertEquals(Main.OK, r.status(), r.err());
    List<String> epochs = Arrays.stream(r.out().split("\\n")).filter(l -> l.startsWith("epoch ")).toList();
    assertEquals(5, epochs.size(), r.out());
    double first = number(epochs.get(0), "loss ");
    double last = number(epochs.get(4), "loss ");
    assertTrue(last < 0.8 * first, "loss " + first + " → " + last);
    // every scalar param is saved under its model name (subscript digits as digits: θ₀ is θ0)
    String npz = new String(Files.readAllBytes(weights), java.nio.charset.StandardCharsets.ISO_8859_1);
    for (String name : List.of("θ0", "θ129", "class", "λ1")) {
      byte[] utf8 = (name + ".npy").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(npz.contains(new String(utf8, java.nio.charset.StandardCharsets.ISO_8859_1)), name + " saved");
    }
  }

  /**
   * Inputs named like Java keywords ({@code new}, {@code class}: forward's parameters and the fields are new_,
   * class_), a param {@code int} and a Greek one with a subscript, bound by --features/--targets under their model
   * names, train and predict (the first test covers many scalar params; this one the inputs and --features).
   */
  @Test
  void inputsNamedLikeJavaKeywordsTrainAndPredict(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("names.nn");
    Files.writeString(model, "model Names {\n  dim B, I = 784, O = 10\n  input class[B, O], new[B, I]\n"
        + "  param θ₁[I, O] ~ normal(0, 0.01), int[O]\n  ŷ = softmax(new θ₁ + int)\n"
        + "  L = −sum(class * log(ŷ + 1e-7)) / B\n  output ŷ\n}\n");
    Path weights = dir.resolve("w.npz");
    TrainCommandTest.Run r = TrainCommandTest.run("train", model.toString(), "--features", "new", "--targets", "class",
        "--iterations", "60", "--batch", "50", "--train-size", "600", "--seed", "3", "--progress", "lines", "--save",
        weights.toString());
    assertEquals(Main.OK, r.status(), r.err());
    String done = Arrays.stream(r.out().split("\\n")).filter(l -> l.startsWith("done ")).findFirst().orElseThrow();
    assertTrue(number(done.replace(",", ""), "train acc ") > 0.7, done);
    TrainCommandTest.Run p = TrainCommandTest.run("predict", model.toString(), "--params", weights.toString(),
        "--features", "new", "--targets", "class");
    assertEquals(Main.OK, p.status(), p.err());
    assertTrue(p.out().startsWith("accuracy 0.") && p.out().contains("of Names"), p.out());
  }

  /** {@code input t, x0, …, x129}: logistic regression written with scalars (forward takes them in a holder). */
  private static String scalarLogistic(String init) {
    StringBuilder s = new StringBuilder("model Wide {\n  input t");
    for (int i = 0; i < 130; i++) s.append(", x").append(i);
    s.append("\n  param b").append(init);
    for (int i = 0; i < 130; i++) s.append(", w").append(i).append(init);
    s.append("\n  z = b");
    for (int i = 0; i < 130; i++) s.append(" + w").append(i).append(" x").append(i);
    s.append("\n  a = σ(z)\n  L = −(t log a + (1 − t) log(1 − a))\n  output a\n}\n");
    return s.toString();
  }

  /** Two classes of 130 byte-valued features: the label is 1 when feature 0 is above 127; the rest is noise in 0…25. */
  private static Dataset twoClasses(int n) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    double[] x = new double[n * 130];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 130; k++) x[i * 130 + k] = random.nextInt(k == 0 ? 256 : 26);
      labels[i] = x[i * 130] > 127 ? 1 : 0;
    }
    return new Dataset(n, 130, x, labels, 2);
  }

  /** Writes PREFIX-images-idx3-ubyte (n × 130 bytes as n × 10 × 13 images) and PREFIX-labels-idx1-ubyte. */
  private static void writeIdx(Dataset d, Path prefix) throws java.io.IOException {
    java.nio.ByteBuffer images = java.nio.ByteBuffer.allocate(16 + d.features().length);
    images.putInt(0x00000803).putInt(d.size()).putInt(10).putInt(13);
    for (double v : d.features()) images.put((byte) v);
    Files.write(Path.of(prefix + "-images-idx3-ubyte"), images.array());
    java.nio.ByteBuffer labels = java.nio.ByteBuffer.allocate(8 + d.size());
    labels.putInt(0x00000801).putInt(d.size());
    for (int l : d.labels()) labels.put((byte) l);
    Files.write(Path.of(prefix + "-labels-idx1-ubyte"), labels.array());
  }

  /**
   * 130 scalar inputs (past the 127 a method can take: forward takes the generated holder) train one example per
   * forward, each step summing its batch's gradients; it was refused with E0903 ("would get no data").
   */
  @Test
  void aModelWith130ScalarInputsTrainsOneExamplePerForward(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("inputs.nn");
    Files.writeString(model, scalarLogistic(" ~ normal(0, 0.01)"));
    writeIdx(twoClasses(500), dir.resolve("bits"));
    TrainCommandTest.Run r = TrainCommandTest.run("train", model.toString(), "--data", dir.resolve("bits").toString(),
        "--targets", "t", "--iterations", "200", "--batch", "20", "--lr", "2", "--train-size", "400", "--progress",
        "lines", "--save", dir.resolve("w.npz").toString());
    assertEquals(Main.OK, r.status(), r.out() + r.err());
    assertTrue(r.out().contains("accuracy = a > 0.5"), r.out());
    assertTrue(r.out().contains("one example per forward (no input has a batch axis): each step sums the gradients "
        + "of its 20 examples"), r.out());
    String done = Arrays.stream(r.out().split("\\n")).filter(l -> l.startsWith("done ")).findFirst().orElseThrow();
    String plain = done.replace(",", "");
    assertTrue(number(plain, "train acc ") > 0.9 && number(plain, "test acc ") > 0.85, done);
    // nnc predict runs it one example per forward too: the class is a > 0.5, as train counts its accuracy
    Path predictions = dir.resolve("p.csv");
    TrainCommandTest.Run p = TrainCommandTest.run("predict", model.toString(), "--params", dir.resolve("w.npz").toString(),
        "--data", dir.resolve("bits").toString(), "--targets", "t", "--out", predictions.toString());
    assertEquals(Main.OK, p.status(), p.out() + p.err());
    assertTrue(p.out().startsWith("accuracy 0.") && p.out().contains(" of 500) of Wide"), p.out());
    assertTrue(number(p.out(), "accuracy ") > 0.85, p.out());
    List<String> rows = Files.readAllLines(predictions);
    assertEquals("index,class,label,a", rows.get(0));
    assertEquals(501, rows.size());
    Dataset data = twoClasses(500);
    int correct = 0;
    for (int i = 0; i < 500; i++) {
      String[] cells = rows.get(i + 1).split(",");
      assertEquals(String.valueOf(i), cells[0]);
      double a = Double.parseDouble(cells[3]);
      assertTrue(a > 0 && a < 1, rows.get(i + 1));
      assertEquals(a > 0.5 ? "1" : "0", cells[1], rows.get(i + 1));
      assertEquals(String.valueOf(data.labels()[i]), cells[2]);
      if (cells[1].equals(cells[2])) correct++;
    }
    assertEquals(String.format(java.util.Locale.ROOT, "accuracy %.4f (%d of 500)", correct / 500.0, correct),
        p.out().substring(0, p.out().indexOf(')') + 1));
    // the same images without labels: the same classes and values, no label column
    Files.delete(dir.resolve("bits-labels-idx1-ubyte"));
    TrainCommandTest.Run u = TrainCommandTest.run("predict", model.toString(), "--params", dir.resolve("w.npz").toString(),
        "--data", dir.resolve("bits").toString(), "--targets", "t");
    assertEquals(Main.OK, u.status(), u.out() + u.err());
    String[] unlabelled = u.out().split("\n");
    assertEquals("index,class,a", unlabelled[0]);
    for (int i = 0; i < 500; i++) {
      String[] cells = rows.get(i + 1).split(",");
      assertEquals(cells[0] + "," + cells[1] + "," + cells[3], unlabelled[i + 1]);
    }
  }

  /**
   * A one-example model with a vector input and a one-hot target predicts, from the same saved params, exactly what
   * its batched twin predicts (the same classes, the softmax values to 1e-12), on 300 bundled digits.
   */
  @Test
  void aVectorInputModelPredictsAsItsBatchedTwin(@TempDir Path dir) throws Exception {
    String body = "  param W[784, 10] ~ normal(0, 0.01), c[10]\n";
    Path single = dir.resolve("single.nn");
    Files.writeString(single, "model Single {\n  input x[784], T[10]\n" + body
        + "  y = softmax(x W + c)\n  L = −sum(T * log(y + 1e-7))\n  output y\n}\n");
    Path batched = dir.resolve("batched.nn");
    Files.writeString(batched, "model Batched {\n  dim B\n  input X[B, 784], T[B, 10]\n" + body
        + "  y = softmax(X W + c)\n  L = −sum(T * log(y + 1e-7)) / B\n  output y\n}\n");
    Path weights = dir.resolve("w.npz");
    TrainCommandTest.Run r = TrainCommandTest.run("train", single.toString(), "--iterations", "30", "--batch", "20",
        "--train-size", "600", "--lr", "0.1", "--progress", "lines", "--save", weights.toString());
    assertEquals(Main.OK, r.status(), r.out() + r.err());
    Dataset all = Dataset.loadIdx(Bundled.data());
    double[] pixels = new double[300 * 784];
    int[] labels = new int[300];
    for (int i = 0; i < 300; i++) { // every 33rd digit: the bundled file is ordered by label
      System.arraycopy(all.features(), i * 33 * 784, pixels, i * 784, 784);
      labels[i] = all.labels()[i * 33];
    }
    String prefix = dir.resolve("digits").toString();
    PredictCommandTest.writeIdx(new Dataset(300, 784, pixels, labels, 10), 300, prefix, true);
    List<List<String>> predictions = new java.util.ArrayList<>();
    for (Path model : List.of(single, batched)) {
      Path out = dir.resolve(model.getFileName() + ".csv");
      TrainCommandTest.Run p = TrainCommandTest.run("predict", model.toString(), "--params", weights.toString(),
          "--data", prefix, "--values", "--out", out.toString());
      assertEquals(Main.OK, p.status(), p.out() + p.err());
      predictions.add(Files.readAllLines(out));
    }
    List<String> one = predictions.get(0);
    List<String> twin = predictions.get(1);
    assertEquals(301, one.size());
    assertEquals(301, twin.size());
    assertEquals(twin.get(0), one.get(0));
    int correct = 0;
    for (int i = 1; i < one.size(); i++) {
      String row = one.get(i);
      String[] cells = row.split(",");
      String[] twinCells = twin.get(i).split(",");
      // index, class, label alike; the values to rounding (x W is a vector–matrix product here, a matrix product there)
      assertEquals(String.join(",", twinCells[0], twinCells[1], twinCells[2]), String.join(",", cells[0], cells[1],
          cells[2]));
      for (int j = 3; j < 13; j++) {
        assertEquals(Double.parseDouble(twinCells[j]), Double.parseDouble(cells[j]), 1e-12, row);
      }
      int best = 0;
      for (int j = 1; j < 10; j++) if (Double.parseDouble(cells[3 + j]) > Double.parseDouble(cells[3 + best])) best = j;
      assertEquals(String.valueOf(best), cells[1], row);
      if (cells[1].equals(cells[2])) correct++;
    }
    assertTrue(correct > 200, correct + " of 300 after 30 steps");
  }

  /**
   * From zero params, one SGD step over the whole training set is exactly −lr times the mean gradient, which for
   * logistic regression at a = σ(0) = ½ is known in closed form: ∂L/∂wₖ = mean over items of (½ − t)·xₖ, ∂L/∂b = mean
   * of (½ − t). This checks that each feature reaches its own scalar input (through the holder) and that the batch's
   * per-example gradients are summed with weight 1/b.
   */
  @Test
  void oneStepFromZeroIsMinusTheLearningRateTimesTheMeanGradient() throws Exception {
    dev.nnc.Result result = dev.nnc.Compiler.compile(dev.nnc.diag.Source.of("wide.nn", scalarLogistic(" ~ zeros")),
        dev.nnc.Compiler.Options.defaults());
    assertTrue(!result.hasErrors(), result.diagnostics().toString());
    Class<?> c = dev.nnc.train.InMemoryJavac.compile(result.files()).loadClass(result.files().get(0).qualifiedName());
    assertTrue(Arrays.stream(c.getMethods()).anyMatch(m -> m.getName().equals("forward") && m.getParameterCount() == 1
        && !m.getParameterTypes()[0].isArray()), "forward takes the holder");
    dev.nnc.train.ModelSpec spec = dev.nnc.train.ModelSpec.of(result.models().get(0));
    Dataset data = twoClasses(60);
    for (int k = 0; k < data.features().length; k++) data.features()[k] /= 255; // as the IDX reader scales bytes
    double lr = 0.3;
    dev.nnc.train.Trainer trainer = new dev.nnc.train.Trainer(dev.nnc.train.Binding.of(spec, data, null, "t"), c, data,
        new dev.nnc.train.Trainer.Options(1, 60, lr, 3, 60));
    trainer.run(new dev.nnc.train.Trainer.Listener() {});
    dev.nnc.train.ModelInstance trained = trainer.trained();
    double[] expected = new double[131]; // b, then w0 … w129
    for (int i = 0; i < 60; i++) {
      double d = 0.5 - data.labels()[i];
      expected[0] += -lr * d / 60;
      for (int k = 0; k < 130; k++) expected[1 + k] += -lr * d * data.features()[i * 130 + k] / 60;
    }
    for (int p = 0; p < 131; p++) {
      dev.nnc.train.ModelSpec.Tensor param = spec.params().get(p);
      assertEquals(p == 0 ? "b" : "w" + (p - 1), param.name());
      assertEquals(expected[p], trained.scalar(param), 1e-14, param.name());
    }
  }

  private static double number(String line, String label) {
    int at = line.indexOf(label) + label.length();
    int end = line.indexOf(' ', at);
    return Double.parseDouble(line.substring(at, end < 0 ? line.length() : end));
  }
}
