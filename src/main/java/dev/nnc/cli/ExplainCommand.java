package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Code;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nnc explain FILE [NAME=VALUE…] [--random SEED] [--dim B=4] [-o OUT.html]}: one self-contained HTML page
 * ({@link ExplainPage}) with the model's source, its computation graph, the chain rule step by step in MathML, the
 * numeric trace and the generated Java; clicking a statement highlights its node, its step and its Java lines.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, description = {
    "Writes one self-contained HTML page explaining a model: its source, the computation graph, the chain rule",
    "step by step (MathML), the numeric trace at a point and the generated Java; click a statement to see its",
    "node, its chain-rule step and its Java lines. Values as in nnc trace (without any, no numbers are shown)."})
final class ExplainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
  Path file;

  @Parameters(index = "1..*", paramLabel = "NAME=VALUE", description = "values of inputs and params (optional)")
  List<String> assignments = new ArrayList<>();

  @Option(names = "-o", paramLabel = "OUT.html", description = "write the page there (default: standard output)")
  Path output;

  @Option(names = "--random", paramLabel = "SEED", description = "fill tensors not given with seeded random numbers "
      + "(uniform in [-1, 1]); free dims not given default to 3")
  Long seed;

  @Mixin DimOption dims;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Result result = Inputs.compile(file, Compiler.Options.defaults().stopAfter(Compiler.Stage.DIFF), err);
      if (result == null) return Main.MODEL_ERRORS;
      String page;
      try {
        page = ExplainPage.html(result, assignments, dims.sizes(result.models()), seed);
      } catch (ModelValues.BadValue e) {
        err.println(e.render(file.toString()));
        return Main.MODEL_ERRORS;
      }
      if (output == null) {
        out.print(page);
        return Main.OK;
      }
      try {
        Files.writeString(output, page, StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println(output + ": error: [" + Code.CANNOT_WRITE.id() + "] cannot write: " + OutputDir.reason(e));
        return Main.MODEL_ERRORS;
      }
      out.println(output);
      return Main.OK;
    } finally {
      out.flush();
      err.flush();
    }
  }
}
