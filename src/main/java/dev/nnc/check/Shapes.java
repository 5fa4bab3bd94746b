package dev.nnc.check;

import dev.nnc.ir.Dim;
import dev.nnc.ir.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Shape arithmetic of LANGUAGE.md §5: NumPy broadcasting and the product rules, plus how shapes read in messages. */
final class Shapes {
  private Shapes() {}

  /**
   * The NumPy broadcast of two shapes (aligned on the right; each pair of axes equal or one of them 1), or null when
   * they do not broadcast. Two free dims broadcast only when they are the same dim: their sizes are not known.
   */
  static Shape broadcast(Shape a, Shape b) {
    int rank = Math.max(a.rank(), b.rank());
    List<Dim> out = new ArrayList<>(rank);
    for (int i = 0; i < rank; i++) {
      int ia = a.rank() - rank + i;
      int ib = b.rank() - rank + i;
      Dim da = ia >= 0 ? a.dim(ia) : null;
      Dim db = ib >= 0 ? b.dim(ib) : null;
      if (da == null) out.add(db);
      else if (db == null) out.add(da);
      else if (da.sameExtent(db)) out.add(da.name() != null || db.name() == null ? da : db);
      else if (da.isOne()) out.add(db);
      else if (db.isOne()) out.add(da);
      else return null;
    }
    return new Shape(out);
  }

  /** The first right-aligned pair of axes that does not broadcast, as "H and O", for messages. */
  static String clash(Shape a, Shape b) {
    int rank = Math.max(a.rank(), b.rank());
    for (int i = rank - 1; i >= 0; i--) {
      int ia = a.rank() - rank + i;
      int ib = b.rank() - rank + i;
      if (ia < 0 || ib < 0) continue;
      Dim da = a.dim(ia);
      Dim db = b.dim(ib);
      if (!da.sameExtent(db) && !da.isOne() && !db.isOne()) return describe(da) + " and " + describe(db);
    }
    return "";
  }

  static Shape reversed(Shape s) {
    List<Dim> dims = new ArrayList<>(s.dims());
    Collections.reverse(dims);
    return new Shape(dims);
  }

  /** "a scalar" or "[B, H]" (a fixed dim shows its size: "[B, H=50]"). */
  static String describe(Shape s) {
    if (s.isScalar()) return "a scalar";
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < s.rank(); i++) {
      if (i > 0) out.append(", ");
      out.append(describe(s.dim(i)));
    }
    return out.append(']').toString();
  }

  static String describe(Dim d) {
    if (d.name() == null) return Integer.toString(d.size());
    return d.isFree() ? d.name() : d.name() + "=" + d.size();
  }

  /** "scalar", "vector", "matrix" or "rank-3 tensor". */
  static String kind(Shape s) {
    return switch (s.rank()) {
      case 0 -> "scalar";
      case 1 -> "vector";
      case 2 -> "matrix";
      default -> "rank-" + s.rank() + " tensor";
    };
  }
}
