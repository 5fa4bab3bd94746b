package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Source;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nnc check FILE…}: every static check (names, declarations, shapes), no code generated. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Checks .nn files (names, declarations, shapes) and prints their diagnostics; exit 1 on any error.")
final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "the .nn files to check")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean failed = false;
    for (Path file : files) {
      Source source = Inputs.read(file, err);
      if (source == null) {
        failed = true;
        continue;
      }
      Result result = Compiler.compile(source, Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
      if (Inputs.report(result, err)) {
        failed = true;
      } else {
        int n = result.models().size();
        out.println(file + ": ok (" + n + (n == 1 ? " model)" : " models)"));
      }
    }
    out.flush();
    err.flush();
    return failed ? Main.MODEL_ERRORS : Main.OK;
  }
}
