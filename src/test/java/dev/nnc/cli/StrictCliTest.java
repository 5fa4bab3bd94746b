package dev.nnc.cli;

import static dev.nnc.cli.GradEvalCommandsTest.nnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Issue 11: --help everywhere, and eval values checked against the declared shapes. */
class StrictCliTest {
  /** Every subcommand nnc has (read from the command line itself, so a new one is covered without editing this). */
  static java.util.stream.Stream<String> subcommands() {
    return Main.commandLine().getSubcommands().keySet().stream().filter(c -> !c.equals("help"));
  }

  /** trace, graph and predict were missing from a hand-written list; trace --help exited 2 (FILE missing). */
  @ParameterizedTest
  @MethodSource("subcommands")
  void everySubcommandHasHelp(String command) {
    GradEvalCommandsTest.Run r = nnc(command, "--help");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("Usage: nnc " + command), r.out());
    assertTrue(r.out().contains("-h, --help"), r.out());
  }

  /**
   * A command line that names a subcommand builds only that one (picocli's reflection over all twelve cost 0.1–0.2 s of
   * every start), and it must be the same command: same usage text, options and exit codes as in the full tree.
   */
  @ParameterizedTest
  @MethodSource("subcommands")
  void aNamedSubcommandAloneIsTheSameCommand(String command) {
    picocli.CommandLine alone = Main.commandLine(command, "--help");
    assertEquals(java.util.Set.of(command), alone.getSubcommands().keySet());
    picocli.CommandLine inFull = Main.commandLine().getSubcommands().get(command);
    assertEquals(inFull.getUsageMessage(), alone.getSubcommands().get(command).getUsageMessage());
    assertEquals(inFull.getCommandSpec().qualifiedName(), alone.getSubcommands().get(command).getCommandSpec().qualifiedName());
  }

  /** Anything else (nnc --help, nnc help compile, a mistyped command) gets every subcommand, in --help's order. */
  @Test
  void otherCommandLinesGetEverySubcommand() {
    java.util.List<String> all = Main.SUBCOMMANDS.stream()
        .map(c -> c.getAnnotation(picocli.CommandLine.Command.class).name()).toList();
    for (String[] args : new String[][] {{}, {"--help"}, {"help", "compile"}, {"compiel", "x.nn"}}) {
      assertEquals(all, new java.util.ArrayList<>(Main.commandLine(args).getSubcommands().keySet()), String.join(" ", args));
    }
    GradEvalCommandsTest.Run typo = nnc("compiel", "x.nn");
    assertEquals(2, typo.status());
    assertTrue(typo.err().contains("compile"), typo.err());
  }

  @Test
  void evalRejectsAValueOfTheWrongShape() {
    GradEvalCommandsTest.Run matrixForVector = nnc("eval", "examples/logistic_regression.nn", "x=[[1, 2], [3, 4]]",
        "y=1", "w=[0.5, -0.25]", "b=0.1");
    assertEquals(1, matrixForVector.status());
    assertTrue(matrixForVector.err().contains("[E0902] x [n] is a vector of 2, got a 2×2 matrix"), matrixForVector.err());
    assertEquals("", matrixForVector.out());
    GradEvalCommandsTest.Run vectorForScalar = nnc("eval", "examples/logistic_regression.nn", "x=[1, 2]",
        "y=[1]", "w=[0.5, -0.25]", "b=0.1");
    assertEquals(1, vectorForScalar.status());
    assertTrue(vectorForScalar.err().contains("y is a number, got a vector of 1"), vectorForScalar.err());
    GradEvalCommandsTest.Run flatMatrix = nnc("eval", "examples/logistic_regression_batch.nn", "X=[1, 2, 3, 4]",
        "Y=[1, 0]", "w=[0.5, -0.25]", "b=0.1");
    assertEquals(1, flatMatrix.status());
    assertTrue(flatMatrix.err().contains("X [n, m] is a 2×2 matrix, got a vector of 4"), flatMatrix.err());
    GradEvalCommandsTest.Run unclosed = nnc("eval", "examples/logistic_regression.nn", "x=[1, 2", "y=1",
        "w=[0.5, -0.25]", "b=0.1");
    assertEquals(1, unclosed.status());
    assertTrue(unclosed.err().contains("  x=[1, 2\n         ^"), unclosed.err());
  }

  @Test
  void evalReadsNestedMatricesRowMajor() {
    GradEvalCommandsTest.Run r = nnc("eval", "examples/logistic_regression_batch.nn", "X=[[1, 2], [3, 4]]",
        "Y=[1, 0]", "w=[0.5, -0.25]", "b=0.1");
    assertEquals(0, r.status(), r.err());
    // Z = wᵀX + b = [0.5·1 − 0.25·3, 0.5·2 − 0.25·4] + 0.1 = [−0.15, 0.1]
    assertTrue(r.out().startsWith("Z = [-0.15, 0.1]\n"), r.out());
  }
}
