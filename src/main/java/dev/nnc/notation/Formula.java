package dev.nnc.notation;

import dev.nnc.ir.Expr;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An expression to print together with the labels its named nodes print as, and whether its root is shown as its
 * operation even when it has a label ({@link MathPrinter#printDefinition}). Two forms are {@link #sameAs the same}
 * when they are the same operations on the same labels — decided on the IR, never on printed text — which is how a
 * derivation line shows a form only once.
 */
public record Formula(Expr expr, Map<Expr, Label> labels, boolean expandRoot) {
  /** Prints this form in {@code printer}'s notation with this form's labels. */
  public String print(MathPrinter.Notation notation, int limit) {
    MathPrinter p = MathPrinter.labelled(notation, labels).withLimit(limit);
    return expandRoot ? p.printDefinition(expr) : p.print(expr);
  }

  /** The label the root prints as, or null when the root prints as its operation. */
  public Label rootLabel() {
    return expandRoot ? null : labelOf(expr, true);
  }

  private Label labelOf(Expr e, boolean isRoot) {
    if (isRoot && expandRoot && !(e instanceof Expr.Var)) return null; // as the printer: a leaf prints its name
    Label l = labels.get(e);
    if (l != null) return l;
    return e instanceof Expr.Var v ? Label.name(v.name()) : null;
  }

  /** Whether this form and {@code other} print the same: same operations, same labels, broadcasts ignored. */
  public boolean sameAs(Formula other) {
    record Pair(Expr a, Expr b, boolean rootA, boolean rootB) {}
    Deque<Pair> work = new ArrayDeque<>();
    Set<Pair> done = new HashSet<>();
    work.push(new Pair(expr, other.expr, true, true));
    while (!work.isEmpty()) {
      Pair p = work.pop();
      if (!done.add(p)) continue;
      Expr a = p.a();
      Expr b = p.b();
      boolean rootA = p.rootA();
      boolean rootB = p.rootB();
      // broadcasts print as their operand
      while (a instanceof Expr.Broadcast bc && labelOf(a, rootA) == null) {
        a = bc.x();
        rootA = false;
      }
      while (b instanceof Expr.Broadcast bc && other.labelOf(b, rootB) == null) {
        b = bc.x();
        rootB = false;
      }
      Label la = labelOf(a, rootA);
      Label lb = other.labelOf(b, rootB);
      if (la != null || lb != null) {
        if (!Objects.equals(la, lb)) return false;
        continue;
      }
      if (!sameOperation(a, b)) return false;
      List<Expr> ia = a.inputs();
      List<Expr> ib = b.inputs();
      for (int i = 0; i < ia.size(); i++) work.push(new Pair(ia.get(i), ib.get(i), false, false));
    }
    return true;
  }

  /** Same node kind and parameters (operands aside), as the printer distinguishes them. */
  private static boolean sameOperation(Expr a, Expr b) {
    if (a.getClass() != b.getClass() || a.inputs().size() != b.inputs().size()) return false;
    if (!a.shape().equals(b.shape()) && a.shape().rank() != b.shape().rank()) return false;
    if (a instanceof Expr.Const x) return Double.compare(x.value(), ((Expr.Const) b).value()) == 0;
    if (a instanceof Expr.DimSize x) return x.dim().equals(((Expr.DimSize) b).dim());
    if (a instanceof Expr.Unary x) {
      Expr.Unary y = (Expr.Unary) b;
      return x.op().equals(y.op()) && Double.compare(x.param(), y.param()) == 0;
    }
    if (a instanceof Expr.Binary x) return x.op().equals(((Expr.Binary) b).op());
    if (a instanceof Expr.Reduce x) {
      Expr.Reduce y = (Expr.Reduce) b;
      return x.op().equals(y.op()) && x.axes().equals(y.axes());
    }
    if (a instanceof Expr.Softmax x) return x.axis() == ((Expr.Softmax) b).axis();
    if (a instanceof Expr.LogSoftmax x) return x.axis() == ((Expr.LogSoftmax) b).axis();
    if (a instanceof Expr.Layer x) {
      Expr.Layer y = (Expr.Layer) b;
      return x.op() == y.op() && x.ints().equals(y.ints());
    }
    return true; // MatMul, Transpose: no parameters
  }
}
