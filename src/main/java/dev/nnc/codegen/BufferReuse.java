package dev.nnc.codegen;

import dev.nnc.diff.Tangents;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The memory plan's reuse of private buffers: temporaries (the {@code t17} fields of {@link Plan}) whose lifetimes do
 * not overlap share one array, as a register allocator shares a register (an interval allocation over the planned
 * statement order).
 *
 * <p>A temporary is <em>transient</em> in a method ({@code forward}, {@code backward}, {@code jvp}) when it is written
 * and last read by that method: its lifetime is the interval from the first to the last statement that touches it
 * (its def and its reads, in the order the method writes them). Methods never run at the same time, and a transient
 * temporary holds nothing between calls, so transient temporaries of different methods never conflict; two of the
 * same method conflict when their intervals meet, including at one statement (a statement's output never shares a
 * buffer with what it reads, so product kernels and multi-loop statements stay correct). A temporary forward writes
 * and backward or jvp reads is <em>kept</em>, as is every public field (params, gradients, inputs, values, adjoints,
 * directions and tangents: homes are never candidates): it shares with nothing. Buffers are shared only between
 * temporaries of the same element count (the same dims), so every loop bound and {@code length} stays what it was.
 *
 * <p>Recurrence nodes are left out: their backward loop fills a group of gradients at the first one's statement.
 */
final class BufferReuse {
  private BufferReuse() {}

  /** One candidate buffer: where it is touched in each method ({@code [first, last]} statement index, or null). */
  private static final class Use {
    final String name;
    final String size;
    final int[][] span = new int[Plan.Pass.values().length][];
    boolean kept;

    Use(String name, String size) {
      this.name = name;
      this.size = size;
    }

    void touch(Plan.Pass pass, int at) {
      int[] s = span[pass.ordinal()];
      if (s == null) span[pass.ordinal()] = new int[] {at, at};
      else {
        s[0] = Math.min(s[0], at);
        s[1] = Math.max(s[1], at);
      }
    }
  }

  /**
   * Renames the temporaries of {@code p} (its {@code slotName} and {@code jvpSlotName}) so that those that can share
   * a buffer have one name; the generator declares and allocates each name once.
   * @param orders the statements of forward, backward and jvp (empty without one), in the order they are written
   */
  static void share(Plan p, Map<Plan.Pass, List<Expr>> orders) {
    List<Expr> nodes = p.model.graph().nodes();
    Map<String, Use> uses = new LinkedHashMap<>();
    Map<Long, Set<String>> pointwise = new HashMap<>();
    for (int id = 0; id < p.size; id++) {
      boolean candidate = candidate(p, nodes.get(id));
      boolean jvpCandidate = jvpCandidate(p, id);
      if (!candidate && !jvpCandidate) continue; // most nodes (every scalar): no size key to build
      String size = sizeKey(nodes.get(id).shape());
      if (candidate) uses.putIfAbsent(p.slotName[id], new Use(p.slotName[id], size));
      if (jvpCandidate) uses.putIfAbsent(p.jvpSlotName[id], new Use(p.jvpSlotName[id], size));
    }
    if (uses.isEmpty()) return;
    for (Plan.Pass pass : Plan.Pass.values()) {
      List<Expr> order = orders.getOrDefault(pass, List.of());
      for (int k = 0; k < order.size(); k++) {
        Expr e = order.get(k);
        pointwise.put(at(pass, k), pointwiseReads(p, pass, e));
        touch(uses, pass, k, p.slotName(pass, e.id()));
        int at = k;
        p.forEachSlotRead(e, id -> touch(uses, pass, at, p.slotName(pass, id)));
      }
      // The copies after the last statement: aliased values, param gradients that live elsewhere, tangents.
      List<Expr> copied = new ArrayList<>();
      switch (pass) {
        case FORWARD -> { for (ModelIR.Value v : p.aliasValues()) copied.add(v.node()); }
        case BACKWARD -> { for (ModelIR.Leaf l : p.copiedGradients()) copied.add(p.gradient(l)); }
        case JVP -> { for (Tangents.Root r : p.copiedTangents()) copied.add(r.tangent()); }
      }
      for (Expr g : copied) {
        if (g == null) continue;
        if (p.slot[g.id()]) touch(uses, pass, order.size(), p.slotName(pass, g.id()));
        else p.forEachSlotRead(g, id -> touch(uses, pass, order.size(), p.slotName(pass, id)));
      }
    }
    for (Use u : uses.values()) {
      int[] f = u.span[Plan.Pass.FORWARD.ordinal()];
      u.kept = f != null && (u.span[Plan.Pass.BACKWARD.ordinal()] != null || u.span[Plan.Pass.JVP.ordinal()] != null);
    }
    // Greedy, in field order (deterministic): each temporary takes the first buffer of its size it fits in. A kept
    // temporary gets a buffer of its own, which takes no other, so only transient buffers are searched.
    Map<String, List<Buffer>> buffers = new TreeMap<>();
    Map<String, String> rename = new LinkedHashMap<>();
    for (Use u : uses.values()) {
      String home = u.name;
      if (!u.kept) {
        List<Buffer> same = buffers.computeIfAbsent(u.size, s -> new ArrayList<>());
        Buffer fit = null;
        for (Buffer b : same) {
          if (b.fits(u, pointwise)) {
            fit = b;
            break;
          }
        }
        if (fit == null) same.add(fit = new Buffer(u.name));
        fit.add(u);
        home = fit.name;
      }
      rename.put(u.name, home);
    }
    for (int id = 0; id < p.size; id++) {
      if (p.slotName[id] != null && rename.containsKey(p.slotName[id]) && candidate(p, nodes.get(id))) {
        p.slotName[id] = rename.get(p.slotName[id]);
      }
      if (jvpCandidate(p, id) && rename.containsKey(p.jvpSlotName[id])) {
        p.jvpSlotName[id] = rename.get(p.jvpSlotName[id]);
      }
    }
  }

