package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diff.Adjoint;
import dev.nnc.diff.AdjointNames;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.Shape;
import dev.nnc.notation.MathPrinter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nnc grad FILE}: the chain rule step by step. One line per intermediate and per param, in reverse order:
 * {@code ∂L/∂z = ∂L/∂a · ∂a/∂z = ∂L/∂a · a(1−a) = a − y} — the step, the step with the local derivative filled
 * in (both recorded by the differentiator), and last the simplified result. Equal neighbouring forms are shown once.
 */
@Command(name = "grad", mixinStandardHelpOptions = true, description = "Prints the chain rule, step by step, for every intermediate and param.")
final class GradCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
  Path file;

  @Option(names = "--latex", description = "print LaTeX (math mode)")
  boolean latex;

  @Option(names = "--ascii", description = "print ASCII only (dL/da, *, -)")
  boolean ascii;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Result result = Inputs.compile(file, Compiler.Options.defaults().stopAfter(Compiler.Stage.DIFF), err);
    if (result == null) return Main.MODEL_ERRORS;
    MathPrinter.Notation notation = latex ? MathPrinter.Notation.LATEX
        : ascii ? MathPrinter.Notation.ASCII : MathPrinter.Notation.UNICODE;
    boolean several = result.derivatives().size() > 1;
    for (DiffModel model : result.derivatives()) {
      if (several) out.println("model " + model.model().name());
      for (String line : lines(model, notation)) out.println(several ? "  " + line : line);
    }
    out.flush();
    return Main.OK;
  }

  /** The derivation lines of one model (everything but the loss itself), in the given notation. */
  static List<String> lines(DiffModel model, MathPrinter.Notation notation) {
    String loss = model.model().lossValue().spelling();
    List<String> lines = new ArrayList<>();
    for (Adjoint a : model.adjoints()) {
      if (a.kind() == Adjoint.Kind.LOSS) continue;
      MathPrinter printer = MathPrinter.of(notation, AdjointNames.of(model, a));
      Shape shape = a.value().shape();
      String symbol = printer.convert(MathPrinter.adjointSymbol(loss, a.spelling()));
      String lhs = symbol + (shape.isScalar() ? "" : " " + shape);
      List<String> parts = new ArrayList<>();
      parts.add(lhs);
      if (!a.chain().isEmpty()) parts.add(printer.convert(a.chain()));
      if (!a.local().isEmpty()) parts.add(printer.convert(a.local()));
      parts.add(printer.printDefinition(a.value()));
      StringBuilder line = new StringBuilder(parts.get(0));
      String previous = symbol;
      for (int i = 1; i < parts.size(); i++) {
        if (parts.get(i).equals(previous)) continue;
        line.append(" = ").append(parts.get(i));
        previous = parts.get(i);
      }
      lines.add(line.toString());
    }
    return lines;
  }
}
