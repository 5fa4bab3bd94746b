package dev.nnc.simplify;

import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.InternKey;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import java.util.ArrayList;
import java.util.List;

/**
 * What makes a node what it is apart from its operands: its kind and parameters. Two nodes with equal specs,
 * the same operands and the same shape are the same node (the graph interns them), so a spec plus operand ids is
 * a lookup key, and a spec plus operand nodes is enough to rebuild a node over new operands.
 */
record NodeSpec(String kind, Object param) {
  static NodeSpec of(Expr e) {
    return e.accept(SPEC);
  }

  private static final Expr.Visitor<NodeSpec> SPEC = new Expr.Visitor<>() {
    public NodeSpec visitConst(Expr.Const c) { return constant(c.value()); }
    public NodeSpec visitVar(Expr.Var v) { return new NodeSpec("var", v.name() + "/" + v.role()); }
    public NodeSpec visitDimSize(Expr.DimSize d) { return new NodeSpec("dim", d.dim()); }
    public NodeSpec visitUnary(Expr.Unary u) { return unary(u.op(), u.param()); }
    public NodeSpec visitBinary(Expr.Binary b) { return binary(b.op()); }
    public NodeSpec visitBroadcast(Expr.Broadcast b) { return new NodeSpec("broadcast", b.axisMap()); }
    public NodeSpec visitReduce(Expr.Reduce r) { return new NodeSpec("reduce", List.of(r.op(), r.axes())); }
    public NodeSpec visitMatMul(Expr.MatMul m) { return new NodeSpec("matmul", ""); }
    public NodeSpec visitTranspose(Expr.Transpose t) { return new NodeSpec("transpose", ""); }
    public NodeSpec visitSoftmax(Expr.Softmax s) { return new NodeSpec("softmax", s.axis()); }
    public NodeSpec visitLogSoftmax(Expr.LogSoftmax s) { return new NodeSpec("logsoftmax", s.axis()); }
    public NodeSpec visitLayer(Expr.Layer l) { return new NodeSpec("layer", List.of(l.op(), l.ints())); }
    public NodeSpec visitDerivative(Expr.Derivative d) { return new NodeSpec("derivative", ""); }
    public NodeSpec visitCustom(Expr.Custom c) {
      return new NodeSpec("custom", List.of(c.function(), c.exact(), c.args().size()));
    }
    public NodeSpec visitRecur(Expr.Recur r) {
      return new NodeSpec("recur", List.of(r.rec(), r.seqs().size()));
    }
    public NodeSpec visitRecurGrad(Expr.RecurGrad r) { return new NodeSpec("recurgrad", r.operand()); }
  };

  static NodeSpec unary(UnaryOp op, double param) {
    if (op == UnaryOp.NEG && Double.doubleToRawLongBits(param) == 0) return NEGATION;
    return new NodeSpec("unary", List.of(op, param));
  }

  static NodeSpec binary(BinaryOp op) {
    return BINARY[op.ordinal()];
  }

  /** The specs of arithmetic, made once (candidates ask for them by the hundred thousand). */
  private static final NodeSpec[] BINARY = new NodeSpec[BinaryOp.values().length];
  private static final NodeSpec NEGATION = new NodeSpec("unary", List.of(UnaryOp.NEG, 0.0));

  static {
    for (BinaryOp op : BinaryOp.values()) BINARY[op.ordinal()] = new NodeSpec("binary", op);
  }

  static NodeSpec constant(double value) {
    return new NodeSpec("const", Double.doubleToRawLongBits(value));
  }

  /** The lookup key of a node with this spec over operands with these ids (node ids, or term ids). */
  static InternKey key(NodeSpec spec, int[] ids, Shape shape) {
    return new InternKey(spec, null, ids, shape);
  }

  static InternKey key(Expr e) {
    return key(of(e), InternKey.ids(e.inputs()), e.shape());
  }

  /** The parameter the graph's interner keys this kind of node on ({@link Graph#find}). */
  Object internParam() {
    return switch (kind) {
      case "matmul", "transpose", "derivative" -> null;
      case "recur" -> ((List<?>) param).get(0);
      default -> param;
    };
  }

  /** Makes (or finds) the node with this spec over {@code inputs}; leaves other than constants are never built. */
  @SuppressWarnings("unchecked")
  Expr build(Graph g, List<Expr> inputs, Shape shape) {
    return switch (kind) {
      case "const" -> g.constant(Double.longBitsToDouble((Long) param), shape);
      case "unary" -> {
        List<Object> p = (List<Object>) param;
        yield g.rawUnary((UnaryOp) p.get(0), inputs.get(0), (Double) p.get(1));
      }
      case "binary" -> g.rawBinary((BinaryOp) param, inputs.get(0), inputs.get(1));
      case "broadcast" -> g.broadcast(inputs.get(0), (List<Integer>) param, shape);
      case "reduce" -> {
        List<Object> p = (List<Object>) param;
        yield g.reduce((ReduceOp) p.get(0), inputs.get(0), (List<Integer>) p.get(1));
      }
      case "matmul" -> g.matmul(inputs.get(0), inputs.get(1));
      case "transpose" -> g.transpose(inputs.get(0));
      case "softmax" -> g.softmax(inputs.get(0), (Integer) param);
      case "logsoftmax" -> g.logSoftmax(inputs.get(0), (Integer) param);
      case "layer" -> {
        List<Object> p = (List<Object>) param;
        yield g.layer((dev.nnc.ir.LayerOp) p.get(0), inputs, (List<Integer>) p.get(1), shape);
      }

      case "derivative" -> g.derivative(inputs.get(0), (Expr.Var) inputs.get(1));
      case "custom" -> {
        List<Object> p = (List<Object>) param;
        int k = (Integer) p.get(2);
        yield g.custom((String) p.get(0), (List<Boolean>) p.get(1), inputs.subList(0, k), inputs.get(k),
            inputs.subList(k + 1, 2 * k + 1));
      }
      case "recur" -> {
        List<Object> p = (List<Object>) param;
        int s = (Integer) p.get(1);
        yield g.recur((dev.nnc.ir.Recurrence) p.get(0), inputs.get(0), inputs.subList(1, 1 + s),
            inputs.subList(1 + s, inputs.size()));
      }
      case "recurgrad" -> g.recurGrad((Expr.Recur) inputs.get(0), inputs.get(1), (Integer) param);
      default -> throw new IllegalStateException("cannot rebuild a " + kind);
    };
  }

  /** {@code e} over new operands (the same node when the operands are the same). */
  static Expr rebuild(Graph g, Expr e, List<Expr> inputs) {
    if (inputs.equals(e.inputs())) return e;
    return of(e).build(g, inputs, e.shape());
  }
}
