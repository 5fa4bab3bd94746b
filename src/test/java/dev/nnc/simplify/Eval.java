package dev.nnc.simplify;

import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small test interpreter (flat row-major arrays): elementwise ops, broadcasts, full and axis sums, vector and
 * matrix products. Evaluates every node up to the highest requested id in id order (iterative).
 */
final class Eval {
  private final Map<String, double[]> vars;
  private final Map<String, Integer> dims;
  private final Map<Integer, double[]> values = new HashMap<>();

  Eval(Map<String, double[]> vars, Map<String, Integer> dims) {
    this.vars = vars;
    this.dims = dims;
  }

  double scalar(dev.nnc.ir.Graph g, Expr e) {
    return of(g, e)[0];
  }

  double[] of(dev.nnc.ir.Graph g, Expr e) {
    for (int id = 0; id <= e.id(); id++) if (!values.containsKey(id)) values.put(id, compute(g.node(id)));
    return values.get(e.id());
  }

  int size(Shape s) {
    int n = 1;
    for (Dim d : s.dims()) n *= d.isFree() ? dims.get(d.name()) : d.size();
    return n;
  }

  private int extent(Dim d) {
    return d.isFree() ? dims.get(d.name()) : d.size();
  }

  private double[] compute(Expr e) {
    for (Expr in : e.inputs()) if (values.get(in.id()) == null) return null;
    int n = size(e.shape());
    double[] out = new double[n];
    if (e instanceof Expr.Const c) {
      java.util.Arrays.fill(out, c.value());
    } else if (e instanceof Expr.Var v) {
      double[] val = vars.get(v.name());
      if (val == null) return null; // not needed
      System.arraycopy(val, 0, out, 0, n);
    } else if (e instanceof Expr.DimSize d) {
      out[0] = extent(d.dim());
    } else if (e instanceof Expr.Unary u) {
      double[] x = values.get(u.x().id());
      for (int i = 0; i < n; i++) out[i] = unary(u, x[i]);
    } else if (e instanceof Expr.Binary b) {
      double[] x = values.get(b.a().id());
      double[] y = values.get(b.b().id());
      for (int i = 0; i < n; i++) out[i] = binary(b, x[i], y[i]);
    } else if (e instanceof Expr.Broadcast b) {
      double[] x = values.get(b.x().id());
      if (x.length != 1) throw new UnsupportedOperationException("only scalar broadcasts in the test evaluator");
      java.util.Arrays.fill(out, x[0]);
    } else if (e instanceof Expr.Reduce r) {
      double[] x = values.get(r.x().id());
      if (r.shape().rank() != 0) throw new UnsupportedOperationException("only full sums in the test evaluator");
      double s = 0;
      for (double v : x) s += v;
      out[0] = s;
    } else if (e instanceof Expr.MatMul m) {
      double[] a = values.get(m.a().id());
      double[] b = values.get(m.b().id());
      List<Dim> da = m.a().shape().dims();
      List<Dim> db = m.b().shape().dims();
      if (da.size() == 1 && db.size() == 1) {
        for (int i = 0; i < a.length; i++) out[0] += a[i] * b[i];
      } else if (da.size() == 1 && db.size() == 2) {
        int k = extent(db.get(0));
        int c = extent(db.get(1));
        for (int i = 0; i < k; i++) for (int j = 0; j < c; j++) out[j] += a[i] * b[i * c + j];
      } else if (da.size() == 2 && db.size() == 1) {
        int r = extent(da.get(0));
        int k = extent(da.get(1));
        for (int i = 0; i < r; i++) for (int j = 0; j < k; j++) out[i] += a[i * k + j] * b[j];
      } else {
        throw new UnsupportedOperationException("matrix products not needed here");
      }
    } else {
      throw new UnsupportedOperationException(e.toString());
    }
    return out;
  }

  private static double unary(Expr.Unary u, double x) {
    return switch (u.op()) {
      case NEG -> -x;
      case EXP -> Math.exp(x);
      case LOG -> Math.log(x);
      case SQRT -> Math.sqrt(x);
      case ABS -> Math.abs(x);
      case SIN -> Math.sin(x);
      case COS -> Math.cos(x);
      case TANH -> Math.tanh(x);
      case SIGMOID -> 1 / (1 + Math.exp(-x));
      case RELU -> Math.max(x, 0);
      case LEAKY_RELU -> x > 0 ? x : u.param() * x;
      case SOFTPLUS -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
      case STEP -> x > 0 ? 1 : 0;
      case LEAKY_STEP -> x > 0 ? 1 : u.param();
      case SIGN -> Math.signum(x);
    };
  }

  private static double binary(Expr.Binary b, double x, double y) {
    return switch (b.op()) {
      case ADD -> x + y;
      case SUB -> x - y;
      case MUL -> x * y;
      case DIV -> x / y;
      case POW -> Math.pow(x, y);
      case MAX -> Math.max(x, y);
      case MIN -> Math.min(x, y);
      case GE -> x >= y ? 1 : 0;
    };
  }
}
