package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.codegen.Api;
import dev.nnc.codegen.JavaGenerator;
import dev.nnc.codegen.MemoryPlan;
import dev.nnc.codegen.OperationCounts;
import dev.nnc.codegen.Precision;
import dev.nnc.diag.Source;
import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.simplify.Simplifier;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code nnc compile --report}: per model, what its generated class computes and keeps at the given dims — operation
 * counts of forward and backward ({@link OperationCounts}), their ratio against the cheap-gradient bound, FLOPs per
 * training step, the bytes of its arrays ({@link MemoryPlan}) and the size of the IR before and after sharing and
 * simplification. Every number comes from the IR and the generator's plan; nothing is read back from generated text.
 */
final class CostReport {
  /**
   * The cheap-gradient bound of reverse mode (Griewank and Walther, Evaluating Derivatives, 2nd ed., 2008, ch. 4):
   * evaluating a function and its gradient costs at most ω times the function alone, ω = 4 for operation counts.
   */
  static final int OMEGA = 4;

  private CostReport() {}

  /** Every number of one model. */
  record Figures(String model, Map<String, Integer> dims, Precision precision, OperationCounts ops,
      Map<MemoryPlan.Kind, Long> bytes, long inputBytes, long treeNodes, int graphNodes, int simplifiedNodes) {
    long bytesKept() {
      long n = 0;
      for (long b : bytes.values()) n += b;
      return n;
    }

    /** Params, gradients and values: what any implementation of training keeps. */
    long minimum() {
      return bytes.getOrDefault(MemoryPlan.Kind.PARAM, 0L) + bytes.getOrDefault(MemoryPlan.Kind.GRADIENT, 0L)
          + bytes.getOrDefault(MemoryPlan.Kind.VALUE, 0L);
    }
  }

  /**
   * The figures of every model of {@code compiled} (a successful compile of {@code source} with this precision and
   * API) at {@code dims} (a size for every free dim of each model).
   */
  static List<Figures> figures(Source source, Result compiled, Map<String, Integer> dims, Precision precision, Api api) {
    // "Before simplification" is differentiated again from a fresh check of the source: differentiating adds nodes to
    // a model's graph, and the compiled model's graph must stay as codegen left it.
    Result fresh = Compiler.compile(source, Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    List<Figures> out = new ArrayList<>();
    for (int i = 0; i < compiled.derivatives().size(); i++) {
      DiffModel dm = compiled.derivatives().get(i);
      ModelIR m = dm.model();
      Map<String, Integer> mine = new LinkedHashMap<>();
      for (ModelIR.DimInfo d : m.dims()) if (d.isFree()) mine.put(d.name(), dims.get(d.name()));
      long inputs = 0;
      for (ModelIR.Leaf l : m.inputs()) {
        if (!l.var().shape().isScalar()) inputs += MemoryPlan.elements(l.var().shape(), mine) * precision.bytes();
      }
      DiffModel raw = Simplifier.differentiateUnsimplified(fresh.models().get(i));
      out.add(new Figures(m.name(), mine, precision, OperationCounts.of(dm, mine),
          JavaGenerator.memoryPlan(dm, precision, api).bytesByKind(mine), inputs, treeNodes(raw), graphNodes(raw),
          graphNodes(dm)));
    }
    return out;
  }

  /** The roots of the IR a class computes: every value and every param gradient. */
  private static List<Expr> roots(DiffModel dm) {
    List<Expr> out = new ArrayList<>();
    for (ModelIR.Value v : dm.model().values()) out.add(v.node());
    for (Adjoint a : dm.adjoints()) if (a.kind() == Adjoint.Kind.PARAM && a.value() != null) out.add(a.value());
    return out;
  }

  /** Distinct nodes the roots reach: the hash-consed graph, where every common subexpression is one node. */
  static int graphNodes(DiffModel dm) {
    BitSet seen = new BitSet();
    java.util.ArrayDeque<Expr> stack = new java.util.ArrayDeque<>(roots(dm));
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (seen.get(e.id())) continue;
      seen.set(e.id());
      stack.addAll(e.inputs());
    }
    return seen.cardinality();
  }

