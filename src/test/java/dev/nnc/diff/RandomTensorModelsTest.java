package dev.nnc.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.eval.Interpreter;
import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import dev.nnc.prim.BinaryPrim;
import dev.nnc.prim.Domain;
import dev.nnc.prim.InDomain;
import dev.nnc.prim.Prims;
import dev.nnc.prim.UnaryPrim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Property: random tensor models — NumPy and explicit broadcasts (also of extent-1 axes), all four product rank
 * combinations, transposes, reductions with and without axes, softmax and log_softmax, elementwise functions — have
 * gradients that agree entry by entry with central differences. The loss is {@code Σ(Y ⊙ R)} with random R, so
 * every entry of Y matters with its own weight.
 */
class RandomTensorModelsTest {
  private static final int MODELS = 300;
  private static final long SEED = 5_2026L;

  private static final Dim B = Dim.free("B");
  private static final Dim K = Dim.free("K");
  private static final Dim N = Dim.literal(3);
  private static final Dim ONE = Dim.literal(1);
  private static final Dim[] AXES = {B, K, N};
  private static final Map<String, Integer> SIZES = Map.of("B", 3, "K", 2);

  static final class Generator {
    final SplittableRandom r;
    final ModelBuilder m = new ModelBuilder();
    final Graph g = m.g;
    final List<Expr.Var> params = new ArrayList<>();
    final Map<String, Integer> used;

    Generator(long seed, Map<String, Integer> used) {
      this.r = new SplittableRandom(seed);
      this.used = used;
    }

    private void use(String what) {
      used.merge(what, 1, Integer::sum);
    }

    private Dim anyAxis() {
      return AXES[r.nextInt(AXES.length)];
    }

    Shape randomShape() {
      return switch (r.nextInt(3)) {
        case 0 -> Shape.SCALAR;
        case 1 -> Shape.of(anyAxis());
        default -> Shape.of(anyAxis(), anyAxis());
      };
    }

    Expr param(Shape s) {
      for (Expr.Var p : params) if (p.shape().equals(s) && r.nextInt(3) > 0) return p;
      Expr.Var p = m.param("p" + params.size(), s.dims().toArray(new Dim[0]));
      params.add(p);
      return p;
    }

    Expr leaf(Shape s) {
      int choice = r.nextInt(10);
      if (choice == 0) return g.constant(0.5 + r.nextInt(3), s);
      if (choice < 4 && s.rank() > 0) { // a broadcast leaf
        if (s.rank() == 2 && r.nextBoolean()) {
          use("broadcast stretched [X,1]");
          return g.broadcast(param(Shape.of(s.dim(0), ONE)), List.of(0, 1), s);
        }
        use("broadcast leaf");
        return g.broadcast(param(Shape.SCALAR), s);
      }
      return param(s);
    }

    Expr positive(Shape s, int depth) {
      Expr e = gen(s, depth);
      return switch (r.nextInt(3)) {
        case 0 -> g.add(g.mul(e, e), g.constant(0.3, s));
        case 1 -> g.unary(UnaryOp.SIGMOID, e);
        default -> g.add(g.unary(UnaryOp.SOFTPLUS, e), g.constant(0.1, s));
      };
    }

