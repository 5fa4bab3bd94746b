package dev.nnc.codegen;

import dev.nnc.diff.DiffModel;
import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.Shape;
import dev.nnc.prim.Prims;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic the generated {@code forward} and {@code backward} do at given dims, counted node by node over what
 * the {@link Plan} says each computes (forward: every value; backward: what the param gradients reach and forward did
 * not compute), as {@code nnc compile --report} prints it.
 *
 * <p>Per element of a node's result: a product ({@code ·}, convolutions) counts its multiply-adds (m·k·n for
 * [m, k]·[k, n]; output × C·kh·kw for a convolution and both of its adjoints); an elementwise operation, a comparison
 * or a max one elementwise operation; a {@link Prims#transcendental} function (and {@code x^y}) one transcendental;
 * a sum or max over axes one elementwise operation per element summed; softmax one exp per element and three
 * elementwise operations (max, sum, divide); log-sum-exp one exp per element, one log per result and three
 * elementwise operations per element. Broadcasts, transposes, reshapes and leaves cost nothing (index mappings).
 * Recurrences are not counted ({@link #uncounted} says so).
 */
public record OperationCounts(Ops forward, Ops backward, long paramElements, boolean uncounted) {
  /** Counts of one method. */
  public record Ops(long multiplyAdds, long elementwise, long transcendental) {
    /** FLOPs: a multiply-add is two, an elementwise operation or a transcendental one. */
    public long flops() {
      return 2 * multiplyAdds + elementwise + transcendental;
    }

    Ops plus(long m, long e, long t) {
      return new Ops(multiplyAdds + m, elementwise + e, transcendental + t);
    }
  }

  /** FLOPs of {@code step}: {@code p −= lr·dp} is two per param element. */
  public long stepFlops() {
    return 2 * paramElements;
  }

  /** FLOPs of one training step: forward, backward and step. */
  public long trainingStepFlops() {
    return forward.flops() + backward.flops() + stepFlops();
  }

  /** The counts of {@code dm}'s generated class at {@code dims} (every free dim given). */
  public static OperationCounts of(DiffModel dm, Map<String, Integer> dims) {
    Plan p = new Plan(dm, Precision.FLOAT64);
    List<Expr> nodes = p.model.graph().nodes();
    Ops fw = new Ops(0, 0, 0);
    Ops bw = new Ops(0, 0, 0);
    boolean uncounted = false;
    for (int id = 0; id < p.size; id++) {
      if (!p.forward[id] && !p.backward[id]) continue;
      Expr e = nodes.get(id);
      if (e instanceof Expr.Recur || e instanceof Expr.RecurGrad) uncounted = true;
      long[] c = count(e, dims);
      if (p.forward[id]) fw = fw.plus(c[0], c[1], c[2]);
      else bw = bw.plus(c[0], c[1], c[2]);
    }
    long params = 0;
    for (ModelIR.Leaf l : p.model.params()) params += MemoryPlan.elements(l.var().shape(), dims);
    return new OperationCounts(fw, bw, params, uncounted);
  }

  /** {multiply-adds, elementwise, transcendental} of one node. */
  private static long[] count(Expr e, Map<String, Integer> dims) {
    long n = MemoryPlan.elements(e.shape(), dims);
    if (e instanceof Expr.MatMul m) {
      Shape a = m.a().shape();
      return new long[] {n * (a.isScalar() ? 1 : MemoryPlan.elements(Shape.of(a.dim(a.rank() - 1)), dims)), 0, 0};
    }
    if (e instanceof Expr.Unary u) return Prims.transcendental(u.op()) ? new long[] {0, 0, n} : new long[] {0, n, 0};
    if (e instanceof Expr.Binary b) return b.op() == BinaryOp.POW ? new long[] {0, 0, n} : new long[] {0, n, 0};
    if (e instanceof Expr.Custom) return new long[] {0, n, 0};
    if (e instanceof Expr.Reduce r) {
      long in = MemoryPlan.elements(r.x().shape(), dims);
      return r.op() == ReduceOp.LOGSUMEXP ? new long[] {0, 3 * in, in + n} : new long[] {0, in, 0};
    }
    if (e instanceof Expr.Softmax || e instanceof Expr.LogSoftmax) return new long[] {0, 3 * n, n};
    if (e instanceof Expr.Layer l) {
      switch (l.op()) {
        case CONV2D, CONV2D_INPUT, CONV2D_KERNEL -> {
          // output-of-the-convolution-shaped operand × C·kh·kw, the kernel being [F, C, kh, kw]
          Shape kernel = l.op() == dev.nnc.ir.LayerOp.CONV2D_KERNEL ? l.shape() : l.args().get(1).shape();
          Shape grid = l.op() == dev.nnc.ir.LayerOp.CONV2D ? l.shape() : l.args().get(l.op() == dev.nnc.ir.LayerOp.CONV2D_INPUT ? 0 : 1).shape();
          long window = MemoryPlan.elements(kernel, dims) / MemoryPlan.elements(Shape.of(kernel.dim(0)), dims);
          return new long[] {MemoryPlan.elements(grid, dims) * window, 0, 0};
        }
        case MAXPOOL, MAXPOOL_ROUTE, MAXPOOL_PICK, AVGPOOL, AVGPOOL_SPREAD -> {
          long in = MemoryPlan.elements(l.args().get(0).shape(), dims);
          return new long[] {0, Math.max(in, n), 0};
        }
        default -> {
          return new long[] {0, 0, 0}; // reshape, last step: copies
        }
      }
    }
    return new long[] {0, 0, 0}; // leaves, broadcasts, transposes, recurrences (not counted)
  }
}
