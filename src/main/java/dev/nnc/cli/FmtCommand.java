package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.ast.AstPrinter;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticRenderer;
import dev.nnc.diag.Source;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
      Source source = read(file, err);
      if (source == null) {
        failed = true;
        continue;
      }
      Result result = Compiler.compile(source, Compiler.Options.defaults().stopAfter(Compiler.Stage.PARSE));
      for (Diagnostic d : result.diagnostics()) err.print(DiagnosticRenderer.render(source, d));
      if (result.hasErrors() || result.ast() == null) {
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

  private static Source read(Path file, PrintWriter err) {
    try {
      return Source.fromBytes(file.toString(), Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      err.println(file + ": error: [" + Code.CANNOT_READ.id() + "] no such file");
    } catch (IOException e) {
      err.println(file + ": error: [" + Code.CANNOT_READ.id() + "] cannot read: " + e.getMessage());
    }
    return null;
  }
}
