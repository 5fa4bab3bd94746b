package dev.nnc.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The interner: the only way to make {@link Expr} nodes. Asking for a node that already exists (same kind,
 * parameters, operands and shape) returns the existing one, so common subexpressions are one node and
 * "is this the same subexpression" is {@code ==}. Ids are dense and in creation order (a topological order).
 *
 * <p>The smart constructors ({@link #add}, {@link #mul}, …) fold only the trivial: {@code 0·x}, {@code 1·x},
 * {@code x+0}, {@code x−0}, {@code x/1}, {@code x^1}, {@code −(−x)}, and operations on two scalar constants.
 * Real simplification is its own pass. The {@code raw*} constructors never fold.
 */
public final class Graph {
  private final InternTable<Expr> table = new InternTable<>();
  private final List<Expr> nodes = new ArrayList<>();
  private boolean hasDerivatives;

  /** Every node ever made, in creation (topological) order. */
  public List<Expr> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  public int size() {
    return nodes.size();
  }

  public Expr node(int id) {
    return nodes.get(id);
  }

  /**
   * The node with this kind, parameter (as this graph keys them: the {@code kind}/{@code param} its constructors pass
   * to the interner), operand ids and shape, or null when the graph has none. Lets a pass that weighs candidates
   * before building them (the simplifier's terms) ask the interner itself instead of keeping a second index of every
   * node (issue 11).
   */
  public Expr find(String kind, Object param, int[] inputIds, Shape shape) {
    return table.get(new InternKey(kind, param, inputIds, shape));
  }

  private interface Maker {
    Expr make(int id);
  }

  private Expr intern(String kind, Object param, List<Expr> inputs, Shape shape, Maker maker) {
    InternKey key = new InternKey(kind, param, InternKey.ids(inputs), shape);
    Expr found = table.get(key);
    if (found != null) return found;
    return add(key, maker.make(nodes.size()));
  }

  private Expr add(InternKey key, Expr made) {
    nodes.add(made);
    table.put(key, made);
    return made;
  }

  // ---- leaves ------------------------------------------------------------------------------------

  public Expr.Const constant(double value, Shape shape) {
    // Key on the bit pattern so that 0.0 and -0.0 (and NaNs) stay distinct.
    return (Expr.Const) intern("const", Double.doubleToRawLongBits(value), List.of(), shape,
        id -> new Expr.Const(id, value, shape));
  }

  public Expr.Const constant(double value) {
    return constant(value, Shape.SCALAR);
  }

  public Expr.Var var(String name, Role role, Shape shape) {
    return (Expr.Var) intern("var", name + "/" + role, List.of(), shape, id -> new Expr.Var(id, name, role, shape));
  }

  public Expr.DimSize dimSize(Dim dim) {
    return (Expr.DimSize) intern("dim", dim, List.of(), Shape.SCALAR, id -> new Expr.DimSize(id, dim));
  }

  // ---- raw constructors (intern, check, never fold) ----------------------------------------------

  public Expr rawUnary(UnaryOp op, Expr x, double param) {
    // the most frequent kinds, unary and binary, without the generic path's operand list and maker (issue 11)
    Shape shape = x.shape();
    InternKey key = new InternKey("unary", List.of(op, param), new int[] {x.id()}, shape);
    Expr found = table.get(key);
    return found != null ? found : add(key, new Expr.Unary(nodes.size(), op, x, param, shape));
  }

  public Expr rawBinary(BinaryOp op, Expr a, Expr b) {
    Shape shape = a.shape();
    if (shape != b.shape() && !shape.equals(b.shape())) {
      throw new IllegalArgumentException("elementwise " + op + " on " + a.shape() + " and " + b.shape()
          + ": broadcast first");
    }
    InternKey key = new InternKey("binary", op, new int[] {a.id(), b.id()}, shape);
    Expr found = table.get(key);
    return found != null ? found : add(key, new Expr.Binary(nodes.size(), op, a, b, shape));
  }

  public Expr broadcast(Expr x, List<Integer> axisMap, Shape shape) {
    Objects.requireNonNull(shape);
    if (axisMap.size() != x.shape().rank()) throw new IllegalArgumentException("axis map " + axisMap + " for " + x.shape());
    if (x.shape().equals(shape)) return x;
    return intern("broadcast", List.copyOf(axisMap), List.of(x), shape,
        id -> new Expr.Broadcast(id, x, axisMap, shape));
  }

  /** NumPy broadcasting: operand axes aligned to the right of {@code shape}. */
  public Expr broadcast(Expr x, Shape shape) {
    int offset = shape.rank() - x.shape().rank();
    List<Integer> map = new ArrayList<>();
    for (int i = 0; i < x.shape().rank(); i++) map.add(offset + i);
    return broadcast(x, map, shape);
  }

  public Expr reduce(ReduceOp op, Expr x, List<Integer> axes) {
    if (axes.isEmpty()) return x;
    List<Dim> kept = new ArrayList<>();
    for (int i = 0; i < x.shape().rank(); i++) if (!axes.contains(i)) kept.add(x.shape().dim(i));
    Shape shape = new Shape(kept);
    List<Integer> sorted = new ArrayList<>(axes);
    Collections.sort(sorted);
    return intern("reduce", List.of(op, sorted), List.of(x), shape, id -> new Expr.Reduce(id, op, x, sorted, shape));
  }

  /** Reduces over every axis to a scalar. */
  public Expr reduceAll(ReduceOp op, Expr x) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < x.shape().rank(); i++) all.add(i);
    return reduce(op, x, all);
  }

  public Expr matmul(Expr a, Expr b) {
    Shape sa = a.shape();
    Shape sb = b.shape();
    Shape shape;
    if (sa.rank() == 1 && sb.rank() == 1) shape = Shape.SCALAR;
    else if (sa.rank() == 2 && sb.rank() == 1) shape = Shape.of(sa.dim(0));
    else if (sa.rank() == 1 && sb.rank() == 2) shape = Shape.of(sb.dim(1));
    else if (sa.rank() == 2 && sb.rank() == 2) shape = Shape.of(sa.dim(0), sb.dim(1));
    else throw new IllegalArgumentException("matmul of " + sa + " and " + sb);
    return intern("matmul", null, List.of(a, b), shape, id -> new Expr.MatMul(id, a, b, shape));
  }

  public Expr transpose(Expr x) {
    if (x.shape().rank() < 2) return x;
    if (x instanceof Expr.Transpose t) return t.x();
    List<Dim> reversed = new ArrayList<>(x.shape().dims());
    Collections.reverse(reversed);
    Shape shape = new Shape(reversed);
    return intern("transpose", null, List.of(x), shape, id -> new Expr.Transpose(id, x, shape));
  }

  public Expr softmax(Expr x, int axis) {
    return intern("softmax", axis, List.of(x), x.shape(), id -> new Expr.Softmax(id, x, axis, x.shape()));
  }

  public Expr logSoftmax(Expr x, int axis) {
    return intern("logsoftmax", axis, List.of(x), x.shape(), id -> new Expr.LogSoftmax(id, x, axis, x.shape()));
  }

  /**
   * A node of the layer family; a reshape to the operand's own shape is the operand, and a reshape of a reshape
   * reshapes the original (row-major order is kept by both).
   */
  public Expr layer(LayerOp op, List<Expr> args, List<Integer> ints, Shape shape) {
    Objects.requireNonNull(shape);
    if (op == LayerOp.RESHAPE) {
      Expr x = args.get(0);
      if (x instanceof Expr.Layer l && l.op() == LayerOp.RESHAPE) x = l.args().get(0);
      if (x.shape().equals(shape)) return x;
      Expr from = x;
      return intern("layer", List.of(op, List.of()), List.of(from), shape,
          id -> new Expr.Layer(id, op, List.of(from), List.of(), shape));
    }
    return intern("layer", List.of(op, List.copyOf(ints)), args, shape, id -> new Expr.Layer(id, op, args, ints, shape));
  }

  /** {@code ∂of/∂wrt} (of a scalar): a node that {@code diff.Derivatives} expands; shaped like {@code wrt}. */
  public Expr derivative(Expr of, Expr.Var wrt) {
    if (!of.shape().isScalar()) throw new IllegalArgumentException("∂ of a non-scalar " + of.shape());
    hasDerivatives = true;
    return intern("derivative", null, List.of(of, wrt), wrt.shape(),
        id -> new Expr.Derivative(id, of, wrt, wrt.shape()));
  }

  /** A call with user-given derivative rules ({@link Expr.Custom}); one rule per argument, each broadcastable to the value. */
  public Expr custom(String function, List<Boolean> exact, List<Expr> args, Expr value, List<Expr> rules) {
    if (args.size() != rules.size()) throw new IllegalArgumentException(args.size() + " arguments, " + rules.size() + " rules");
    List<Expr> inputs = new ArrayList<>(args);
    inputs.add(value);
    inputs.addAll(rules);
    return intern("custom", List.of(function, List.copyOf(exact), args.size()), inputs, value.shape(),
        id -> new Expr.Custom(id, function, exact, args, value, rules, value.shape()));
  }

  /** The recurrence {@code rec} run over its steps from {@code init}: all states h[1] … h[T] ({@code [T, state…]}). */
  public Expr.Recur recur(Recurrence rec, Expr init, List<Expr> seqs, List<Expr> captures) {
    if (!init.shape().equals(rec.stateShape()) && !init.shape().sameAs(rec.stateShape())) {
      throw new IllegalArgumentException("initial state " + init.shape() + " for a state " + rec.stateShape());
    }
    List<Dim> dims = new ArrayList<>();
    dims.add(rec.steps());
    dims.addAll(rec.stateShape().dims());
    Shape shape = new Shape(dims);
    List<Expr> inputs = new ArrayList<>();
    inputs.add(init);
    inputs.addAll(seqs);
    inputs.addAll(captures);
    return (Expr.Recur) intern("recur", rec, inputs, shape,
        id -> new Expr.Recur(id, rec, init, seqs, captures, shape));
  }

  /** Backpropagation through time: the adjoint of operand {@code operand} of {@code of} for the adjoint {@code seed}. */
  public Expr recurGrad(Expr.Recur of, Expr seed, int operand) {
    Shape shape = of.inputs().get(operand).shape();
    List<Expr> inputs = new ArrayList<>();
    inputs.add(of);
    inputs.add(seed);
    inputs.addAll(of.inputs());
    return intern("recurgrad", operand, inputs, shape, id -> new Expr.RecurGrad(id, of, seed, operand, shape));
  }

  /** Whether this graph holds any {@link Expr.Derivative} node (most never do: a constant-time test). */
  public boolean hasDerivatives() {
    return hasDerivatives;
  }

  /** Whether a root or a node they read is a {@link Expr.Derivative} (iterative, visits each node once). */
  public static boolean hasDerivative(java.util.Collection<Expr> roots) {
    java.util.BitSet seen = new java.util.BitSet();
    java.util.ArrayDeque<Expr> stack = new java.util.ArrayDeque<>(roots);
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (seen.get(e.id())) continue;
      seen.set(e.id());
      if (e instanceof Expr.Derivative) return true;
      for (int k = 0; k < e.arity(); k++) stack.push(e.input(k));
    }
    return false;
  }

  // ---- smart constructors: trivial folds only -----------------------------------------------------

  public static boolean isConst(Expr e, double v) {
    return e instanceof Expr.Const c && c.value() == v;
  }

  private static boolean isScalarConst(Expr e) {
    return e instanceof Expr.Const c && c.shape().isScalar();
  }

  public Expr unary(UnaryOp op, Expr x) {
    return unary(op, x, 0);
  }

  public Expr unary(UnaryOp op, Expr x, double param) {
    if (op == UnaryOp.NEG && x instanceof Expr.Unary u && u.op() == UnaryOp.NEG) return u.x();
    if (op == UnaryOp.NEG && x instanceof Expr.Const c) return constant(-c.value(), c.shape());
    return rawUnary(op, x, param);
  }

  public Expr neg(Expr x) {
    return unary(UnaryOp.NEG, x);
  }

  public Expr add(Expr a, Expr b) {
    if (isConst(a, 0)) return b;
    if (isConst(b, 0)) return a;
    if (isScalarConst(a) && isScalarConst(b)) return constant(((Expr.Const) a).value() + ((Expr.Const) b).value());
    return rawBinary(BinaryOp.ADD, a, b);
  }

  public Expr sub(Expr a, Expr b) {
    if (isConst(b, 0)) return a;
    if (isConst(a, 0)) return neg(b);
    if (isScalarConst(a) && isScalarConst(b)) return constant(((Expr.Const) a).value() - ((Expr.Const) b).value());
    return rawBinary(BinaryOp.SUB, a, b);
  }

  public Expr mul(Expr a, Expr b) {
    if (isConst(a, 0)) return a;
    if (isConst(b, 0)) return b;
    if (isConst(a, 1)) return b;
    if (isConst(b, 1)) return a;
    if (isScalarConst(a) && isScalarConst(b)) return constant(((Expr.Const) a).value() * ((Expr.Const) b).value());
    return rawBinary(BinaryOp.MUL, a, b);
  }

  public Expr div(Expr a, Expr b) {
    if (isConst(b, 1)) return a;
    if (isConst(a, 0)) return a;
    return rawBinary(BinaryOp.DIV, a, b);
  }

  public Expr pow(Expr a, Expr b) {
    if (isConst(b, 1)) return a;
    return rawBinary(BinaryOp.POW, a, b);
  }

  /** The smart constructor of {@code op} where it has one (arithmetic folds), else the raw node. */
  public Expr binary(BinaryOp op, Expr a, Expr b) {
    if (op == BinaryOp.ADD) return add(a, b);
    if (op == BinaryOp.SUB) return sub(a, b);
    if (op == BinaryOp.MUL) return mul(a, b);
    if (op == BinaryOp.DIV) return div(a, b);
    if (op == BinaryOp.POW) return pow(a, b);
    return rawBinary(op, a, b);
  }
}
