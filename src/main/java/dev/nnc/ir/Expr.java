package dev.nnc.ir;

import java.util.List;

/**
 * The IR: an immutable, hash-consed DAG of tensor operations. Every node knows its {@link Shape}. Nodes are
 * created only by a {@link Graph}, which returns the existing node for a structurally equal one, so structural
 * equality is identity ({@code ==}) and {@code equals}/{@code hashCode} are identity/id based (never recursive).
 * Node ids grow in creation order, which is therefore a topological order.
 *
 * <p>Invariants: elementwise {@link Binary} operands have identical shapes (lowering inserts {@link Broadcast});
 * spans are not here (they live on the AST and in {@link ModelIR}).
 */
public sealed interface Expr
    permits Expr.Const, Expr.Var, Expr.DimSize, Expr.Unary, Expr.Binary, Expr.Broadcast, Expr.Reduce,
        Expr.MatMul, Expr.Transpose, Expr.Softmax, Expr.LogSoftmax, Expr.Layer, Expr.Derivative, Expr.Custom,
        Expr.Recur, Expr.RecurGrad {

  int id();

  Shape shape();

  /** Operands, in order. */
  List<Expr> inputs();

  /**
   * How many operands: {@code inputs().size()} without making the list. Passes that walk every node of a long model
   * (the simplifier, the reverse pass) ask for operands millions of times, and each {@link #inputs()} of a unary or
   * binary node is a new list (issue 11).
   */
  default int arity() {
    return inputs().size();
  }

  /** Operand {@code i}: {@code inputs().get(i)} without making the list. */
  default Expr input(int i) {
    return inputs().get(i);
  }

  <R> R accept(Visitor<R> visitor);

  /** Exhaustive by construction: adding a node kind breaks every visitor until it handles it. */
  interface Visitor<R> {
    R visitConst(Const e);

    R visitVar(Var e);

    R visitDimSize(DimSize e);

    R visitUnary(Unary e);

    R visitBinary(Binary e);

    R visitBroadcast(Broadcast e);

    R visitReduce(Reduce e);

    R visitMatMul(MatMul e);

    R visitTranspose(Transpose e);

    R visitSoftmax(Softmax e);

    R visitLogSoftmax(LogSoftmax e);

    R visitLayer(Layer e);

    R visitDerivative(Derivative e);

    R visitCustom(Custom e);

    R visitRecur(Recur e);

    R visitRecurGrad(RecurGrad e);
  }

  /** A tensor of the given shape filled with {@code value} (usually a scalar). */
  record Const(int id, double value, Shape shape) implements Expr {
    public List<Expr> inputs() { return List.of(); }
    public int arity() { return 0; }
    public <R> R accept(Visitor<R> v) { return v.visitConst(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }

  /** An input or a param of the model. */
  record Var(int id, String name, Role role, Shape shape) implements Expr {
    public List<Expr> inputs() { return List.of(); }
    public int arity() { return 0; }
    public <R> R accept(Visitor<R> v) { return v.visitVar(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }

  /** The size of a dim used as a number ({@code L / B}); a scalar. */
  record DimSize(int id, Dim dim) implements Expr {
    public Shape shape() { return Shape.SCALAR; }
    public List<Expr> inputs() { return List.of(); }
    public int arity() { return 0; }
    public <R> R accept(Visitor<R> v) { return v.visitDimSize(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }

  /** An elementwise function; {@code param} is used only by ops that take one (leaky_relu's slope). */
  record Unary(int id, UnaryOp op, Expr x, double param, Shape shape) implements Expr {
    public List<Expr> inputs() { return List.of(x); }
    public int arity() { return 1; }
    public Expr input(int i) { if (i != 0) throw new IndexOutOfBoundsException(i); return x; }
    public <R> R accept(Visitor<R> v) { return v.visitUnary(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }

  /** An elementwise binary operation; {@code a} and {@code b} have the same shape as the result. */
  record Binary(int id, BinaryOp op, Expr a, Expr b, Shape shape) implements Expr {
    public List<Expr> inputs() { return List.of(a, b); }
    public int arity() { return 2; }
    public Expr input(int i) { if (i == 0) return a; if (i == 1) return b; throw new IndexOutOfBoundsException(i); }
    public <R> R accept(Visitor<R> v) { return v.visitBinary(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }

  /**
   * Expands {@code x} to {@code shape}: operand axis {@code i} becomes result axis {@code axisMap.get(i)} (strictly
   * increasing); operand axes of extent 1 repeat; result axes not in the map repeat the operand. NumPy broadcasting
   * is the right-aligned map; the adjoint of a reduction uses other maps.
   */
  record Broadcast(int id, Expr x, List<Integer> axisMap, Shape shape) implements Expr {
    public Broadcast {
      axisMap = List.copyOf(axisMap);
    }
    public List<Expr> inputs() { return List.of(x); }
    public int arity() { return 1; }
    public Expr input(int i) { if (i != 0) throw new IndexOutOfBoundsException(i); return x; }
    public <R> R accept(Visitor<R> v) { return v.visitBroadcast(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }

  /** Reduces {@code x} over {@code axes} (sorted, distinct); the reduced axes are removed from the shape. */
  record Reduce(int id, ReduceOp op, Expr x, List<Integer> axes, Shape shape) implements Expr {
    public Reduce {
      axes = List.copyOf(axes);
    }
    public List<Expr> inputs() { return List.of(x); }
    public int arity() { return 1; }
    public Expr input(int i) { if (i != 0) throw new IndexOutOfBoundsException(i); return x; }
    public <R> R accept(Visitor<R> v) { return v.visitReduce(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }

  /**
   * The linear-algebra product with NumPy {@code @} semantics on ranks 1 and 2: vector·vector → scalar,
   * matrix·vector → vector, vector·matrix → vector, matrix·matrix → matrix.
   */
  record MatMul(int id, Expr a, Expr b, Shape shape) implements Expr {
    public List<Expr> inputs() { return List.of(a, b); }
    public int arity() { return 2; }
    public Expr input(int i) { if (i == 0) return a; if (i == 1) return b; throw new IndexOutOfBoundsException(i); }
    public <R> R accept(Visitor<R> v) { return v.visitMatMul(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }

  /** Reverses the axes (rank 2: swaps them). Lowering drops the transpose of a vector or scalar. */
  record Transpose(int id, Expr x, Shape shape) implements Expr {
    public List<Expr> inputs() { return List.of(x); }
    public int arity() { return 1; }
    public Expr input(int i) { if (i != 0) throw new IndexOutOfBoundsException(i); return x; }
    public <R> R accept(Visitor<R> v) { return v.visitTranspose(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }

  /** softmax along {@code axis}, computed with max subtraction. */
  record Softmax(int id, Expr x, int axis, Shape shape) implements Expr {
    public List<Expr> inputs() { return List.of(x); }
    public int arity() { return 1; }
    public Expr input(int i) { if (i != 0) throw new IndexOutOfBoundsException(i); return x; }
    public <R> R accept(Visitor<R> v) { return v.visitSoftmax(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }

  /** log_softmax along {@code axis}: {@code x − logsumexp(x)}, computed stably. */
  record LogSoftmax(int id, Expr x, int axis, Shape shape) implements Expr {
    public List<Expr> inputs() { return List.of(x); }
    public int arity() { return 1; }
    public Expr input(int i) { if (i != 0) throw new IndexOutOfBoundsException(i); return x; }
    public <R> R accept(Visitor<R> v) { return v.visitLogSoftmax(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }

  /**
   * A structured operation of the registry's layer family ({@link LayerOp}: convolution, pooling, reshape and their
   * adjoints); {@code ints} are its geometry (conv: stride, padding; pools: the window k; reshape: none). Its result
   * shape is part of the node (an adjoint's shape is the operand's it belongs to, which its inputs cannot always tell).
   */
  record Layer(int id, LayerOp op, List<Expr> args, List<Integer> ints, Shape shape) implements Expr {
    public Layer {
      args = List.copyOf(args);
      ints = List.copyOf(ints);
    }
    public List<Expr> inputs() { return args; }
    public int arity() { return args.size(); }
    public Expr input(int i) { return args.get(i); }
    public <R> R accept(Visitor<R> v) { return v.visitLayer(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }

  /**
   * {@code ∂E/∂x} as written in the model (LANGUAGE.md §10): the gradient of the scalar {@code of} with respect to
   * the var {@code wrt}, with {@code wrt}'s shape. Lowering makes it; {@code diff.Derivatives} replaces it by its
   * symbolic derivative (ordinary nodes) before the model's reverse pass, so the stages after {@code diff} — the
   * simplifier, codegen — never meet one. Its operands are {@code of} and {@code wrt}.
   */
  record Derivative(int id, Expr of, Var wrt, Shape shape) implements Expr {
    public List<Expr> inputs() { return List.of(of, wrt); }
    public int arity() { return 2; }
    public Expr input(int i) { if (i == 0) return of; if (i == 1) return wrt; throw new IndexOutOfBoundsException(i); }
    public <R> R accept(Visitor<R> v) { return v.visitDerivative(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }

  /**
   * A call of a model function with derivative rules given by the user (docs/language.md): its value is
   * {@code value} (the body, expanded over the call's arguments); its derivative with respect to argument {@code i}
   * is {@code rules.get(i)}, elementwise (the reverse contribution is {@code dY ⊙ rules.get(i)}, summed to the
   * argument's shape), whatever the body's own derivative is. {@code exact.get(i)} is false for a rule written
   * with {@code ≈} (a straight-through estimator, a clipped gradient): gradient checks do not hold it to central
   * differences. Operands: the arguments, then the value, then the rules.
   */
  record Custom(int id, String function, List<Boolean> exact, List<Expr> args, Expr value, List<Expr> rules,
      Shape shape) implements Expr {
    public Custom {
      exact = List.copyOf(exact);
      args = List.copyOf(args);
      rules = List.copyOf(rules);
    }
    public List<Expr> inputs() {
      List<Expr> all = new java.util.ArrayList<>(args);
      all.add(value);
      all.addAll(rules);
      return all;
    }
    public <R> R accept(Visitor<R> v) { return v.visitCustom(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }

  /**
   * A recurrence run over its steps (docs/language.md): the states h[1] … h[T] stacked along a new axis 0 (shape
   * {@code [T, state…]}; the last state h[T] is {@link LayerOp#LAST_STEP} of it). Operands: the initial state, the sequences,
   * the captured values ({@link Recurrence}). Its step is the separate small model {@code rec.step()}: passes over this
   * graph treat the node as one operation with these operands.
   */
  record Recur(int id, Recurrence rec, Expr init, List<Expr> seqs, List<Expr> captures, Shape shape)
      implements Expr {
    public Recur {
      seqs = List.copyOf(seqs);
      captures = List.copyOf(captures);
    }
    public List<Expr> inputs() {
      List<Expr> all = new java.util.ArrayList<>();
      all.add(init);
      all.addAll(seqs);
      all.addAll(captures);
      return all;
    }
    public <R> R accept(Visitor<R> v) { return v.visitRecur(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }

  /**
   * Backpropagation through time: the adjoint of operand {@code operand} of the recurrence {@code of} (its initial
   * state, a sequence or a captured value, with that operand's shape) given the adjoint {@code seed} of {@code of}'s
   * value. A loop from the last step down to the first in which step t receives ∂L/∂h[t] from step t+1 and runs the
   * reverse pass of {@code of.rec().step()}. Operands: {@code of}, {@code seed}, then {@code of}'s operands (read again
   * by the loop).
   */
  record RecurGrad(int id, Recur of, Expr seed, int operand, Shape shape) implements Expr {
    public List<Expr> inputs() {
      List<Expr> all = new java.util.ArrayList<>();
      all.add(of);
      all.add(seed);
      all.addAll(of.inputs());
      return all;
    }
    public <R> R accept(Visitor<R> v) { return v.visitRecurGrad(this); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return id; }
  }
}
