package dev.nnc.codegen;

import dev.nnc.diff.Adjoint;
import dev.nnc.diff.AdjointNames;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Shape;
import dev.nnc.notation.Derivations;
import dev.nnc.notation.Formula;
import dev.nnc.notation.Label;
import dev.nnc.notation.MathPrinter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Backward's chain-rule comments: for each adjoint in backward order, the line that shows its step
 * ({@code // ∂L/∂v3 = ∂L/∂v4 · ∂v4/∂v3 = ∂L/∂v4 · (1 − v4²) · w4   (model.nn:5)}), or null where an adjoint has none.
 *
 * <p>They are independent of each other and of the statements, and the most expensive part of writing a long model
 * (tens of thousands of formulas), so they are rendered on the machine's other cores ({@link Parallel}) from the moment
 * the plan knows which pass computes each node and where each adjoint lives — before it decides buffers and names, and
 * while the statements are written; {@link Bodies#backward} places them. A small model renders them when they are
 * joined, on the calling thread. They read only what the plan decided by then, which never changes afterwards.
 */
final class ChainRuleComments {
  /** Characters of a simplified derivative printed in a comment before it ends in "…" (comments stay short). */
  private static final int COMMENT_MATH_LIMIT = 240;
  /** Characters of a chain-rule step's local form in a comment before it ends in "…". */
  private static final int COMMENT_STEP_LIMIT = 600;
  /** Java comments and Javadoc are Unicode. */
  private static final MathPrinter UNICODE = MathPrinter.labelled(MathPrinter.Notation.UNICODE, Map.of());

  private final Plan p;
  /** The adjoints as backpropagation meets them ({@link dev.nnc.diff.DiffModel#inBackwardOrder}). */
  private final List<Adjoint> order;
  private Map<Expr, Label> labels;
  private Parallel.Job<Adjoint, String> job;

  /** @param plan a plan whose passes and homes are decided (its buffers and names need not be) */
  ChainRuleComments(Plan plan) {
    this.p = plan;
    this.order = plan.dm.inBackwardOrder();
  }

  /** Starts rendering, on the other cores for a long model; once. */
  ChainRuleComments start() {
    if (job == null) {
      labels(); // built once, before the threads share it
      job = Parallel.start(order, a -> a.kind() == Adjoint.Kind.LOSS || a.value() == null ? null
          : p.homeAdjoint[a.value().id()] == a ? "// " + adjointComment(a, "")
          : a.kind() == Adjoint.Kind.VALUE ? "// " + adjointComment(a, notComputed(a)) : null);
    }
    return this;
  }

  /** The comments, by adjoint in backward order, once all are rendered (the caller helps with the rest). Once. */
  List<String> join() {
    return start().job.join();
  }

  /** ∂L/∂x of the adjoint, its shape, its chain-rule step and its value's formula, its .nn line, and {@code note}. */
  String adjointComment(Adjoint a, String note) {
    Label.Partial symbol = Label.adjoint(p.table, a.name());
    StringBuilder s = new StringBuilder(UNICODE.label(symbol));
    Shape shape = a.value() == null ? Shape.SCALAR : a.value().shape();
    if (!shape.isScalar()) s.append(shape);
    Formula value = a.value() == null ? null
        : !note.isEmpty() ? new Formula(a.value(), AdjointNames.of(p.dm, a), true) // computed before it only
        : new Formula(a.value(), labels(), p.homeAdjoint[a.value().id()] == a);
    s.append(Derivations.rhs(symbol, a.steps(), p.dm.explanation(), value,
        MathPrinter.Notation.UNICODE, COMMENT_STEP_LIMIT, COMMENT_MATH_LIMIT));
    s.append("   (").append(where(p.file, a.span())).append(")").append(note);
    return JavaText.lineComment(s.toString());
  }

  /** ∂L/∂x of param or value {@code name}, as comments and Javadoc print it. */
  String adjointSymbol(String name) {
    return UNICODE.label(Label.adjoint(p.table, name));
  }

  /** Where a statement is: the .nn file's name and line, or the name alone. */
  static String where(String file, dev.nnc.diag.Span span) {
    return span == null || span.line() <= 0 ? file : file + ":" + span.line();
  }

  private String notComputed(Adjoint a) {
    Expr n = a.value();
    int id = n.id();
    if (!p.forward[id] && !p.backward[id]) return "   — not computed: no param gradient needs it once simplified";
    if (n instanceof Expr.Const || n instanceof Expr.DimSize) return "   — a constant, used where needed";
    if (p.homeAdjoint[id] != null) return "   — the same as " + adjointSymbol(p.homeAdjoint[id].name());
    if (p.homeValue[id] != null) return "   — computed by forward as " + p.homeValue[id].spelling();
    if (n instanceof Expr.Var v) return "   — equal to " + spellingOf(v);
    return "   — computed by forward";
  }

  private String spellingOf(Expr.Var v) {
    for (List<ModelIR.Leaf> leaves : List.of(p.model.inputs(), p.model.params())) {
      for (ModelIR.Leaf l : leaves) if (l.var() == v) return l.spelling();
    }
    return v.name();
  }

  /** The names comments print nodes by: the model's names, and ∂L/∂x for the node that holds x's adjoint. */
  private Map<Expr, Label> labels() {
    if (labels == null) {
      List<Expr> nodes = p.model.graph().nodes();
      Map<Expr, Label> all = new HashMap<>();
      MathPrinter.names(p.model).forEach((e, n) -> all.put(e, Label.name(n)));
      for (int id = 0; id < p.size; id++) {
        if (p.homeAdjoint[id] != null) {
          all.putIfAbsent(nodes.get(id), Label.adjoint(p.table, p.homeAdjoint[id].name()));
        }
      }
      // Immutable once: a printer over it (one per comment) then shares it instead of copying the whole model's
      // labels each time, which was quadratic in the length of the model (issue 11).
      labels = Map.copyOf(all);
    }
    return labels;
  }
}
