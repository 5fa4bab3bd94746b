package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diff.Adjoint;
import dev.nnc.diff.AdjointNames;
import dev.nnc.diff.DiffModel;
import dev.nnc.diff.Derivatives;
import dev.nnc.ir.Shape;
import dev.nnc.notation.Derivations;
import dev.nnc.notation.Formula;
import dev.nnc.notation.Label;
import dev.nnc.notation.MathPrinter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nnc grad FILE}: the chain rule step by step. One line per intermediate and per param, in reverse order:
 * {@code ∂L/∂z = ∂L/∂a · ∂a/∂z = ∂L/∂a · a(1−a) = a − y} — the step, the step with the local derivative filled
 * in (both recorded by the differentiator as {@code Step} terms), and last the simplified result, all printed by
 * {@link Derivations}. Equal neighbouring forms are shown once.
 */
@Command(name = "grad", mixinStandardHelpOptions = true, description = "Prints the chain rule, step by step, for every intermediate and param.")
final class GradCommand implements Callable<Integer> {
  /** Characters of a local form: a deeply nested statement's local derivative is cut there (with …). */
  static final int STEP_LIMIT = 600;
  /** Characters of a result: generous, so that only a pathological derivative is cut (with …). */
  static final int RESULT_LIMIT = 4000;

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

  /**
   * The derivation lines of one model (everything but the loss itself), in the given notation: first, for each
   * {@code ∂E/∂x} the model writes, its own derivation (the second-order steps: how the value the model computes
   * was derived), indented under {@code name = ∂E/∂x:}; then the model's reverse pass.
   */
  static List<String> lines(DiffModel model, MathPrinter.Notation notation) {
    List<String> lines = new ArrayList<>();
    for (Derivatives.Expanded d : model.derivatives()) {
      String value = model.model().value(d.valueName()).spelling();
      String symbol = MathPrinter.labelled(notation, Map.of()).label(new Label.Partial(d.of(), d.wrt()));
      lines.add("in " + value + ": " + symbol + ", derived:");
      for (String line : adjointLines(d.derivation(), notation, true)) lines.add("  " + line);
    }
    lines.addAll(adjointLines(model, notation, false));
    return lines;
  }

  private static List<String> adjointLines(DiffModel model, MathPrinter.Notation notation, boolean skipZeros) {
    List<String> lines = new ArrayList<>();
    List<dev.nnc.ir.Expr> printed = new ArrayList<>();
    for (Adjoint a : model.inBackwardOrder()) {
      if (a.kind() == Adjoint.Kind.LOSS) continue;
      if (skipZeros && a.steps().isEmpty() && a.value() instanceof dev.nnc.ir.Expr.Const) continue;
      Label.Partial symbol = Label.adjoint(model.model().names(), a.name());
      Shape shape = a.value().shape();
      String lhs = MathPrinter.labelled(notation, Map.of()).label(symbol) + (shape.isScalar() ? "" : " " + shape);
      Formula result = new Formula(a.value(), AdjointNames.of(model, a), true);
      lines.add(lhs + Derivations.rhs(symbol, a.steps(), model.explanation(), result, notation, STEP_LIMIT,
          RESULT_LIMIT));
      for (dev.nnc.notation.Step s : a.steps()) printed.add(s.local());
      printed.add(a.value());
    }
    for (String note : Derivations.notes(printed, notation)) lines.add("where " + note);
    return lines;
  }
}
