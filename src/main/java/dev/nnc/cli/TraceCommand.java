package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import dev.nnc.notation.MathPrinter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nnc trace FILE NAME=VALUE…}: backpropagation with numbers, as the course notes do it by hand — the
 * forward pass one operation at a time with values, then every adjoint (intermediates included) in reverse order,
 * each as the chain-rule step, the step with local derivatives, the same with numbers, and its value.
 */
@Command(name = "trace", mixinStandardHelpOptions = true, description = {
    "Traces backpropagation with numbers: every operation's value, then every adjoint step by step.",
    "Values as in nnc eval: NAME=VALUE for scalars, NAME=[…] or --random SEED for tensors."})
final class TraceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
  Path file;

  @Parameters(index = "1..*", paramLabel = "NAME=VALUE", description = "values of inputs and params")
  List<String> assignments = new ArrayList<>();

  @Option(names = "--latex", description = "print LaTeX (math mode)")
  boolean latex;

  @Option(names = "--ascii", description = "print ASCII only (dJ/da, *, -)")
  boolean ascii;

  @Option(names = "--random", paramLabel = "SEED", description = "fill tensors not given with seeded random numbers "
      + "(uniform in [-1, 1]); free dims not given default to 3")
  Long seed;

  @Mixin DimOption dims;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Result result = Inputs.compile(file, Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK), err);
      if (result == null) return Main.MODEL_ERRORS;
      MathPrinter.Notation notation = latex ? MathPrinter.Notation.LATEX
          : ascii ? MathPrinter.Notation.ASCII : MathPrinter.Notation.UNICODE;
      try {
        Map<String, Integer> sizes = dims.sizes(result.models());
        Map<String, ValueLiteral> given = ModelValues.parse(assignments);
        EvalCommand.checkKnown(result, given);
        boolean several = result.models().size() > 1;
        List<String> lines = new ArrayList<>();
        for (ModelIR model : result.models()) {
          if (several) lines.add("model " + model.name());
          Interpreter in = EvalCommand.bind(model, sizes, given, seed);
          for (String line : Trace.lines(model, in, notation)) lines.add(several ? "  " + line : line);
        }
        lines.forEach(out::println);
        return Main.OK;
      } catch (ModelValues.BadValue e) {
        err.println(e.render(file.toString()));
        return Main.MODEL_ERRORS;
      }
    } finally {
      out.flush();
      err.flush();
    }
  }
}
