package dev.nnc.eval;

import dev.nnc.diff.Derivatives;
import dev.nnc.diff.DiffModel;
import dev.nnc.diff.Differentiator;
import dev.nnc.ir.Recurrence;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Shape;
import dev.nnc.prim.Pieces;
import dev.nnc.prim.Prims;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference semantics of the IR: evaluates nodes over flat row-major {@code double[]} tensors (a scalar is an
 * array of length 1). Everything else (generated Java, gradient checks) is tested against it.
 *
 * <p>Evaluation is iterative: the nodes a request needs (reachable from it and not yet computed) are evaluated in id
 * order, which is a topological order, and remembered, so a 20,000-statement chain or a 1,000-deep nesting needs no
 * deep stack. Binding a value forgets everything computed so far.
 *
 * <p>Elementwise functions, binary operations and reductions compute their registry entries' forward semantics
 * ({@link Prims}): σ, softplus, silu, elu and logsumexp in their overflow-free forms; at the points where relu,
 * abs, max and min have no derivative, STEP, SIGN and GE give the one-sided values (relu'(0) = 0, abs'(0) = 0,
 * ties of max/min go to the first operand). softmax and log_softmax (node kinds of their own) subtract the max.
 */
public final class Interpreter {
  private final Graph graph;
  private final Map<String, Integer> dimSizes;
  private final Map<Expr, double[]> bindings = new HashMap<>();
  private double[][] memo = new double[0][];

  /** @param dimSizes sizes of the free dims by name (fixed dims carry their size in the IR) */
  public Interpreter(Graph graph, Map<String, Integer> dimSizes) {
    this.graph = graph;
    this.dimSizes = Map.copyOf(dimSizes);
  }

  /**
   * An interpreter for a model with every input and param bound by name ({@code values} may hold more names).
   *
   * @throws IllegalArgumentException naming a leaf that has no value or a value of the wrong length
   */
  public static Interpreter forModel(ModelIR model, Map<String, Integer> dimSizes, Map<String, double[]> values) {
    Interpreter in = new Interpreter(model.graph(), dimSizes);
    List<ModelIR.Leaf> leaves = new ArrayList<>(model.inputs());
    leaves.addAll(model.params());
    for (ModelIR.Leaf leaf : leaves) {
      double[] v = values.get(leaf.name());
      if (v == null) throw new IllegalArgumentException("no value for " + leaf.spelling());
      in.bind(leaf.var(), v);
      if (leaf.onehot()) {
        String bad = notDistributions(leaf, v, in.extent(leaf.var().shape().dim(leaf.var().shape().rank() - 1)));
        if (bad != null) throw new IllegalArgumentException(bad);
      }
    }
    return in;
  }

  /**
   * Why {@code v} is not a value of the {@code onehot} input {@code leaf} (a row — a slice along the last axis, of
   * {@code rowLength} entries — with a negative entry or a sum off 1 by more than 1e-6), or null when it is. The
   * generated {@code forward} makes the same check with the same words.
   */
  public static String notDistributions(ModelIR.Leaf leaf, double[] v, int rowLength) {
    String what = "input " + leaf.spelling() + leaf.var().shape() + " onehot: row ";
    for (int row = 0; row * rowLength < v.length; row++) {
      double sum = 0;
      for (int k = row * rowLength; k < (row + 1) * rowLength; k++) {
        if (!(v[k] >= 0)) return what + row + " has entry " + v[k] + " (not a probability)";
        sum += v[k];
      }
      if (!(Math.abs(sum - 1) <= 1e-6)) return what + row + " sums to " + sum + ", not 1";
    }
    return null;
  }

  /** Gives a Var its value (copied); forgets computed values. */
  public Interpreter bind(Expr.Var var, double[] value) {
    int n = size(var.shape());
    if (value.length != n) {
      throw new IllegalArgumentException(var.name() + " has " + n + " element" + (n == 1 ? "" : "s") + " "
          + var.shape() + ", got " + value.length);
    }
    bindings.put(var, value.clone());
    memo = new double[0][];
    return this;
  }

  /** The extent of an axis: its fixed size, or the given size of a free dim. */
  public int extent(Dim d) {
    if (d.size() >= 0) return d.size();
    Integer n = dimSizes.get(d.name());
    if (n == null) throw new IllegalArgumentException("no size given for the free dim " + d.name());
    return n;
  }

  public int[] extents(Shape s) {
    int[] e = new int[s.rank()];
    for (int i = 0; i < e.length; i++) e[i] = extent(s.dim(i));
    return e;
  }

