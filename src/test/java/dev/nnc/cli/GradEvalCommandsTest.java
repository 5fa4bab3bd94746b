package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nnc grad, eval and gradcheck end to end, in-process. */
class GradEvalCommandsTest {
  record Run(int status, String out, String err) {}

  static Run nnc(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void evalComputationGraphAtBothCoursePoints() {
    Run r = nnc("eval", "examples/computation_graph.nn", "a=5", "b=3", "c=2");
    assertEquals(0, r.status(), r.err());
    assertEquals("J = 33\n∂J/∂a = 3\n∂J/∂b = 6\n∂J/∂c = 9\n", r.out());
    r = nnc("eval", "examples/computation_graph.nn", "a=7", "b=4", "c=2", "--ascii");
    assertEquals("J = 45\ndJ/da = 3\ndJ/db = 6\ndJ/dc = 12\n", r.out());
  }

  @Test
  void evalApple() {
    Run r = nnc("eval", "examples/apple.nn", "apple=100", "apple_num=2", "tax=1.1");
    assertEquals(0, r.status(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals(220, Double.parseDouble(lines[0].substring("price = ".length())), 1e-12);
    assertEquals("∂price/∂apple = 2.2", lines[1]);
    assertEquals(110, Double.parseDouble(lines[2].substring("∂price/∂apple_num = ".length())), 1e-12);
    assertEquals("∂price/∂tax = 200", lines[3]);
  }

  @Test
  void evalNeedsEveryScalarAndKnowsEveryName() {
    Run missing = nnc("eval", "examples/computation_graph.nn", "a=5", "b=3");
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("[E0902]") && missing.err().contains("c=NUMBER"), missing.err());
    Run unknown = nnc("eval", "examples/computation_graph.nn", "a=5", "b=3", "c=2", "d=1");
    assertEquals(1, unknown.status());
    assertTrue(unknown.err().contains("unknown name d"), unknown.err());
    Run malformed = nnc("eval", "examples/computation_graph.nn", "a=5", "b=x", "c=2");
    assertEquals(1, malformed.status());
    assertTrue(malformed.err().contains("'x' is not a number"), malformed.err());
    assertEquals("", malformed.out());
    assertEquals(2, nnc("eval").status());
  }

  @Test
  void evalTensorsGivenOrSeededRandom() {
    Run r = nnc("eval", "examples/logistic_regression.nn", "x=[1, 2]", "y=1", "w=[0.5, -0.25]", "b=0.1");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("z = 0.1\na = 0.52497918747894"), r.out());
    assertTrue(r.out().contains("∂L/∂w = [-0.47502081252106, -0.95004162504212]"), r.out());
    Run wrongLength = nnc("eval", "examples/logistic_regression.nn", "x=[1, 2, 3]", "y=1", "w=[0.5, -0.25]", "b=0.1");
    assertEquals(1, wrongLength.status());
    Run a = nnc("eval", "examples/logistic_regression_batch.nn", "b=0.5", "--random", "7", "--dim", "n=2", "--dim", "m=12");
    Run b = nnc("eval", "examples/logistic_regression_batch.nn", "b=0.5", "--random", "7", "--dim", "n=2", "--dim", "m=12");
    Run c = nnc("eval", "examples/logistic_regression_batch.nn", "b=0.5", "--random", "8", "--dim", "n=2", "--dim", "m=12");
    assertEquals(0, a.status(), a.err());
    assertEquals(a.out(), b.out());
    assertNotEquals(a.out(), c.out());
    assertTrue(a.out().contains(", …, "), "long axes are summarised: " + a.out());
  }

  @Test
  void gradShowsTheChainRuleAndTheSimplifiedForm() {
    Run r = nnc("grad", "examples/logistic_regression.nn");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("∂L/∂z = ∂L/∂a · ∂a/∂z = ∂L/∂a · a(1−a) = a − y\n"), r.out());
    Run ascii = nnc("grad", "examples/logistic_regression.nn", "--ascii");
    assertTrue(ascii.out().contains("dL/dz = dL/da * da/dz = dL/da * a(1-a) = a - y\n"), ascii.out());
    Run latex = nnc("grad", "examples/logistic_regression.nn", "--latex");
    assertTrue(latex.out().contains("\\frac{\\partial L}{\\partial z} = \\frac{\\partial L}{\\partial a} \\cdot "
        + "\\frac{\\partial a}{\\partial z} = \\frac{\\partial L}{\\partial a} \\cdot a(1-a) = a - y\n"), latex.out());
    Run net = nnc("grad", "examples/two_layer_net.nn");
    assertTrue(net.out().contains("∂L/∂W1 [I, H] = ∂L/∂A1 · ∂A1/∂W1 = Xᵀ · ∂L/∂A1\n"), net.out());
  }

