package dev.nnc.cli;

import static dev.nnc.cli.GradEvalCommandsTest.nnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code onehot} targets through the commands: grad prints the course's form, eval checks and draws one-hot rows. */
class OnehotCommandsTest {
  static final String NET = "examples/two_layer_net_onehot.nn";

  @Test
  void gradPrintsYMinusTOverB() {
    GradEvalCommandsTest.Run r = nnc("grad", NET);
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("∂L/∂A2 [B, O] = ∂L/∂Y · ∂Y/∂A2 = Y ⊙ (∂L/∂Y − Σ(∂L/∂Y ⊙ Y, axis=1)) = (Y−T)/B\n"),
        r.out());
  }

  @Test
  void evalRejectsARowThatIsNotADistribution() {
    GradEvalCommandsTest.Run r = nnc("eval", NET, "--random", "1", "--dim", "B=2",
        "T=[[0, 1, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0.5, 0, 0, 0, 0, 0, 0, 0, 0]]");
    assertEquals(1, r.status(), r.out());
    assertTrue(r.err().contains("[E0902] input T[B, O] onehot: row 1 sums to 0.5, not 1"), r.err());
  }

  @Test
  void randomTargetsAreOneHotRows() {
    GradEvalCommandsTest.Run r = nnc("eval", NET, "--random", "3", "--dim", "B=2");
    assertEquals(0, r.status(), r.err());
    GradEvalCommandsTest.Run check = nnc("gradcheck", NET);
    assertEquals(0, check.status(), check.out() + check.err());
  }
}
