package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Source;
import dev.nnc.ir.ModelIR;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --dim NAME=SIZE}: one parser and one set of checks ({@link DimOption}) for every command that takes it.
 * Each case is tested once against the parser, and once through every command (that each reports it with exit 1
 * and its code, naming the argument given).
 */
class DimOptionTest {
  private static final String MODEL = "model M {\n  dim B, I = 2\n  input X[B, I]\n  param w[I]\n  L = sum(X w)\n}\n";

  private static String problem(List<String> arguments, String model) {
    DimOption option = new DimOption();
    option.given = arguments;
    DimOption.BadDim e = assertThrows(DimOption.BadDim.class, () -> {
      if (model == null) DimOption.parse(arguments);
      else option.sizes(models(model));
    });
    return e.getMessage();
  }

  private static List<ModelIR> models(String text) {
    Result r = Compiler.compile(Source.of("m.nn", text), Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    assertTrue(!r.hasErrors(), r.diagnostics().toString());
    return r.models();
  }

  @Test
  void zeroAndNegativeSizesAreRefused() {
    assertEquals("--dim B=0: a size is a positive whole number", problem(List.of("B=0"), null));
    assertEquals("--dim B=-1: a size is a positive whole number", problem(List.of("B=-1"), null));
  }

  @Test
  void aSizeThatIsNoWholeNumberIsRefused() {
    assertEquals("--dim B=x: the size 'x' is not a whole number", problem(List.of("B=x"), null));
    assertEquals("--dim B=2.5: the size '2.5' is not a whole number", problem(List.of("B=2.5"), null));
    assertEquals("--dim B=99999999999: the size 99999999999 is too large (at most 2147483647)",
        problem(List.of("B=99999999999"), null));
  }

  @Test
  void aNameWithoutSizeIsRefused() {
    assertEquals("--dim B: expected NAME=SIZE, e.g. --dim B=4", problem(List.of("B"), null));
    assertEquals("--dim B=: no size after '=': expected NAME=SIZE, e.g. --dim B=4", problem(List.of("B="), null));
  }

  @Test
  void aSizeWithoutNameIsRefused() {
    assertEquals("--dim =3: no dim name before '=': expected NAME=SIZE, e.g. --dim B=4", problem(List.of("=3"), null));
  }

  @Test
  void aNameGivenTwiceIsRefusedEvenWithTheSameSize() {
    assertEquals("--dim B=3: B is given twice (--dim B=2 before it)", problem(List.of("B=2", "B=3"), null));
    assertEquals("--dim B=2: B is given twice (--dim B=2 before it)", problem(List.of("B=2", "B=2"), null));
  }

  @Test
  void aNameThatIsNoFreeDimOfTheModelIsRefused() {
    assertEquals("--dim Q=2: M has no free dim Q (free dims: B)", problem(List.of("B=2", "Q=2"), MODEL));
    assertEquals("--dim b=2: M has no free dim b (free dims: B); did you mean B?", problem(List.of("b=2"), MODEL));
    assertEquals("--dim I=5: I is fixed by its declaration (dim I = 2); only free dims take a size",
        problem(List.of("I=5"), MODEL));
    assertEquals("--dim B=2: M has no free dim B (its dims are all fixed)",
        problem(List.of("B=2"), "model M {\n  param w\n  L = w²\n}\n"));
    assertEquals("--dim Q=2: no model has a free dim Q (free dims: B, n)",
        problem(List.of("Q=2"), MODEL + "model N {\n  input x[n]\n  param v\n  L = sum(v x)\n}\n"));
  }

  @Test
  void goodSizesKeepTheirOrderAndSubscriptsReadAsDigits() throws Exception {
    DimOption option = new DimOption();
    option.given = List.of("n₁ = 3", "B=+4");
    String model = "model M {\n  input x[B, n1]\n  param w[n1]\n  L = sum(x w)\n}\n";
    Map<String, Integer> sizes = option.sizes(models(model));
    assertEquals(List.of("n1", "B"), new ArrayList<>(sizes.keySet()));
    assertEquals(List.of(3, 4), new ArrayList<>(sizes.values()));
  }

  /** The commands that take --dim: each gets it from the one mixin, not its own option (no second parser). */
  @Test
  void everyCommandWithDimUsesTheOneOption() {
    CommandLine nnc = Main.commandLine();
    Set<String> withDim = new TreeSet<>();
    for (Map.Entry<String, CommandLine> e : nnc.getSubcommands().entrySet()) {
      OptionSpec dim = e.getValue().getCommandSpec().findOption("--dim");
      if (dim == null) continue;
      withDim.add(e.getKey());
      CommandLine.Model.CommandSpec mixin = e.getValue().getCommandSpec().mixins().values().stream()
          .filter(m -> m.findOption("--dim") != null).findFirst().orElse(null);
      assertTrue(mixin != null && mixin.userObject() instanceof DimOption, e.getKey() + ": --dim is not DimOption's");
      assertSame(DimOption.class, mixin.userObject().getClass());
    }
    assertEquals(new TreeSet<>(COMMANDS.keySet()), withDim);
  }

  /** Each command with the arguments it needs before {@code --dim}; compile reports --dim as E0921, the rest E0902. */
  private static final Map<String, List<String>> COMMANDS = Map.of(
      "eval", List.of("--random", "1"),
      "trace", List.of("--random", "1"),
      "gradcheck", List.of(),
      "graph", List.of("--random", "1"),
      "explain", List.of("--random", "1"),
      "compile", List.of("--report"));

  static Stream<Arguments> commandsAndBadDims() {
    List<String[]> cases = List.of(new String[] {"B=0"}, new String[] {"B=x"}, new String[] {"B"},
        new String[] {"=3"}, new String[] {"B=2", "B=3"}, new String[] {"Q=2"}, new String[] {"I=5"});
    List<Arguments> out = new ArrayList<>();
    for (String command : new TreeSet<>(COMMANDS.keySet())) {
      for (String[] c : cases) out.add(Arguments.of(command, List.of(c)));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} --dim {1}")
  @MethodSource("commandsAndBadDims")
  void everyCommandReportsABadDimWithExitOneAndTheArgument(String command, List<String> dims, @TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("m.nn");
    Files.writeString(file, MODEL, StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>(List.of(command, file.toString()));
    args.addAll(COMMANDS.get(command));
    if (command.equals("compile")) args.addAll(List.of("-d", dir.resolve("out").toString()));
    if (command.equals("graph") || command.equals("explain")) {
      args.addAll(List.of("-o", dir.resolve(command.equals("graph") ? "g.svg" : "e.html").toString()));
    }
    for (String d : dims) args.addAll(List.of("--dim", d));
    CompileCommandTest.Run r = CompileCommandTest.nnc(args.toArray(String[]::new));
    assertEquals(1, r.status(), r.err());
    assertEquals("", r.out(), "nothing is printed or written on a bad --dim");
    String code = command.equals("compile") ? "[E0921]" : "[E0902]";
    String expected = problem(dims, MODEL); // the parser's own message, which the command must print as is
    assertTrue(r.err().contains("error: " + code + " " + expected), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line, no usage text: " + r.err());
    assertTrue(!Files.exists(dir.resolve("out")) && !Files.exists(dir.resolve("g.svg"))
        && !Files.exists(dir.resolve("e.html")), "nothing written");
  }
}