  /** The number of entries; a size no Java array holds (the product is taken in long) is an IllegalArgumentException. */
  public int size(Shape s) {
    long n = 1;
    for (Dim d : s.dims()) {
      n *= extent(d); // each factor < 2³¹ and n ≤ 2³¹ before it: no long overflow
      if (n > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("dims too large: a tensor of shape " + s + " has more entries than a Java"
            + " array holds (" + (Integer.MAX_VALUE - 8) + ")");
      }
    }
    return (int) n;
  }

  /** The value of a node (not to be modified by the caller). */
  public double[] eval(Expr e) {
    evalAll(List.of(e));
    return memo[e.id()];
  }

  public double scalar(Expr e) {
    return eval(e)[0];
  }

  /**
   * Evaluates several nodes, sharing their common subexpressions. A root that reads a {@code ∂E/∂x} (as lowering
   * makes it) is evaluated through its expansion by the plain reverse pass ({@link Derivatives#expandPlain}): the
   * semantics of {@code ∂} is the gradient, whatever the simplifier later makes of it.
   */
  public void evalAll(Collection<Expr> roots) {
    if (!graph.hasDerivatives() || !Graph.hasDerivative(roots)) {
      evalPlain(roots);
      return;
    }
    Map<Expr, Expr> expanded = new HashMap<>();
    for (Expr r : roots) {
      if ((r.id() >= memo.length || memo[r.id()] == null) && Graph.hasDerivative(List.of(r))) {
        expanded.put(r, Derivatives.expandPlain(graph, r));
      }
    }
    if (!expanded.isEmpty()) {
      List<Expr> plain = new ArrayList<>();
      for (Expr r : roots) plain.add(expanded.getOrDefault(r, r));
      evalPlain(plain);
      for (Map.Entry<Expr, Expr> e : expanded.entrySet()) memo[e.getKey().id()] = memo[e.getValue().id()];
      return;
    }
    evalPlain(roots);
  }

