package dev.nnc;

import dev.nnc.ast.SourceFile;
import dev.nnc.codegen.GeneratedFile;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Source;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.ModelIR;
import java.util.List;

/**
 * What {@link Compiler#compile} produced: diagnostics (sorted by position), and the output of every stage that
 * ran (empty lists / null for stages after the first failed one or after {@code stopAfter}).
 */
public record Result(
    Source source,
    List<Diagnostic> diagnostics,
    SourceFile ast,
    List<ModelIR> models,
    List<DiffModel> derivatives,
    List<GeneratedFile> files) {

  public Result {
    diagnostics = List.copyOf(diagnostics);
    models = List.copyOf(models);
    derivatives = List.copyOf(derivatives);
    files = List.copyOf(files);
  }

  public boolean hasErrors() {
    for (Diagnostic d : diagnostics) if (d.isError()) return true;
    return false;
  }
}
