package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.ast.AstPrinter;
import dev.nnc.diag.Source;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nnc fmt FILE… [--ascii|--unicode]}: parses each file (no semantic checks: a model with an undefined name
 * still formats) and prints its canonical form to stdout. Syntax errors go to stderr and make the exit status 1.
 * With several files, each output is preceded by a {@code # ==> FILE <==} comment line.
 */
@Command(name = "fmt", mixinStandardHelpOptions = true,
    description = "Print .nn files in canonical form (parsing only; comments are not kept).")
final class FmtCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "the .nn files to format")
  List<Path> files;

  static final class SpellingChoice {
    @Option(names = "--ascii", description = "ASCII spellings: -, @, sigmoid, sqrt, ^2, pi") boolean ascii;
    @Option(names = "--unicode", description = "Unicode spellings: −, ·, σ, √, ², π (the default)") boolean unicode;
  }

  @CommandLine.ArgGroup(exclusive = true, multiplicity = "0..1")
  SpellingChoice choice;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AstPrinter.Spelling spelling = choice != null && choice.ascii ? AstPrinter.Spelling.ASCII
        : AstPrinter.Spelling.UNICODE;
    boolean failed = false;
    int printed = 0;
    for (Path file : files) {
      Source source = Inputs.read(file, err);
      if (source == null) {
        failed = true;
        continue;
      }
      Result result = Compiler.compile(source, Compiler.Options.defaults().stopAfter(Compiler.Stage.PARSE));
      if (Inputs.report(result, err) || result.ast() == null) {
        failed = true;
        continue;
      }
      if (files.size() > 1) out.println((printed++ > 0 ? "\n" : "") + "# ==> " + file + " <==");
      out.print(AstPrinter.print(result.ast(), spelling));
    }
    out.flush();
    err.flush();
    return failed ? Main.MODEL_ERRORS : Main.OK;
  }
}
