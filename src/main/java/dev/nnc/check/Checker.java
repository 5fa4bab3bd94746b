package dev.nnc.check;

import dev.nnc.ast.Model;
import dev.nnc.ast.SourceFile;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Source;
import dev.nnc.ir.ModelIR;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names, declarations and shapes (LANGUAGE.md §4–6); lowers each checked model to the IR with broadcasts explicit.
 * Every model is checked even after another had errors, so one run reports everything it can. A model with errors
 * yields no {@link ModelIR}.
 */
public final class Checker {
  private Checker() {}

  public static List<ModelIR> check(SourceFile file, Source source, Diagnostics diags) {
    List<ModelIR> out = new ArrayList<>();
    if (file == null) return out;
    Map<String, Model> seen = new HashMap<>();
    for (Model model : file.models()) {
      Model first = seen.putIfAbsent(model.name(), model);
      if (first != null) {
        diags.error(Code.DUPLICATE_MODEL, model.nameSpan(), "a second model named '" + model.name() + "' (the first is on line "
            + first.nameSpan().line() + ")", "each model becomes a Java class; give it another name");
      }
      ModelIR ir = new ModelChecker(model, source, diags).check();
      if (ir != null && first == null) out.add(ir);
    }
    return out;
  }
}