  @Test
  void gradReportsModelErrors(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.nn");
    Files.writeString(bad, "J = 3(a + \n");
    Run r = nnc("grad", bad.toString());
    assertEquals(1, r.status());
    assertTrue(r.err().contains("bad.nn:"), r.err());
    assertEquals(1, nnc("grad", dir.resolve("missing.nn").toString()).status());
  }

  @Test
  void gradcheckPassesOnTheExamplesAndNamesRoundOff() {
    for (String f : new String[] {"computation_graph", "apple", "logistic_regression", "logistic_regression_batch",
        "two_layer_net"}) {
      Run r = nnc("gradcheck", "examples/" + f + ".nn");
      assertEquals(0, r.status(), f + ":\n" + r.out() + r.err());
      assertTrue(r.out().contains("ok: "), r.out());
    }
    // Below round-off the relative error cannot be met; such entries pass as within the differences' noise, and
    // say so (wrong gradients still fail: HonestGradientCheckTest).
    Run strict = nnc("gradcheck", "examples/logistic_regression.nn", "--tolerance", "1e-15", "--seed", "3");
    assertEquals(0, strict.status(), strict.out());
    assertTrue(strict.out().contains("within the differences' rounding noise"), strict.out());
    Run sized = nnc("gradcheck", "examples/two_layer_net.nn", "--dim", "B=2", "--seed", "5");
    assertEquals(0, sized.status(), sized.out());
    assertTrue(sized.out().startsWith("TwoLayerNet (B=2), seed 5\n"), sized.out());
  }

  /**
   * The directional block: reverse mode, the interpreter's forward mode, the generated class's jvp() and the central
   * difference, each on its own line; the two forward modes agree with reverse mode to round-off.
   */
  @Test
  void gradcheckSetsTheGeneratedJvpBesideBothModesAndTheNumbers() {
    for (String f : new String[] {"logistic_regression_batch", "two_layer_net_onehot"}) {
      Run r = nnc("gradcheck", "examples/" + f + ".nn", "--seed", "2");
      assertEquals(0, r.status(), f + ":\n" + r.out() + r.err());
      assertTrue(r.out().contains("  along a random unit direction of the params (relative error against reverse mode):\n"),
          r.out());
      double reverse = number(r.out(), "    reverse mode, gradient · direction ");
      double interpreted = number(r.out(), "    forward mode, interpreter ");
      double generated = number(r.out(), "    forward mode, generated jvp() ");
      double numeric = number(r.out(), "    central difference (not gated) ");
      assertEquals(reverse, generated, 1e-9 * Math.abs(reverse), f + ": generated jvp (10 digits printed)");
      assertEquals(reverse, interpreted, 1e-9 * Math.abs(reverse), f + ": interpreter's forward mode");
      assertEquals(reverse, numeric, 1e-6 * Math.abs(reverse), f + ": central difference");
      assertTrue(reverse != 0, f + ": a direction that moves the loss");
    }
  }

  /** The first number after {@code label} on its line. */
  private static double number(String out, String label) {
    int at = out.indexOf(label);
    assertTrue(at >= 0, "no line '" + label.strip() + "' in:\n" + out);
    String rest = out.substring(at + label.length(), out.indexOf('\n', at)).strip();
    return Double.parseDouble(rest.split("\\s+")[0]);
  }

  @Test
  void gradcheckFindsDomainsOfLogAndSqrt(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("domains.nn");
    Files.writeString(f, "L = log(x) + sqrt(y) + log(1 − z) + x^y\n");
    Run r = nnc("gradcheck", f.toString());
    assertEquals(0, r.status(), r.out() + r.err());
  }

  @Test
  void gradcheckSearchesWiderRangesAndSaysWhenNoPointIsFinite(@TempDir Path dir) throws IOException {
    Path shifted = dir.resolve("shifted.nn");
    Files.writeString(shifted, "L = log(x − 2) + sqrt(x − 2.5)\n");
    Run ok = nnc("gradcheck", shifted.toString());
    assertEquals(0, ok.status(), ok.out() + ok.err());
    Path nowhere = dir.resolve("nowhere.nn");
    Files.writeString(nowhere, "L = log(−x²−1) + x\n");
    Run r = nnc("gradcheck", nowhere.toString());
    assertEquals(1, r.status(), r.out());
    assertTrue(r.out().contains("no random point found"), r.out());
  }
}
