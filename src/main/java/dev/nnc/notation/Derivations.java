package dev.nnc.notation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    for (String p : parts) out.append(symbols.op(" = ")).append(p);
    return out.toString();
  }

  /**
   * A derivation line printed in {@link MathPrinter.Notation#MATHML} as a block {@code <math>} element, for an HTML
   * page (browsers render MathML natively, no script or font needed).
   */
  public static String mathElement(String mathml) {
    return "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\"><mrow>" + mathml + "</mrow></math>";
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
    return local(steps, explanation, explanation.labels(), notation, limit);
  }

  /**
   * The local forms with other labels for the explanation's symbols — numbers for a numeric trace
   * ({@code 3 · 2} for {@code ∂J/∂u · c}).
   */
  public static String local(List<Step> steps, Explanation explanation, java.util.Map<dev.nnc.ir.Expr, Label> labels,
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
      // the local derivative is 1 (a sum passes its adjoint on): show the factor, as the course does (∂J/∂v · 1)
      if (!s.fromLoss() && passesOn(s, explanation)) out.append(printer.op(" · ")).append(printer.spell(1));
    }
    return out.toString();
  }

  /** Whether the step's local form is its incoming adjoint itself (maybe broadcast): a local derivative of 1. */
  public static boolean passesOn(Step s, Explanation explanation) {
    dev.nnc.ir.Expr e = s.local();
    while (e instanceof dev.nnc.ir.Expr.Broadcast b) e = b.x();
    Explanation.Symbol symbol = explanation.symbols().get(e);
    return symbol != null && symbol.adjoint();
  }

  /**
   * One line per notation in {@code printed} that a model cannot spell — the derivative helpers of the registry
   * ({@code [x > 0]}, {@code leaky_step}, {@code [a ≥ b]}) — saying what it means, in first-use order:
   * {@code [x > 0]: 1 where x > 0, else 0 (relu′, with relu′(0) = 0).} The meaning is the registry entry's.
   */
  public static List<String> notes(List<dev.nnc.ir.Expr> printed, MathPrinter.Notation notation) {
    java.util.LinkedHashMap<Object, String> meaning = new java.util.LinkedHashMap<>();
    java.util.ArrayDeque<dev.nnc.ir.Expr> stack = new java.util.ArrayDeque<>();
    java.util.Set<dev.nnc.ir.Expr> seen = new java.util.HashSet<>();
    java.util.List<dev.nnc.ir.Expr> found = new ArrayList<>();
    for (dev.nnc.ir.Expr root : printed) { // roots of several graphs: ids order only within one root
      java.util.List<dev.nnc.ir.Expr> own = new ArrayList<>();
      stack.push(root);
      while (!stack.isEmpty()) {
        dev.nnc.ir.Expr e = stack.pop();
        if (!seen.add(e)) continue;
        own.add(e);
        for (dev.nnc.ir.Expr in : e.inputs()) stack.push(in);
      }
      own.sort((a, b) -> Integer.compare(a.id(), b.id()));
      found.addAll(own);
    }
    dev.nnc.ir.Graph g = new dev.nnc.ir.Graph();
    dev.nnc.ir.Expr x = g.var("x", dev.nnc.ir.Role.INPUT, dev.nnc.ir.Shape.SCALAR);
    dev.nnc.ir.Expr y = g.var("b", dev.nnc.ir.Role.INPUT, dev.nnc.ir.Shape.SCALAR);
    dev.nnc.ir.Expr a = g.var("a", dev.nnc.ir.Role.INPUT, dev.nnc.ir.Shape.SCALAR);
    MathPrinter printer = MathPrinter.labelled(notation, java.util.Map.of());
    for (dev.nnc.ir.Expr e : found) {
      if (e instanceof dev.nnc.ir.Expr.RecurGrad r) {
        meaning.computeIfAbsent(r.of().rec(), k -> bptt(r.of().rec(), notation));
      } else if (e instanceof dev.nnc.ir.Expr.Unary u) {
        dev.nnc.prim.UnaryPrim p = dev.nnc.prim.Prims.of(u.op());
        if (!p.spellings().isEmpty() || !(p.java() instanceof dev.nnc.prim.JavaEmission.Helper h)) continue;
        meaning.computeIfAbsent(u.op(), k -> printer.print(g.rawUnary(u.op(), x, p.param() == null ? 0
            : p.param().defaultValue())) + ": " + prose(h.javadoc(), notation));
      } else if (e instanceof dev.nnc.ir.Expr.Binary b) {
        dev.nnc.prim.BinaryPrim p = dev.nnc.prim.Prims.of(b.op());
        if (!p.spellings().isEmpty() || !(p.java() instanceof dev.nnc.prim.JavaEmission.Helper h)) continue;
        meaning.computeIfAbsent(b.op(), k -> printer.print(g.rawBinary(b.op(), a, y)) + ": "
            + prose(h.javadoc(), notation));
      }
    }
    return new ArrayList<>(meaning.values());
  }

  /**
   * What ∂L/∂h[t] means in a recurrence's gradients: backpropagation through time, a loop from the last step down in
   * which step t receives the adjoint of its state from step t+1.
   */
  public static String bptt(dev.nnc.ir.Recurrence rec, MathPrinter.Notation notation) {
    String h = rec.spelling();
    String t = rec.index();
    String l = rec.step().names().lossSpelling();
    String steps = rec.steps().toString();
    // the ∂s are labels, spelled by the one printer (as in nnc grad); the words around them are this note's
    MathPrinter pr = MathPrinter.labelled(notation == MathPrinter.Notation.ASCII ? notation
        : MathPrinter.Notation.UNICODE, Map.of());
    String text = pr.label(Label.partial(l, h + "[" + t + "]")) + " = (" + pr.label(Label.partial(l, h)) + ")[" + t
        + "] + " + pr.label(Label.partial(l, h + "[" + t + "+1]")) + " · "
        + pr.label(Label.partial(h + "[" + t + "+1]", h + "[" + t + "]")) + ", for " + t + " = " + steps
        + " … 1 (backpropagation through time: step " + t + " receives from step " + t + "+1; "
        + pr.label(Label.partial(l, h + "[" + steps + "+1]")) + " = 0)";
    return prose(text, notation);
  }

  /** The registry's one-line meaning (Unicode prose) in ASCII where the notation asks for it. */
  private static String prose(String unicode, MathPrinter.Notation notation) {
    if (notation != MathPrinter.Notation.ASCII) return unicode;
    return unicode.replace("≥", ">=").replace("≤", "<=").replace("′", "'").replace("·", "*").replace("−", "-");
  }

  /** A step's local form with the labels of its explanation. */
  public static Formula localForm(Step step, Explanation explanation) {
    return new Formula(step.local(), explanation.labels(), false);
  }
}
