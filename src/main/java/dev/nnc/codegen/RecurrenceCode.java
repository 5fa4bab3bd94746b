package dev.nnc.codegen;

import dev.nnc.diff.DiffModel;
import dev.nnc.ir.Expr;
import dev.nnc.ir.GraphCopy;
import dev.nnc.ir.NameTable;
import dev.nnc.ir.Recurrence;
import dev.nnc.ir.Shape;
import dev.nnc.notation.Derivations;
import dev.nnc.notation.Label;
import dev.nnc.notation.MathPrinter;
import dev.nnc.simplify.Simplifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The code of recurrences (docs/language.md, "Recurrences"; docs/codegen.md): each recurrence's step model becomes a
 * private static nested class generated like any model (its forward is one step, its backward one step of
 * backpropagation through time), held in a field of the model's class; {@code forward} runs it in a Java loop over
 * the steps and keeps the states h[1] … h[T], {@code backward} runs a second loop from the last step down in which
 * step t receives ∂L/∂h[t] from step t+1. Both loops are a few lines whatever T is, and allocate nothing: the step
 * object and every buffer are allocated by the constructor. Intermediate values of a step are recomputed by the
 * backward loop (the step's forward runs again before its backward); the states are kept.
 */
final class RecurrenceCode {
  /** A recurrence's step class: its name in the model's class, the field holding it, its model and its names. */
  record StepClass(Recurrence rec, String className, String field, DiffModel dm, JavaGenerator.Nested nested,
      NameTable names) {
    String java(Expr.Var placeholder) {
      return field + "." + names.get(placeholder.name()).java();
    }

    String gradient(Expr.Var placeholder) {
      return field + "." + names.get(placeholder.name()).gradientJava();
    }
  }

  private final Plan p;
  private final Bodies bodies;
  private final Map<Recurrence, StepClass> classes = new LinkedHashMap<>();
  private final Set<Expr> done = new HashSet<>();
  private final String t;
  private final String i;

  RecurrenceCode(Plan p, Bodies bodies) {
    this.p = p;
    this.bodies = bodies;
    List<Expr> nodes = p.model.graph().nodes();
    for (int id = 0; id < p.size; id++) {
      if (!p.needed[id]) continue;
      Recurrence rec = nodes.get(id) instanceof Expr.Recur r ? r.rec()
          : nodes.get(id) instanceof Expr.RecurGrad g ? g.of().rec() : null;
      if (rec == null || classes.containsKey(rec)) continue;
      DiffModel dm = Simplifier.differentiate(GraphCopy.copy(rec.step()));
      String className = p.names.fresh(dm.model().name());
      String field = p.names.fresh(Character.toLowerCase(className.charAt(0)) + className.substring(1));
      classes.put(rec, new StepClass(rec, className, field, dm, JavaGenerator.nested(dm, p.precision, className),
          dm.model().names()));
    }
    this.t = classes.isEmpty() ? "t" : p.names.fresh("t");
    this.i = classes.isEmpty() ? "i" : p.names.fresh("i");
  }

  List<StepClass> classes() {
    return List.copyOf(classes.values());
  }

  // ---- forward -------------------------------------------------------------------------------------

  /** h = the states of the recurrence: a loop over the steps. */
  void forward(Expr.Recur e, List<String> out) {
    StepClass c = classes.get(e.rec());
    Recurrence rec = e.rec();
    Shape state = rec.stateShape();
    String all = p.slotName[e.id()];
    String steps = p.dim(rec.steps());
    out.add("// " + JavaText.lineComment(rec.spelling() + "[" + rec.index() + "] = " + rec.bodyText() + " for "
        + rec.index() + " = 1 … " + rec.steps() + ": " + c.className() + ".forward is one step"));
    captures(e, c, out);
    copy(c.java(rec.state()), "0", slot(e.init()), "0", state, out, "");
    out.add("for (int " + t + " = 0; " + t + " < " + steps + "; " + t + "++) {");
    slices(e, c, out);
    out.add("  " + forwardCall(c) + ";");
    String h = c.field() + "." + c.names().get(rec.name()).java();
    copy(all, t + " * " + size(state), h, "0", state, out, "  ");
    copy(c.java(rec.state()), "0", h, "0", state, out, "  ");
    out.add("}");
  }

  private void captures(Expr.Recur e, StepClass c, List<String> out) {
    List<Expr.Var> holes = e.rec().captures();
    for (int k = 0; k < holes.size(); k++) {
      copy(c.java(holes.get(k)), "0", slot(e.captures().get(k)), "0", holes.get(k).shape(), out, "");
    }
  }

  private void slices(Expr.Recur e, StepClass c, List<String> out) {
    List<Expr.Var> holes = e.rec().slices();
    for (int k = 0; k < holes.size(); k++) {
      Shape s = holes.get(k).shape();
      copy(c.java(holes.get(k)), "0", slot(e.seqs().get(k)), t + (s.isScalar() ? "" : " * " + size(s)), s, out, "  ");
    }
  }

  // ---- backward ------------------------------------------------------------------------------------

  /**
   * Backpropagation through time: one loop from the last step down computes the adjoints of every operand of the
   * recurrence that the model needs for this seed (the first of them emits it; the others are then already done).
   */
  void backward(Expr.RecurGrad g, List<String> out) {
    if (done.contains(g)) {
      out.add("// " + JavaText.lineComment("(computed by the loop over the steps of " + g.of().rec().spelling()
          + " above)"));
      return;
    }
    List<Expr.RecurGrad> group = new ArrayList<>();
    List<Expr> nodes = p.model.graph().nodes();
    for (int id = g.id(); id < p.size; id++) {
      if (p.needed[id] && nodes.get(id) instanceof Expr.RecurGrad o && o.of() == g.of() && o.seed() == g.seed()
          && p.forward[id] == p.forward[g.id()]) {
        group.add(o);
        done.add(o);
      }
    }
    Expr.Recur of = g.of();
    Recurrence rec = of.rec();
    StepClass c = classes.get(rec);
    Shape state = rec.stateShape();
    String s = size(state);
    String steps = p.dim(rec.steps());
    String all = p.slotName[of.id()];
    String seed = slot(g.seed());
    String carry = p.names.fresh("carry" + g.id());
    bodies.scratch.add(new Bodies.Scratch(carry, state));
    String zero = p.precision.constant("0.0");
    String loss = rec.step().names().lossSpelling();
    MathPrinter unicode = MathPrinter.labelled(MathPrinter.Notation.UNICODE, java.util.Map.of());
    String stateText = rec.spelling() + "[" + rec.index() + "]";
    out.add("// " + JavaText.lineComment("backpropagation through time over " + stateText + " = " + rec.bodyText()
        + ", for " + rec.index() + " = " + rec.steps() + " … 1: step " + rec.index() + " receives "
        + unicode.label(Label.partial(loss, stateText)) + " from step " + rec.index() + "+1 (" + carry
        + ") and from the loss at " + rec.index() + "; " + c.className() + ".backward gives "
        + unicode.label(Label.partial(loss, rec.spelling() + "[" + rec.index() + "−1]"))
        + " and the step's shares of the other operands"));
    out.add("// " + JavaText.lineComment("where " + Derivations.bptt(rec, MathPrinter.Notation.UNICODE)));
    captures(of, c, out);
    fill(carry, state, zero, out, "");
    for (Expr.RecurGrad o : group) {
      if (o.operand() > rec.slices().size()) fill(target(o, out), o.shape(), zero, out, "");
    }
    out.add("for (int " + t + " = " + steps + " - 1; " + t + " >= 0; " + t + "--) {");
    String g0 = c.java(rec.seed());
    // ∂L/∂h[t] = what step t+1 passed back + the seed's part at step t
    if (state.isScalar()) {
      out.add("  " + g0 + " = " + carry + " + " + seed + "[" + t + "];");
    } else {
      out.add("  for (int " + i + " = 0; " + i + " < " + s + "; " + i + "++) " + g0 + "[" + i + "] = " + carry + "["
          + i + "] + " + seed + "[" + t + " * " + s + " + " + i + "];");
    }
    String prev = c.java(rec.state());
    out.add("  if (" + t + " == 0) {");
    copy(prev, "0", slot(of.init()), "0", state, out, "    ");
    out.add("  } else {");
    copy(prev, "0", all, "(" + t + " - 1) * " + s, state, out, "    ");
    out.add("  }");
    slices(of, c, out);
    out.add("  " + forwardCall(c) + ";");
    out.add("  " + c.field() + ".backward();");
    copy(carry, "0", c.gradient(rec.state()), "0", state, out, "  ");
    for (Expr.RecurGrad o : group) {
      if (o.operand() == 0) continue;
      Expr.Var hole = rec.placeholder(o.operand());
      String target = p.slotName[o.id()];
      if (o.operand() <= rec.slices().size()) {
        Shape sl = hole.shape();
        copy(target, t + (sl.isScalar() ? "" : " * " + size(sl)), c.gradient(hole), "0", sl, out, "  ");
      } else if (hole.shape().isScalar()) {
        out.add("  " + target + " += " + c.gradient(hole) + ";");
      } else {
        out.add("  for (int " + i + " = 0; " + i + " < " + size(hole.shape()) + "; " + i + "++) " + target + "[" + i
            + "] += " + c.gradient(hole) + "[" + i + "];");
      }
    }
    out.add("}");
    for (Expr.RecurGrad o : group) {
      if (o.operand() == 0) copy(target(o, out), "0", carry, "0", state, out, "");
    }
  }

  /** The slot of a gradient this loop fills; a scalar local is declared here (before the loop). */
  private String target(Expr.RecurGrad o, List<String> out) {
    String name = p.slotName[o.id()];
    if (o.shape().isScalar() && p.local[o.id()] && declared.add(o.id())) out.add(p.precision.java() + " " + name + ";");
    return name;
  }

  private final Set<Integer> declared = new HashSet<>();

  // ---- h[T] of a scalar state ------------------------------------------------------------------------

  /** h[T] of a recurrence with a scalar state, or its adjoint: a scalar on one side, so no layer method. */
  static boolean scalarSteps(Expr.Layer l) {
    return (l.op() == dev.nnc.ir.LayerOp.LAST_STEP && l.shape().isScalar())
        || (l.op() == dev.nnc.ir.LayerOp.LAST_STEP_SPREAD && l.args().get(0).shape().isScalar());
  }

  void scalarSteps(Expr.Layer l, List<String> out) {
    String target = p.slotName[l.id()];
    String x = slot(l.args().get(0));
    if (l.op() == dev.nnc.ir.LayerOp.LAST_STEP) {
      String decl = p.local[l.id()] ? p.precision.java() + " " : "";
      out.add(decl + target + " = " + x + "[" + p.dim(l.args().get(0).shape().dim(0)) + " - 1];");
    } else {
      String n = p.dim(l.shape().dim(0));
      out.add("for (int " + i + " = 0; " + i + " < " + n + " - 1; " + i + "++) " + target + "[" + i + "] = 0;");
      out.add(target + "[" + n + " - 1] = " + x + ";");
    }
  }

  /** {@code stepH.forward(…)} with the step's own input fields (each slice and the seed are copied in first). */
  private static String forwardCall(StepClass c) {
    List<String> args = new ArrayList<>();
    for (dev.nnc.ir.ModelIR.Leaf in : c.dm().model().inputs()) args.add(c.field() + "." + c.names().of(in).java());
    return c.field() + ".forward(" + String.join(", ", args) + ")";
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private String slot(Expr e) {
    return p.slotName[e.id()];
  }

  private String size(Shape s) {
    return bodies.size(s);
  }

  /** {@code dst[dstOff …] = src[srcOff …]} over a tensor of {@code shape}; scalars are plain variables or elements. */
  private void copy(String dst, String dstOff, String src, String srcOff, Shape shape, List<String> out, String pad) {
    if (!shape.isScalar()) {
      out.add(pad + "System.arraycopy(" + src + ", " + srcOff + ", " + dst + ", " + dstOff + ", " + size(shape) + ");");
      return;
    }
    String d = dstOff.equals("0") ? dst : dst + "[" + dstOff + "]";
    String s = srcOff.equals("0") ? src : src + "[" + srcOff + "]";
    out.add(pad + d + " = " + s + ";");
  }

  private void fill(String dst, Shape shape, String value, List<String> out, String pad) {
    if (shape.isScalar()) {
      out.add(pad + dst + " = " + value + ";");
    } else {
      out.add(pad + "java.util.Arrays.fill(" + dst + ", 0, " + size(shape) + ", " + value + ");");
    }
  }
}