  /**
   * A shared buffer: the temporaries in it, by their first statement in each method. Their intervals do not overlap,
   * except that one may start at the statement where another ends when that statement reads the other only element
   * by element at the index it writes (it then computes in place, {@link #pointwiseReads}).
   */
  private static final class Buffer {
    final String name;
    @SuppressWarnings("unchecked")
    final TreeMap<Integer, Use>[] spans = new TreeMap[Plan.Pass.values().length];

    Buffer(String name) {
      this.name = name;
      for (int k = 0; k < spans.length; k++) spans[k] = new TreeMap<>();
    }

    /** Whether {@code u} can join: in each method, the nearest interval starting at or before its end is done. */
    boolean fits(Use u, Map<Long, Set<String>> pointwise) {
      for (Plan.Pass pass : Plan.Pass.values()) {
        int[] s = u.span[pass.ordinal()];
        if (s == null) continue;
        Map.Entry<Integer, Use> before = spans[pass.ordinal()].floorEntry(s[1]);
        if (before == null) continue;
        int[] o = before.getValue().span[pass.ordinal()];
        if (o[1] < s[0]) continue;
        boolean inPlace = o[1] == s[0] && o[0] < s[0]
            && pointwise.getOrDefault(at(pass, s[0]), Set.of()).contains(before.getValue().name);
        if (!inPlace) return false;
      }
      return true;
    }

    void add(Use u) {
      for (int k = 0; k < spans.length; k++) if (u.span[k] != null) spans[k].put(u.span[k][0], u);
    }
  }

  private static long at(Plan.Pass pass, int statement) {
    return ((long) pass.ordinal() << 32) | statement;
  }

  /**
   * The buffers statement {@code e} reads only at the element it writes: {@code e} is an elementwise node written as
   * one loop over its own shape (not a product added into its buffer), and each such buffer is reached from it only
   * through elementwise nodes of the same shape (no broadcast, transpose, reduction or call on whole arrays).
   * Writing {@code e} into one of them is then safe: each element is read before it is overwritten, and never after.
   */
  static Set<String> pointwiseReads(Plan p, Plan.Pass pass, Expr e) {
    if (!(e instanceof Expr.Unary || e instanceof Expr.Binary) || e.shape().isScalar()
        || p.fusedProduct[e.id()] != null) {
      return Set.of();
    }
    Map<String, Boolean> aligned = new HashMap<>();
    java.util.ArrayDeque<Expr> stack = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<Boolean> ok = new java.util.ArrayDeque<>();
    for (Expr in : e.inputs()) {
      stack.push(in);
      ok.push(in.shape().equals(e.shape()));
    }
    while (!stack.isEmpty()) {
      Expr x = stack.pop();
      boolean here = ok.pop();
      if (p.slot[x.id()]) {
        aligned.merge(p.slotName(pass, x.id()), here, Boolean::logicalAnd);
        continue;
      }
      boolean through = here && (x instanceof Expr.Unary || x instanceof Expr.Binary) && p.fusedProduct[x.id()] == null;
      for (Expr in : x.inputs()) {
        stack.push(in);
        ok.push(through && in.shape().equals(e.shape()));
      }
    }
    Set<String> out = new java.util.HashSet<>();
    aligned.forEach((name, yes) -> {
      if (yes) out.add(name);
    });
    return out;
  }

  private static void touch(Map<String, Use> uses, Plan.Pass pass, int at, String name) {
    Use u = name == null ? null : uses.get(name);
    if (u != null) u.touch(pass, at);
  }

  /** A private array temporary: a slot field that is no home, leaf, local or recurrence node. */
  private static boolean candidate(Plan p, Expr e) {
    int id = e.id();
    if (!p.needed[id] || !p.slot[id] || e.shape().isScalar() || p.slotName[id] == null) return false;
    return !p.local[id] && !p.isHome(id) && !(e instanceof Expr.Var) && !(e instanceof Expr.Recur)
        && !(e instanceof Expr.RecurGrad) && !(e instanceof Expr.Const) && !(e instanceof Expr.DimSize);
  }

  /** jvp's own buffer of a node whose backward home is a gradient field (an array). */
  private static boolean jvpCandidate(Plan p, int id) {
    return p.jvpSlotName[id] != null && !p.model.graph().nodes().get(id).shape().isScalar();
  }

  /** The element count of a shape, as a key: free dims by name (sorted), times the fixed dims' product. */
  static String sizeKey(Shape s) {
    List<String> free = new ArrayList<>();
    long fixed = 1;
    for (Dim d : s.dims()) {
      if (d.isFree()) free.add(d.name());
      else fixed *= d.size();
    }
    free.sort(null);
    return fixed + "·" + String.join("·", free);
  }
}
