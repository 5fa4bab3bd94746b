package dev.nnc.cli;

import dev.nnc.diag.Code;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.Dim;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Numbers;
import dev.nnc.ir.Shape;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Values for {@code nnc eval} and {@code nnc gradcheck}: NAME=VALUE arguments, sizes of free dims, seeded random
 * tensors, and the compact printing of tensors.
 */
final class ModelValues {
  private ModelValues() {}

  /**
   * A bad NAME=VALUE, unknown name, missing value or missing size, or a bad {@code --dim} ({@link DimOption.BadDim})
   * (reported as E0902, exit 1).
   */
  static class BadValue extends Exception {
    private final String detail;

    BadValue(String message) {
      this(message, null);
    }

    /** @param detail lines shown under the message (the argument and a caret), or null */
    BadValue(String message, String detail) {
      super(message);
      this.detail = detail;
    }

    String render(String file) {
      return file + ": error: [" + Code.BAD_VALUE.id() + "] " + getMessage() + (detail == null ? "" : "\n" + detail);
    }
  }

  /** The name as the compiler compares it: NFC, subscript digits as digits ({@code w₁} is {@code w1}). */
  static String normalise(String name) {
    String n = Normalizer.normalize(name, Normalizer.Form.NFC);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      sb.append(c >= '₀' && c <= '₉' ? (char) ('0' + (c - '₀')) : c);
    }
    return sb.toString();
  }

  /**
   * Parses {@code NAME=3}, {@code NAME=-0.5}, {@code NAME=[1, 2, 3]}, {@code NAME=[[1,2],[3,4]]}: the nesting is
   * the shape (checked against the declaration by {@link #checked}).
   */
  static Map<String, ValueLiteral> parse(List<String> assignments) throws BadValue {
    Map<String, ValueLiteral> out = new LinkedHashMap<>();
    for (String a : assignments) {
      int eq = a.indexOf('=');
      if (eq <= 0) throw new BadValue("expected NAME=VALUE, got '" + a + "'");
      String name = normalise(a.substring(0, eq).trim());
      if (out.containsKey(name)) throw new BadValue(name + " is given twice");
      if (a.substring(eq + 1).isBlank()) throw new BadValue("no value for " + name);
      out.put(name, ValueLiteral.parse(a, eq + 1));
    }
    return out;
  }

  static List<ModelIR.Leaf> leaves(ModelIR model) {
    List<ModelIR.Leaf> all = new ArrayList<>(model.inputs());
    all.addAll(model.params());
    return all;
  }

  /**
   * The sizes of the model's free dims: given with --dim (checked by {@link DimOption}), else read off a given tensor whose only unknown axis it
   * is, else {@code fallback} (null: a missing size is an error).
   */
  static Map<String, Integer> dims(ModelIR model, Map<String, Integer> given, Map<String, ValueLiteral> values,
      Integer fallback) throws BadValue {
    Map<String, Integer> sizes = new HashMap<>();
    for (ModelIR.DimInfo d : model.dims()) {
      if (d.isFree() && given.containsKey(d.name())) sizes.put(d.name(), given.get(d.name()));
    }
    for (ModelIR.Leaf leaf : leaves(model)) {
      ValueLiteral v = values.get(leaf.name());
      if (v == null || v.rank() != leaf.var().shape().rank()) continue; // a wrong rank is reported by checked()
      for (int axis = 0; axis < v.rank(); axis++) {
        Dim d = leaf.var().shape().dim(axis);
        if (d.isFree()) sizes.putIfAbsent(d.name(), v.extents()[axis]);
      }
    }
    for (ModelIR.DimInfo d : model.dims()) {
      if (!d.isFree() || sizes.containsKey(d.name())) continue;
      if (fallback == null) throw new BadValue("the free dim " + d.name() + " needs a size: --dim " + d.name() + "=4");
      sizes.put(d.name(), fallback);
    }
    return sizes;
  }

  /** The given value of a leaf, checked against its declared shape (rank and every extent). */
  static double[] checked(ModelIR.Leaf leaf, ValueLiteral v, Interpreter sizes) throws BadValue {
    Shape shape = leaf.var().shape();
    int[] want = sizes.extents(shape);
    if (!java.util.Arrays.equals(want, v.extents())) {
      ValueLiteral expected = new ValueLiteral(new double[0], want);
      throw new BadValue(leaf.spelling() + (shape.isScalar() ? "" : " " + shape) + " is " + expected.describe()
          + ", got " + v.describe());
    }
    if (leaf.onehot()) {
      String bad = Interpreter.notDistributions(leaf, v.data(), want[want.length - 1]);
      if (bad != null) throw new BadValue(bad);
    }
    return v.data();
  }

  /**
   * Seeded random values for {@code leaf}: for a {@code onehot} input, rows that are one-hot (a 1 at a random
   * column) or, with {@code spread}, random distributions; else uniform in [lo, hi].
   */
  static double[] random(ModelIR.Leaf leaf, Interpreter sizer, SplittableRandom random, double lo, double hi,
      boolean spread) {
    Shape shape = leaf.var().shape();
    int n = sizer.size(shape);
    if (!leaf.onehot()) return uniform(random, n, lo, hi);
    int k = sizer.extent(shape.dim(shape.rank() - 1));
    double[] v = new double[n];
    for (int row = 0; row < n / k; row++) {
      if (!spread) {
        v[row * k + random.nextInt(k)] = 1;
        continue;
      }
      double sum = 0;
      for (int j = 0; j < k; j++) sum += v[row * k + j] = random.nextDouble(0.1, 1);
      for (int j = 0; j < k; j++) v[row * k + j] /= sum;
    }
    return v;
  }

  static double[] uniform(SplittableRandom random, int n, double lo, double hi) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = random.nextDouble(lo, hi);
    return v;
  }

  static double[] normal(SplittableRandom random, int n, double mean, double std) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      // Box–Muller: two uniforms per sample keep the stream simple and deterministic
      double u1 = 1 - random.nextDouble();
      double u2 = random.nextDouble();
      v[i] = mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
    return v;
  }

  /** A tensor compactly: {@code [1, 2.5]}, {@code [[1, 2], [3, 4]]}; long axes show 3 … 3. */
  static String format(double[] v, int[] extents, boolean ascii) {
    if (extents.length == 0) return Numbers.format(v[0]);
    StringBuilder sb = new StringBuilder();
    append(sb, v, extents, 0, 0, ascii ? "..." : "…");
    return sb.toString();
  }

  private static void append(StringBuilder sb, double[] v, int[] ext, int axis, int offset, String ellipsis) {
    int stride = 1;
    for (int i = axis + 1; i < ext.length; i++) stride *= ext[i];
    sb.append('[');
    int n = ext[axis];
    for (int i = 0; i < n; i++) {
      if (n > 8 && i == 3) {
        sb.append(", ").append(ellipsis);
        i = n - 4;
        continue;
      }
      if (i > 0) sb.append(", ");
      if (axis == ext.length - 1) sb.append(Numbers.format(v[offset + i]));
      else append(sb, v, ext, axis + 1, offset + i * stride, ellipsis);
    }
    sb.append(']');
  }
}