  /** Nodes of the roots written out as expression trees, every use of a shared node counted (saturates at 2⁶²). */
  static long treeNodes(DiffModel dm) {
    List<Expr> nodes = dm.model().graph().nodes();
    long[] size = new long[nodes.size()];
    for (int id = 0; id < nodes.size(); id++) { // ids are a topological order: operands first
      long n = 1;
      for (Expr in : nodes.get(id).inputs()) n = Math.min(1L << 62, n + size[in.id()]);
      size[id] = n;
    }
    long total = 0;
    for (Expr r : roots(dm)) total = Math.min(1L << 62, total + size[r.id()]);
    return total;
  }

  static String render(Figures f) {
    StringBuilder s = new StringBuilder();
    List<String> dims = new ArrayList<>();
    f.dims().forEach((d, n) -> dims.add(d + " = " + n));
    s.append(f.model()).append(" (").append(f.precision().spelling()).append(dims.isEmpty() ? "" : ", ")
        .append(String.join(", ", dims)).append(")\n");
    OperationCounts.Ops fw = f.ops().forward();
    OperationCounts.Ops bw = f.ops().backward();
    s.append(String.format(Locale.ROOT, "  %-30s %15s %15s%n", "operations", "forward", "backward"));
    row(s, "multiply-adds (products)", fw.multiplyAdds(), bw.multiplyAdds());
    row(s, "elementwise", fw.elementwise(), bw.elementwise());
    row(s, "transcendental (exp, log, …)", fw.transcendental(), bw.transcendental());
    row(s, "FLOPs (multiply-add = 2)", fw.flops(), bw.flops());
    if (f.ops().uncounted()) s.append("  (the steps of a recurrence are not counted)\n");
    if (fw.flops() > 0) {
      double ratio = (fw.flops() + bw.flops()) / (double) fw.flops();
      s.append(String.format(Locale.ROOT, "  backward / forward: %.2f; (forward + backward) / forward: %.2f, %s the "
          + "cheap-gradient bound ω = %d%n", bw.flops() / (double) fw.flops(), ratio, ratio <= OMEGA ? "within" : "OVER",
          OMEGA));
    }
    s.append("  FLOPs per training step (forward + backward + step): ").append(number(f.ops().trainingStepFlops()))
        .append('\n');
    s.append("  bytes kept (arrays of the class)\n");
    for (Map.Entry<MemoryPlan.Kind, Long> e : f.bytes().entrySet()) {
      s.append(String.format(Locale.ROOT, "    %-28s %15s%n", e.getKey().text(), number(e.getValue())));
    }
    s.append(String.format(Locale.ROOT, "    %-28s %15s%n", "total", number(f.bytesKept())));
    if (f.minimum() > 0) {
      s.append(String.format(Locale.ROOT, "    %.2f× the minimum (params + gradients + values: %s)%n",
          f.bytesKept() / (double) f.minimum(), number(f.minimum())));
    }
    if (f.inputBytes() > 0) {
      s.append("    inputs: kept by reference, not copied (the caller's arrays: ").append(number(f.inputBytes()))
          .append(")\n");
    }
    s.append("    not counted: the product kernels' row scratch (sized by the constructor from the cores) and the "
        + "optimisers' state\n");
    s.append("  IR nodes: ").append(f.treeNodes() >= 1L << 62 ? "over 2^62" : number(f.treeNodes()))
        .append(" as expression trees, ").append(number(f.graphNodes())).append(" after CSE, ")
        .append(number(f.simplifiedNodes())).append(" after simplification\n");
    return s.toString();
  }

  private static void row(StringBuilder s, String what, long forward, long backward) {
    s.append(String.format(Locale.ROOT, "    %-28s %15s %15s%n", what, number(forward), number(backward)));
  }

  private static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
