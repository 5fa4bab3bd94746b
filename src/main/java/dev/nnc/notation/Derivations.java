package dev.nnc.notation;

import java.util.ArrayList;
import java.util.List;

/**
 * The one renderer of derivations: prints an adjoint's chain rule, recorded as {@link Step} terms by the
 * differentiator, in any {@link MathPrinter.Notation} — for {@code nnc grad}, the comments of generated code and
 * the learner's views. A line reads
 *
 * <pre>∂L/∂z = ∂L/∂a · ∂a/∂z = ∂L/∂a · a(1−a) = a − y</pre>
 *
 * the symbolic step (one term per consumer statement), the step with the local derivatives filled in, and the
 * result; a form equal to the one before it ({@link Formula#sameAs}, decided on the IR) is shown once.
 */
public final class Derivations {
  private Derivations() {}

  /**
   * The right-hand side of a derivation line, from the first {@code " = "} on.
   *
   * @param adjoint ∂L/∂x, the left-hand side (a form equal to it is not repeated)
   * @param steps the chain rule's terms, consumers in definition order (empty: only the result is shown)
   * @param explanation the graph and symbols of the steps' local forms
   * @param result the result (the simplified adjoint), or null for none
   * @param stepLimit the output bound of the local forms ({@link MathPrinter#withLimit}), the caller's choice
   * @param resultLimit the output bound of the result
   */
  public static String rhs(Label.Partial adjoint, List<Step> steps, Explanation explanation, Formula result,
      MathPrinter.Notation notation, int stepLimit, int resultLimit) {
    MathPrinter symbols = MathPrinter.labelled(notation, java.util.Map.of());
    List<String> parts = new ArrayList<>();
    boolean chainIsTheAdjoint = steps.size() == 1 && steps.get(0).fromLoss()
        && steps.get(0).wrt().equals(adjoint.wrt());
    if (!steps.isEmpty() && !chainIsTheAdjoint) parts.add(chain(adjoint, steps, symbols));
    Formula local = steps.size() == 1 ? localForm(steps.get(0), explanation) : null;
    if (!steps.isEmpty()) parts.add(local(steps, explanation, notation, stepLimit));
    if (result != null) {
      boolean repeats = steps.isEmpty() ? adjoint.equals(result.rootLabel()) // ∂L/∂x = ∂L/∂x
          : local != null && local.sameAs(result); // a sum of several terms is never the result's form
      if (!repeats) parts.add(result.print(notation, resultLimit));
    }
    StringBuilder out = new StringBuilder();
    for (String p : parts) out.append(" = ").append(p);
    return out.toString();
  }

  /** The symbolic step: {@code ∂L/∂a · ∂a/∂z + ∂L/∂b · ∂b/∂z}; a term through the loss itself is {@code ∂L/∂z}. */
  public static String chain(Label.Partial adjoint, List<Step> steps, MathPrinter symbols) {
    StringBuilder out = new StringBuilder();
    for (Step s : steps) {
      if (out.length() > 0) out.append(symbols.op(" + "));
      String consumer = s.consumer().spelling();
      if (s.fromLoss()) {
        out.append(symbols.label(Label.partial(adjoint.of(), s.wrt())));
      } else {
        out.append(symbols.label(Label.partial(adjoint.of(), consumer))).append(symbols.op(" · "))
            .append(symbols.label(Label.partial(consumer, s.wrt())));
      }
    }
    return out.toString();
  }

  /** The step with the local derivatives filled in: the terms' local forms summed, {@code a − b} for {@code a + (−b)}. */
  public static String local(List<Step> steps, Explanation explanation, MathPrinter.Notation notation, int limit) {
    return local(steps, explanation.labels(), notation, limit);
  }

  /**
   * The local forms with other labels for the explanation's symbols — numbers for a numeric trace
   * ({@code 3 · 2} for {@code ∂J/∂u · c}).
   */
  public static String local(List<Step> steps, java.util.Map<dev.nnc.ir.Expr, Label> labels,
      MathPrinter.Notation notation, int limit) {
    MathPrinter printer = MathPrinter.labelled(notation, labels).withLimit(limit);
    StringBuilder out = new StringBuilder();
    for (Step s : steps) {
      if (out.length() == 0) {
        out.append(printer.print(s.local()));
      } else if (printer.startsWithMinus(s.local())) {
        out.append(printer.op(" − ")).append(printer.printWithoutLeadingMinus(s.local()));
      } else {
        out.append(printer.op(" + ")).append(printer.print(s.local()));
      }
    }
    return out.toString();
  }

  /** A step's local form with the labels of its explanation. */
  public static Formula localForm(Step step, Explanation explanation) {
    return new Formula(step.local(), explanation.labels(), false);
  }
}