    Expr gen(Shape s, int depth) {
      if (depth <= 0 || r.nextDouble() < 0.15) return leaf(s);
      int kind = r.nextInt(9);
      switch (kind) {
        case 0 -> {
          UnaryPrim p = Prims.unaries().get(r.nextInt(Prims.unaries().size()));
          use("unary " + p.op());
          return g.unary(p.op(), InDomain.map(g, p.domain(), gen(s, depth - 1)), InDomain.param(p));
        }
        case 1 -> {
          BinaryPrim p = Prims.binaries().get(r.nextInt(Prims.binaries().size()));
          use("binary " + p.op());
          Expr a = InDomain.map(g, p.domains().get(0), gen(s, depth - 1));
          return g.binary(p.op(), a, InDomain.map(g, p.domains().get(1), gen(s, depth - 1)));
        }
        case 2 -> {
          if (s.rank() == 0) break;
          if (s.rank() == 2 && r.nextBoolean()) {
            use("broadcast column [X] → [X,Y]");
            return g.broadcast(gen(Shape.of(s.dim(0)), depth - 1), List.of(0), s);
          }
          use("broadcast NumPy");
          List<Dim> tail = s.dims().subList(1, s.rank());
          return g.broadcast(gen(new Shape(tail), depth - 1), s);
        }
        case 3 -> {
          ReduceOp op = Prims.reductions().get(r.nextInt(Prims.reductions().size())).op();
          Dim extra = anyAxis();
          if (s.rank() == 2) break;
          int axis = r.nextInt(s.rank() + 1);
          List<Dim> dims = new ArrayList<>(s.dims());
          dims.add(axis, extra);
          use("reduce " + op);
          Expr x = gen(new Shape(dims), depth - 1);
          if (s.rank() == 0 && r.nextBoolean() && x.shape().rank() == 1) return g.reduceAll(op, x);
          return g.reduce(op, x, List.of(axis));
        }
        case 4 -> {
          Dim inner = anyAxis();
          if (s.rank() == 0) {
            use("matmul dot");
            return g.matmul(gen(Shape.of(inner), depth - 1), gen(Shape.of(inner), depth - 1));
          }
          if (s.rank() == 1) {
            if (r.nextBoolean()) {
              use("matmul matrix·vector");
              return g.matmul(gen(Shape.of(s.dim(0), inner), depth - 1), gen(Shape.of(inner), depth - 1));
            }
            use("matmul vector·matrix");
            return g.matmul(gen(Shape.of(inner), depth - 1), gen(Shape.of(inner, s.dim(0)), depth - 1));
          }
          use("matmul matrix·matrix");
          return g.matmul(gen(Shape.of(s.dim(0), inner), depth - 1), gen(Shape.of(inner, s.dim(1)), depth - 1));
        }
        case 5 -> {
          if (s.rank() != 2) break;
          use("transpose");
          return g.transpose(gen(Shape.of(s.dim(1), s.dim(0)), depth - 1));
        }
        case 6 -> {
          if (s.rank() == 0) break;
          int axis = r.nextInt(s.rank());
          if (r.nextBoolean()) {
            use("softmax");
            return g.softmax(gen(s, depth - 1), axis);
          }
          use("log_softmax");
          return g.logSoftmax(gen(s, depth - 1), axis);
        }
        default -> {
          // fall through to a leaf-heavy elementwise mix
        }
      }
      use("binary ADD");
      return g.add(gen(s, depth - 1), leaf(s));
    }

    ModelIR model() {
      Shape s = randomShape();
      Expr y = gen(s, 1 + r.nextInt(5));
      Expr weights = m.input("R", s.dims().toArray(new Dim[0]));
      m.let("Y", y);
      m.let("L", g.reduceAll(ReduceOp.SUM, g.mul(y, weights)));
      return m.build("RandomTensor", "L");
    }
  }

  /** Rejects points at or near kinks (elementwise and in max/min reductions), poles and huge values. */
  static boolean wellConditioned(ModelIR model, Map<String, double[]> values) {
    Interpreter in = Interpreter.forModel(model, SIZES, values);
    Graph g = model.graph();
    List<Expr> nodes = new ArrayList<>();
    for (int id = 0; id <= model.lossValue().node().id(); id++) nodes.add(g.node(id));
    in.evalAll(nodes);
    for (Expr e : nodes) {
      for (double v : in.eval(e)) if (!Double.isFinite(v) || Math.abs(v) > 1e4) return false;
      if (e instanceof Expr.Unary u) {
        Domain d = Prims.of(u.op()).domain();
        for (double x : in.eval(u.x())) if (d.distanceToKink(x) < 1e-2) return false;
      }
      if (e instanceof Expr.Binary b && Prims.of(b.op()).kinkWhereEqual()) {
        double[] x = in.eval(b.a());
        double[] y = in.eval(b.b());
        for (int i = 0; i < x.length; i++) if (Math.abs(x[i] - y[i]) < 1e-2) return false;
      }
      if (e instanceof Expr.Reduce red && Prims.of(red.op()).kinkWhereEqual()) {
        // the runner-up of every group must be clearly apart from the winner
        double[] x = in.eval(red.x());
        double[] best = in.eval(red);
        int[] group = groups(in, red);
        for (int i = 0; i < x.length; i++) {
          if (x[i] != best[group[i]] && Math.abs(x[i] - best[group[i]]) < 1e-2) return false;
        }
      }
    }
    return true;
  }

