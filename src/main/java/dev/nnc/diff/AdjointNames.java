package dev.nnc.diff;

import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.notation.MathPrinter;
import dev.nnc.notation.Label;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names {@link MathPrinter} needs to print a differentiated model: the model's own names
 * ({@link MathPrinter#names(ModelIR)}) plus, for the adjoint node of each assigned value, {@code ∂L/∂name}, so that
 * {@code ∂L/∂W1} prints as {@code Xᵀ · ∂L/∂A1} rather than with ∂L/∂A1 spelled out. Forward names win over adjoint
 * names; constants and leaves are never renamed; when several values share one adjoint node (as {@code v} and
 * {@code u} do in {@code v = a + u}), the earliest-defined one names it, since its readers are the ones below it.
 */
public final class AdjointNames {
  private AdjointNames() {}

  public static Map<Expr, Label> of(DiffModel model) {
    return of(model, null);
  }

  /**
   * The names for printing the adjoint {@code current}: only adjoints computed before it in the reverse pass (those
   * of values defined after it) are named, so a line never refers to an adjoint that is derived from it — ∂L/∂a is
   * not shown in terms of ∂L/∂z when z comes before a. Null: every value's adjoint is named.
   */
  public static Map<Expr, Label> of(DiffModel model, Adjoint current) {
    Map<Expr, Label> names = new HashMap<>();
    MathPrinter.names(model.model()).forEach((e, n) -> names.put(e, Label.name(n)));
    List<Adjoint> adjoints = model.adjoints();
    int end = current != null && current.kind() == Adjoint.Kind.VALUE ? adjoints.indexOf(current) : adjoints.size();
    if (current != null && current.kind() == Adjoint.Kind.LOSS) end = 0;
    for (int i = end - 1; i >= 0; i--) { // values come in reverse definition order
      Adjoint a = adjoints.get(i);
      if (a.kind() != Adjoint.Kind.VALUE) continue;
      Expr v = a.value();
      if (v instanceof Expr.Const || v instanceof Expr.Var || v instanceof Expr.DimSize) continue;
      names.putIfAbsent(v, Label.adjoint(model.model().names(), a.name()));
    }
    return names;
  }
}
