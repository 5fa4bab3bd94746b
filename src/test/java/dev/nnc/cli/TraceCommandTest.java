package dev.nnc.cli;

import static dev.nnc.cli.GradEvalCommandsTest.nnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nnc trace: backpropagation with numbers, as the course notes compute it. */
class TraceCommandTest {
  @Test
  void computationGraphReadsLikeTheCourseNotes() {
    GradEvalCommandsTest.Run r = nnc("trace", "examples/computation_graph.nn", "a=5", "b=3", "c=2");
    assertEquals(0, r.status(), r.err());
    assertEquals("""
        forward
          u = b c = 3 · 2 = 6
          v = a + u = 5 + 6 = 11
          J = 3v = 3 · 11 = 33
        backward
          ∂J/∂J = 1
          ∂J/∂v = 3
          ∂J/∂a = ∂J/∂v · ∂v/∂a = ∂J/∂v · 1 = 3 · 1 = 3
          ∂J/∂u = ∂J/∂v · ∂v/∂u = ∂J/∂v · 1 = 3 · 1 = 3
          ∂J/∂b = ∂J/∂u · ∂u/∂b = ∂J/∂u · c = 3 · 2 = 6
          ∂J/∂c = ∂J/∂u · ∂u/∂c = ∂J/∂u · b = 3 · 3 = 9
        """, r.out());
    GradEvalCommandsTest.Run other = nnc("trace", "examples/computation_graph.nn", "a=7", "b=4", "c=2", "--ascii");
    assertTrue(other.out().contains("  dJ/dc = dJ/du * du/dc = dJ/du * b = 3 * 4 = 12\n"), other.out());
    assertTrue(other.out().contains("  J = 3v = 3 * 15 = 45\n"), other.out());
  }

  @Test
  void appleGraphPassesOnePointOneBack(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("apple.nn");
    Files.writeString(f, "apple_price = apple apple_num\nprice = apple_price tax\n");
    GradEvalCommandsTest.Run r = nnc("trace", f.toString(), "apple=100", "apple_num=2", "tax=1.1");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("  ∂price/∂apple_price = tax = 1.1\n"), r.out());
    assertTrue(r.out().contains("  ∂price/∂tax = apple_price = 200\n"), r.out());
    assertTrue(r.out().contains(
        "  ∂price/∂apple = ∂price/∂apple_price · ∂apple_price/∂apple = ∂price/∂apple_price · apple_num = 1.1 · 2 = 2.2\n"),
        r.out());
    assertTrue(r.out().contains("  price = apple_price tax = 200 · 1.1 = 220\n"), r.out());
  }

  @Test
  void logisticRegressionAgreesWithEval() {
    String[] point = {"x=[1, 2]", "y=1", "w=[0.5, -0.25]", "b=0.1"};
    GradEvalCommandsTest.Run r = nnc(concat("trace", "examples/logistic_regression.nn", point));
    assertEquals(0, r.status(), r.err());
    // a − y at z = 0.1: σ(0.1) − 1, the value eval prints for ∂L/∂b
    assertTrue(r.out().contains("  ∂L/∂b = ∂L/∂z · ∂z/∂b = ∂L/∂z · 1 = (−0.4750208125) · 1 = −0.4750208125\n"), r.out());
    assertTrue(r.out().contains("  ∂L/∂z = ∂L/∂a · ∂a/∂z = ∂L/∂a · a(1−a) = (−1.904837418) · (0.5249791875 · "
        + "(1 − 0.5249791875)) = −0.4750208125\n"), r.out());
    GradEvalCommandsTest.Run eval = nnc(concat("eval", "examples/logistic_regression.nn", point));
    assertTrue(eval.out().contains("∂L/∂b = -0.47502081252106"), eval.out());
  }

  @Test
  void twoLayerNetAtBatchFourShowsEveryAdjoint() {
    GradEvalCommandsTest.Run r = nnc("trace", "examples/two_layer_net.nn", "--random", "1", "--dim", "B=4");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("  L = s/B = "), r.out());
    assertTrue(r.out().contains("  ∂L/∂s = 1/B = 1 / 4 = 0.25\n"), r.out());
    assertTrue(r.out().contains("  ∂L/∂A2 [B, O] = ∂L/∂Y · ∂Y/∂A2 = Y ⊙ (∂L/∂Y − Σ(∂L/∂Y ⊙ Y, axis=1)) = ["), r.out());
    assertTrue(r.out().contains("  ∂L/∂W1 [I, H] = ∂L/∂u · ∂u/∂W1 = Xᵀ · ∂L/∂u = ["), r.out());
  }

  /**
   * A ∂ value on the loss's path (a gradient penalty) used to end trace, graph and explain in an internal error: the
   * trace differentiated the model with the ∂ node still in it. J = (w x)² + (∂L/∂w)² at x = 2, w = 3: L = 36,
   * ∂L/∂w = 2w x² = 24, J = 612, ∂J/∂w = 2w x² + 2 · 24 · 2x² = 408 (what nnc eval prints too).
   */
  @Test
  void gradientPenaltyIsTracedThroughItsDerivative(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("penalty.nn");
    Files.writeString(f, "model P {\n  input x\n  param w\n  L = (w x)²\n  g = ∂L/∂w\n  J = L + g²\n}\n");
    GradEvalCommandsTest.Run r = nnc("trace", f.toString(), "x=2", "w=3");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("  J = L + "), r.out());
    assertTrue(r.out().contains(" = 612\n"), r.out());
    String last = r.out().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(last.startsWith("  ∂J/∂w = ") && last.endsWith(" = 408"), r.out());
    GradEvalCommandsTest.Run eval = nnc("eval", f.toString(), "x=2", "w=3");
    assertTrue(eval.out().contains("∂J/∂w = 408\n"), eval.out());
    GradEvalCommandsTest.Run graph = nnc("graph", f.toString(), "x=2", "w=3", "-o", dir.resolve("p.svg").toString());
    assertEquals(0, graph.status(), graph.err());
    GradEvalCommandsTest.Run explain = nnc("explain", f.toString(), "x=2", "w=3", "-o", dir.resolve("p.html").toString());
    assertEquals(0, explain.status(), explain.err());
  }

  @Test
  void badValuesAreReportedNotThrown() {
    GradEvalCommandsTest.Run r = nnc("trace", "examples/computation_graph.nn", "a=5", "b=3");
    assertEquals(1, r.status());
    assertTrue(r.err().contains("[E0902]") && r.err().contains("c=NUMBER"), r.err());
  }

  private static String[] concat(String a, String b, String[] rest) {
    String[] out = new String[rest.length + 2];
    out[0] = a;
    out[1] = b;
    System.arraycopy(rest, 0, out, 2, rest.length);
    return out;
  }
}
