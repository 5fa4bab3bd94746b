package dev.nnc.cli;

import static dev.nnc.cli.GradEvalCommandsTest.nnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a learner reads: the graph's reverse order, helper notation explained once, squares as products. */
class LearnerNotationTest {
  @Test
  void gradFollowsTheGraphBackwards() {
    GradEvalCommandsTest.Run r = nnc("grad", "examples/two_layer_net.nn");
    assertEquals(0, r.status(), r.err());
    List<String> lhs = r.out().lines().map(l -> l.substring(0, l.indexOf(' '))).toList();
    assertEquals(List.of("∂L/∂Y", "∂L/∂A2", "∂L/∂W2", "∂L/∂b2", "∂L/∂Z1", "∂L/∂A1", "∂L/∂W1", "∂L/∂b1"), lhs);
  }

  @Test
  void helperNotationIsExplainedOnce(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("r.nn");
    Files.writeString(f, "model R {\n  input x[n], y\n  param w[n], b\n  z = wᵀx + b\n  h = relu(z)\n"
        + "  g = leaky_relu(z)\n  m = max(h, g)\n  L = (m − y)²\n}\n");
    GradEvalCommandsTest.Run r = nnc("grad", f.toString());
    assertEquals(0, r.status(), r.err());
    List<String> notes = r.out().lines().filter(l -> l.startsWith("where ")).toList();
    assertEquals(List.of(
        "where [a ≥ b]: 1 where a ≥ b, else 0 (selects the branch of max and min).",
        "where [x > 0]: 1 where x > 0, else 0 (relu′, with relu′(0) = 0).",
        "where leaky_step(x, 0.01): 1 where x > 0, else slope (leaky_relu′)."), notes);
    GradEvalCommandsTest.Run ascii = nnc("grad", "--ascii", f.toString());
    assertTrue(ascii.out().contains("where [a >= b]: 1 where a >= b, else 0 (selects the branch of max and min).\n"),
        ascii.out());
    assertTrue(ascii.out().chars().allMatch(c -> c < 128), ascii.out());
    // a model without such notation gets no notes
    assertFalse(nnc("grad", "examples/logistic_regression.nn").out().contains("where"));
  }

  @Test
  void aSquareIsAProduct(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("p.nn");
    Files.writeString(f, "model P {\n  input x, y\n  param w\n  t = w x − y\n  L = t² + t³\n}\n");
    GradEvalCommandsTest.Run r = nnc("compile", f.toString(), "-d", dir.toString());
    assertEquals(0, r.status(), r.err());
    String java = Files.readString(dir.resolve("P.java"));
    assertTrue(java.contains(" = t * t;"), java);
    assertFalse(java.contains("Math.pow(t, 2.0)"), java);
    assertTrue(java.contains("Math.pow(t, 3.0)"), java); // only squares: a cube would round differently from pow
  }
}