  private void evalPlain(Collection<Expr> roots) {
    if (memo.length < graph.size()) memo = Arrays.copyOf(memo, graph.size());
    List<Expr> todo = new ArrayList<>();
    Deque<Expr> stack = new ArrayDeque<>();
    boolean[] queued = new boolean[graph.size()];
    for (Expr r : roots) {
      if (memo[r.id()] == null && !queued[r.id()]) {
        queued[r.id()] = true;
        stack.push(r);
      }
    }
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      todo.add(e);
      for (Expr in : e.inputs()) {
        if (memo[in.id()] == null && !queued[in.id()]) {
          queued[in.id()] = true;
          stack.push(in);
        }
      }
    }
    todo.sort((a, b) -> Integer.compare(a.id(), b.id()));
    Kernels kernels = new Kernels();
    for (Expr e : todo) memo[e.id()] = e.accept(kernels);
  }

  private double[] value(Expr e) {
    return memo[e.id()];
  }

  /** The reverse pass of a recurrence's step model (one per recurrence for this interpreter). */
  private final Map<Recurrence, DiffModel> stepDiffs = new HashMap<>();

  private DiffModel stepDiff(Recurrence rec) {
    return stepDiffs.computeIfAbsent(rec, r -> Differentiator.differentiate(r.step()));
  }

  /** Row-major strides of a shape's extents. */
  static int[] strides(int[] extents) {
    int[] s = new int[extents.length];
    int acc = 1;
    for (int i = extents.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= extents[i];
    }
    return s;
  }

  /** For every position (row-major) of a tensor with {@code extents}: Σ index_k · strides_k. */
  static int[] mappedIndex(int[] extents, int[] strides) {
    int n = 1;
    for (int x : extents) n *= x;
    int[] out = new int[n];
    int[] idx = new int[extents.length];
    int offset = 0;
    for (int p = 0; p < n; p++) {
      out[p] = offset;
      for (int k = extents.length - 1; k >= 0; k--) {
        idx[k]++;
        offset += strides[k];
        if (idx[k] < extents[k]) break;
        offset -= strides[k] * idx[k];
        idx[k] = 0;
      }
    }
    return out;
  }

  private final class Kernels implements Expr.Visitor<double[]> {
    @Override
    public double[] visitConst(Expr.Const e) {
      double[] out = new double[size(e.shape())];
      Arrays.fill(out, e.value());
      return out;
    }

    @Override
    public double[] visitVar(Expr.Var e) {
      double[] v = bindings.get(e);
      if (v == null) throw new IllegalArgumentException("no value for " + e.name());
      return v;
    }

    @Override
    public double[] visitDimSize(Expr.DimSize e) {
      return new double[] {extent(e.dim())};
    }

    @Override
    public double[] visitUnary(Expr.Unary e) {
      double[] x = value(e.x());
      double[] out = new double[x.length];
      Pieces.UnaryForward f = Prims.of(e.op()).forward();
      double p = e.param();
      for (int i = 0; i < x.length; i++) out[i] = f.apply(x[i], p);
      return out;
    }

    @Override
    public double[] visitBinary(Expr.Binary e) {
      double[] a = value(e.a());
      double[] b = value(e.b());
      double[] out = new double[a.length];
      Pieces.BinaryForward f = Prims.of(e.op()).forward();
      for (int i = 0; i < a.length; i++) out[i] = f.apply(a[i], b[i]);
      return out;
    }

    @Override
    public double[] visitBroadcast(Expr.Broadcast e) {
      double[] x = value(e.x());
      int[] xe = extents(e.x().shape());
      int[] xs = strides(xe);
      int[] re = extents(e.shape());
      int[] st = new int[re.length];
      for (int i = 0; i < xe.length; i++) {
        if (xe[i] != 1) st[e.axisMap().get(i)] = xs[i];
      }
      int[] map = mappedIndex(re, st);
      double[] out = new double[map.length];
      for (int p = 0; p < map.length; p++) out[p] = x[map[p]];
      return out;
    }

    @Override
    public double[] visitReduce(Expr.Reduce e) {
      double[] x = value(e.x());
      int[] xe = extents(e.x().shape());
      int[] oe = extents(e.shape());
      int[] os = strides(oe);
      int[] st = new int[xe.length];
      int k = 0;
      for (int i = 0; i < xe.length; i++) {
        if (!e.axes().contains(i)) st[i] = os[k++];
      }
      int[] map = mappedIndex(xe, st);
      int n = size(e.shape());
      double[] out = new double[n];
      Prims.of(e.op()).forward().apply(x, map, out);
      return out;
    }

    @Override
    public double[] visitMatMul(Expr.MatMul e) {
      double[] a = value(e.a());
      double[] b = value(e.b());
      int[] ae = extents(e.a().shape());
      int[] be = extents(e.b().shape());
      if (ae.length == 1 && be.length == 1) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return new double[] {s};
      }
      int n = ae.length == 2 ? ae[0] : 1; // rows of the left operand (a vector is one row)
      int k = ae.length == 2 ? ae[1] : ae[0];
      int m = be.length == 2 ? be[1] : 1; // columns of the right operand (a vector is one column)
      double[] out = new double[n * m];
      for (int i = 0; i < n; i++) {
        for (int l = 0; l < k; l++) {
          double ail = a[i * k + l];
          for (int j = 0; j < m; j++) out[i * m + j] += ail * b[l * m + j];
        }
      }
      return out;
    }

    @Override
    public double[] visitTranspose(Expr.Transpose e) {
      double[] x = value(e.x());
      int[] xe = extents(e.x().shape());
      int[] xs = strides(xe);
      int r = xe.length;
      int[] re = new int[r];
      int[] st = new int[r];
      for (int i = 0; i < r; i++) {
        re[i] = xe[r - 1 - i];
        st[i] = xs[r - 1 - i];
      }
      int[] map = mappedIndex(re, st);
      double[] out = new double[map.length];
      for (int p = 0; p < map.length; p++) out[p] = x[map[p]];
      return out;
    }

    @Override
    public double[] visitSoftmax(Expr.Softmax e) {
      return alongAxis(value(e.x()), extents(e.shape()), e.axis(), false);
    }

    @Override
    public double[] visitLogSoftmax(Expr.LogSoftmax e) {
      return alongAxis(value(e.x()), extents(e.shape()), e.axis(), true);
    }

    @Override
    public double[] visitLayer(Expr.Layer e) {
      List<double[]> args = new ArrayList<>();
      List<int[]> ext = new ArrayList<>();
      for (Expr a : e.args()) {
        args.add(value(a));
        ext.add(extents(a.shape()));
      }
      return Prims.of(e.op()).forward().apply(args, ext, e.ints(), extents(e.shape()));
    }

    public double[] visitCustom(Expr.Custom e) {
      return value(e.value());
    }

    @Override
    public double[] visitDerivative(Expr.Derivative e) {
      throw new IllegalStateException("a ∂ node is evaluated through its expansion (evalAll)");
    }

    /** The recurrence, step after step: h[t] = step(h[t−1], X[t], captures), t = 1 … T (a loop, not recursion). */
    @Override
    public double[] visitRecur(Expr.Recur e) {
      double[][] states = states(e);
      int steps = states.length - 1;
      int s = states[0].length;
      double[] all = new double[steps * s];
      for (int t = 0; t < steps; t++) System.arraycopy(states[t + 1], 0, all, t * s, s);
      return all;
    }

    /**
     * Backpropagation through time for one operand of a recurrence: from the last step down, step t's adjoint
     * ∂L/∂h[t] is the seed's part at t plus what step t+1 passed back; the step model's reverse pass (its gradients of
     * Σ h[t] ⊙ seed) gives what step t passes to t−1, its sequences' slices and the captured values (summed).
     */
    @Override
    public double[] visitRecurGrad(Expr.RecurGrad e) {
      Expr.Recur of = e.of();
      Recurrence rec = of.rec();
      double[][] states = states(of);
      int steps = states.length - 1;
      int s = states[0].length;
      DiffModel dm = stepDiff(rec);
      Interpreter step = stepInterpreter(of);
      Expr dPrev = dm.adjoint(rec.state().name()).value();
      Expr dOperand = dm.adjoint(rec.placeholder(e.operand()).name()).value();
      double[] seed = value(e.seed());
      double[] out = new double[size(e.shape())];
      double[] carry = new double[s];
      int slices = rec.slices().size();
      for (int t = steps - 1; t >= 0; t--) {
        double[] g = carry.clone();
        for (int i = 0; i < s; i++) g[i] += seed[t * s + i];
        step.bind(rec.state(), states[t]);
        bindSlices(step, of, t);
        step.bind(rec.seed(), g);
        double[] part = e.operand() == 0 ? null : step.eval(dOperand);
        if (e.operand() > slices) {
          for (int i = 0; i < out.length; i++) out[i] += part[i];
        } else if (e.operand() > 0) {
          System.arraycopy(part, 0, out, t * part.length, part.length);
        }
        carry = step.eval(dPrev).clone();
      }
      if (e.operand() == 0) System.arraycopy(carry, 0, out, 0, s);
      return out;
    }

    /** h[0] … h[T] of a recurrence. */
    private double[][] states(Expr.Recur e) {
      Recurrence rec = e.rec();
      int steps = extent(rec.steps());
      double[][] states = new double[steps + 1][];
      states[0] = value(e.init()).clone();
      Interpreter step = stepInterpreter(e);
      step.bind(rec.seed(), new double[size(rec.stateShape())]);
      for (int t = 0; t < steps; t++) {
        step.bind(rec.state(), states[t]);
        bindSlices(step, e, t);
        states[t + 1] = step.eval(rec.body()).clone();
      }
      return states;
    }

    private Interpreter stepInterpreter(Expr.Recur e) {
      Recurrence rec = e.rec();
      Interpreter step = new Interpreter(rec.step().graph(), dimSizes);
      for (int j = 0; j < rec.captures().size(); j++) step.bind(rec.captures().get(j), value(e.captures().get(j)));
      return step;
    }

    private void bindSlices(Interpreter step, Expr.Recur e, int t) {
      Recurrence rec = e.rec();
      for (int k = 0; k < rec.slices().size(); k++) {
        Expr.Var slice = rec.slices().get(k);
        int n = size(slice.shape());
        step.bind(slice, Arrays.copyOfRange(value(e.seqs().get(k)), t * n, (t + 1) * n));
      }
    }

    /** softmax (or log_softmax) of every line along {@code axis}, with max subtraction. */
    private double[] alongAxis(double[] x, int[] ext, int axis, boolean log) {
      int outer = 1;
      for (int i = 0; i < axis; i++) outer *= ext[i];
      int n = ext[axis];
      int inner = 1;
      for (int i = axis + 1; i < ext.length; i++) inner *= ext[i];
      double[] out = new double[x.length];
      for (int o = 0; o < outer; o++) {
        for (int in = 0; in < inner; in++) {
          int base = o * n * inner + in;
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < n; j++) max = Math.max(max, x[base + j * inner]);
          double sum = 0;
          for (int j = 0; j < n; j++) sum += Math.exp(x[base + j * inner] - max);
          double logSum = Math.log(sum);
          for (int j = 0; j < n; j++) {
            double shifted = x[base + j * inner] - max;
            out[base + j * inner] = log ? shifted - logSum : Math.exp(shifted) / sum;
          }
        }
      }
      return out;
    }
  }
}
