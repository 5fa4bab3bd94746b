package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * them in the generated holder, codegen.WideInputs) is refused with E0903, because {@code nnc train} binds exactly
 * two inputs, a feature matrix and one-hot targets — never a crash.
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

  @Test
  void aModelWith130ScalarInputsIsRefusedWithADiagnostic(@TempDir Path dir) throws Exception {
    StringBuilder s = new StringBuilder("model Wide {\n  input t");
    for (int i = 0; i < 130; i++) s.append(", x").append(i);
    s.append("\n  param w\n  z = w (");
    for (int i = 0; i < 130; i++) s.append(i > 0 ? " + x" : "x").append(i);
    s.append(")\n  L = (σ(z) − t)²\n}\n");
    Path model = dir.resolve("inputs.nn");
    Files.writeString(model, s.toString());
    TrainCommandTest.Run r = TrainCommandTest.run("train", model.toString(), "--iterations", "5");
    assertEquals(Main.MODEL_ERRORS, r.status(), r.out() + r.err());
    assertTrue(r.err().startsWith(model + ": error: [E0903] input x") && r.err().contains("would get no data"), r.err());
  }

  private static double number(String line, String label) {
    int at = line.indexOf(label) + label.length();
    int end = line.indexOf(' ', at);
    return Double.parseDouble(line.substring(at, end < 0 ? line.length() : end));
  }
}