  /** For every element of a reduction's operand, the index of its result element. */
  private static int[] groups(Interpreter in, Expr.Reduce red) {
    int[] xe = in.extents(red.x().shape());
    int[] oe = in.extents(red.shape());
    int[] os = new int[oe.length];
    int acc = 1;
    for (int i = oe.length - 1; i >= 0; i--) {
      os[i] = acc;
      acc *= oe[i];
    }
    int n = 1;
    for (int x : xe) n *= x;
    int[] out = new int[n];
    int[] idx = new int[xe.length];
    for (int p = 0; p < n; p++) {
      int o = 0;
      int k = 0;
      for (int a = 0; a < xe.length; a++) if (!red.axes().contains(a)) o += idx[a] * os[k++];
      out[p] = o;
      for (int a = xe.length - 1; a >= 0; a--) {
        if (++idx[a] < xe[a]) break;
        idx[a] = 0;
      }
    }
    return out;
  }

  @Test
  void everyGradientOfThreeHundredRandomTensorModelsMatchesCentralDifferences() {
    check(MODELS, false);
  }

  /** The same property after the simplifier: what the generated code computes. */
  @Test
  void simplifiedGradientsOfRandomTensorModelsMatchCentralDifferencesToo() {
    check(100, true);
  }

  private static void check(int models, boolean simplified) {
    SplittableRandom seeds = new SplittableRandom(SEED);
    Map<String, Integer> used = new TreeMap<>();
    int accepted = 0;
    int tried = 0;
    while (accepted < models) {
      assertTrue(tried < models * 20, "too many rejected random models: " + tried);
      long seed = seeds.nextLong();
      tried++;
      Map<String, Integer> usedHere = new HashMap<>();
      Generator gen = new Generator(seed, usedHere);
      ModelIR model = gen.model();
      if (model.params().isEmpty()) continue;
      Interpreter sizes = new Interpreter(model.graph(), SIZES);
      Map<String, double[]> values = new HashMap<>();
      for (ModelIR.Leaf leaf : ModelValuesForTests.leaves(model)) {
        double[] v = new double[sizes.size(leaf.var().shape())];
        for (int i = 0; i < v.length; i++) v[i] = gen.r.nextDouble(-1.2, 1.2);
        values.put(leaf.name(), v);
      }
      if (!wellConditioned(model, values)) continue;
      DiffModel d = simplified ? dev.nnc.simplify.Simplifier.simplify(Differentiator.differentiate(model))
          : Differentiator.differentiate(model);
      String problem = FiniteDifferences.firstMismatch(d, SIZES, values, 1e-6);
      if (problem != null) fail((simplified ? "simplified " : "") + "random tensor model with seed " + seed + ": " + problem);
      accepted++;
      usedHere.forEach((k, v) -> used.merge(k, v, Integer::sum));
    }
    for (String construction : List.of("broadcast NumPy", "broadcast column [X] → [X,Y]",
        "broadcast stretched [X,1]", "broadcast leaf", "matmul dot", "matmul matrix·vector", "matmul vector·matrix",
        "matmul matrix·matrix", "transpose", "softmax", "log_softmax", "reduce SUM", "reduce MAX", "reduce MIN",
        "reduce LOGSUMEXP")) {
      assertTrue(used.getOrDefault(construction, 0) >= models / 60, construction + " used " + used.get(construction) + ": " + used);
    }
    // every elementwise entry of the registry, not a list of our own
    for (UnaryPrim p : Prims.unaries()) {
      assertTrue(used.getOrDefault("unary " + p.op(), 0) >= models / 200, p.op() + " used " + used.get("unary " + p.op()));
    }
    for (BinaryPrim p : Prims.binaries()) {
      assertTrue(used.getOrDefault("binary " + p.op(), 0) >= models / 200, p.op() + " used " + used.get("binary " + p.op()));
    }
  }

  /** Inputs then params. */
  static final class ModelValuesForTests {
    static List<ModelIR.Leaf> leaves(ModelIR model) {
      List<ModelIR.Leaf> all = new ArrayList<>(model.inputs());
      all.addAll(model.params());
      return all;
    }
  }
}
