package dev.nnc.codegen;

import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The opening of {@code forward} and {@code predict}: the batch dims' rows read from their source inputs' lengths
 * (see {@link BatchDims}), every array input's length checked against its shape at those rows, and the arguments
 * kept in the input fields: a scalar by value, an array by reference to the caller's array (see docs/codegen.md, "Inputs
 * by reference"; a recurrence's step class copies, {@link Plan#inputsByReference}). A wrong length throws
 * {@code IllegalArgumentException} naming the input and the sizes.
 */
final class InputChecks {
  private InputChecks() {}

  /** The lines for the given inputs (declaration order); batch dims whose source is not among them are reset to capacity. */
  static List<String> lines(Plan p, Bodies bodies, List<ModelIR.Leaf> inputs) {
    return lines(p, bodies, inputs, "");
  }

  /**
   * As {@link #lines(Plan, Bodies, List)}, reading each argument as {@code from + name}: {@code from} is empty for
   * parameters and {@code "inputs."} when the inputs travel in a generated holder (see {@link WideInputs}).
   */
  static List<String> lines(Plan p, Bodies bodies, List<ModelIR.Leaf> inputs, String from) {
    List<String> out = new ArrayList<>();
    for (BatchDims.Batch b : p.batchDims.values()) {
      String capacity = p.dimJava.get(b.dim());
      if (!inputs.contains(b.source())) {
        out.add("this." + b.rows() + " = " + capacity + "; // not read by this method's inputs: the capacity");
        continue;
      }
      String n = from + p.javaName(b.source().name());
      String row = b.otherDims().isEmpty() ? "1" : String.join(" * ", b.otherDims());
      String rowText = b.otherDims().isEmpty() ? "" : " * " + paren(row);
      out.add("if (" + n + ".length == 0 || " + n + ".length % " + paren(row) + " != 0 || " + n + ".length > " + capacity
          + rowText + ") {");
      out.add("  throw new IllegalArgumentException(" + JavaText.string("input " + b.source().spelling()
          + b.source().var().shape() + " needs 1 to ") + " + " + capacity + " + " + JavaText.string(" rows (the capacity of "
          + b.dim() + ")" + (b.otherDims().isEmpty() ? "" : " of ")) + (b.otherDims().isEmpty() ? ""
          : " + " + paren(row) + " + \" values\"") + " + \", got length \" + " + n + ".length);");
      out.add("}");
      out.add("this." + b.rows() + " = " + n + ".length" + (b.otherDims().isEmpty() ? "" : " / " + paren(row)) + ";");
    }
    List<String> copies = new ArrayList<>();
    for (ModelIR.Leaf l : inputs) {
      String field = p.javaName(l.name());
      String n = from + field;
      Shape s = l.var().shape();
      if (s.isScalar()) {
        copies.add("this." + field + " = " + n + ";");
        continue;
      }
      String len = bodies.size(s);
      if (!isSource(p, l)) {
        out.add("if (" + n + ".length != " + len + ") {");
        out.add("  throw new IllegalArgumentException(" + JavaText.string("input " + l.spelling() + s + " needs length ")
            + " + " + paren(len) + " + \", got \" + " + n + ".length);");
        out.add("}");
      }
      copies.add(p.inputsByReference ? "this." + field + " = " + n + ";"
          : "System.arraycopy(" + n + ", 0, this." + field + ", 0, " + len + ");");
    }
    for (ModelIR.Leaf l : inputs) if (l.onehot()) onehotRows(p, bodies, l, out);
    out.addAll(copies);
    return out;
  }

  /**
   * A {@code onehot} input's rows (slices along the last axis): each entry non-negative, each sum within 1e-6 of 1;
   * the message has the interpreter's words ({@code Interpreter.notDistributions}).
   */
  private static void onehotRows(Plan p, Bodies bodies, ModelIR.Leaf l, List<String> out) {
    String n = p.javaName(l.name());
    Shape s = l.var().shape();
    String k = paren(bodies.size(Shape.of(s.dim(s.rank() - 1))));
    String i = bodies.loopVar(0);
    String j = bodies.loopVar(1);
    String sum = bodies.sumVar();
    String what = JavaText.string("input " + l.spelling() + s + " onehot: row ");
    out.add("for (int " + i + " = 0; " + i + " < " + n + ".length; " + i + " += " + k + ") {");
    out.add("  double " + sum + " = 0;");
    out.add("  for (int " + j + " = " + i + "; " + j + " < " + i + " + " + k + "; " + j + "++) {");
    out.add("    if (!(" + n + "[" + j + "] >= 0)) {");
    out.add("      throw new IllegalArgumentException(" + what + " + " + i + " / " + k + " + \" has entry \" + " + n + "["
        + j + "] + \" (not a probability)\");");
    out.add("    }");
    out.add("    " + sum + " += " + n + "[" + j + "];");
    out.add("  }");
    out.add("  if (!(Math.abs(" + sum + " - 1) <= 1e-6)) {");
    out.add("    throw new IllegalArgumentException(" + what + " + " + i + " / " + k + " + \" sums to \" + " + sum
        + " + \", not 1\");");
    out.add("  }");
    out.add("}");
  }

  private static boolean isSource(Plan p, ModelIR.Leaf l) {
    for (BatchDims.Batch b : p.batchDims.values()) if (b.source() == l) return true;
    return false;
  }

  private static String paren(String s) {
    return s.contains(" ") ? "(" + s + ")" : s;
  }
}
