package dev.nnc.simplify;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.Shape;
import dev.nnc.prim.InDomain;
import dev.nnc.prim.Prims;
import dev.nnc.prim.UnaryPrim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random vector models (elementwise ops, broadcasts of scalar expressions into vector islands, sums, dot
 * products) with their chain-rule reverse pass: simplified adjoints keep their values and the pass does not grow.
 */
class RandomTensorModelsTest {
  private static final Shape VEC = Shape.of(Dim.free("n"));
  private static final int N = 3;

  private static final class Gen {
    final Graph g;
    final Random r;
    final List<Expr> vectors = new ArrayList<>();
    final List<Expr> scalars = new ArrayList<>();

    Gen(Graph g, Random r) {
      this.g = g;
      this.r = r;
    }

    Expr vector(int depth) {
      if (depth == 0 || r.nextInt(5) == 0) {
        return r.nextInt(8) == 0 ? g.constant(r.nextInt(3) + 1, VEC) : vectors.get(r.nextInt(vectors.size()));
      }
      int k = r.nextInt(12);
      if (k < 6) return g.binary(ARITH[k % 4], vector(depth - 1), vector(depth - 1));
      if (k < 9) return g.binary(ARITH[k % 4], vector(depth - 1), g.broadcast(scalar(depth - 1), VEC));
      if (k < 10) return g.neg(vector(depth - 1));
      return function(vector(depth - 1));
    }

    Expr scalar(int depth) {
      if (depth == 0 || r.nextInt(4) == 0) return r.nextInt(6) == 0 ? g.constant(2) : scalars.get(r.nextInt(scalars.size()));
      int k = r.nextInt(10);
      if (k < 4) return g.binary(ARITH[k], scalar(depth - 1), scalar(depth - 1));
      if (k < 6) return g.reduceAll(ReduceOp.SUM, vector(depth - 1));
      if (k < 8) return g.matmul(vector(depth - 1), vector(depth - 1));
      return function(scalar(depth - 1));
    }

    /** A function of the registry (each entry in turn over the models) on {@code x} mapped into its test domain. */
    Expr function(Expr x) {
      UnaryPrim p = Prims.unaries().get(r.nextInt(Prims.unaries().size()));
      return g.unary(p.op(), InDomain.map(g, p.domain(), x), InDomain.param(p));
    }
  }

  private static final dev.nnc.ir.BinaryOp[] ARITH = {
    dev.nnc.ir.BinaryOp.ADD, dev.nnc.ir.BinaryOp.SUB, dev.nnc.ir.BinaryOp.MUL, dev.nnc.ir.BinaryOp.DIV
  };

  @Test
  void randomVectorModels() {
    Random random = new Random(99);
    int compared = 0;
    int before = 0;
    int after = 0;
    for (int i = 0; i < 400; i++) {
      HandModel h = new HandModel();
      Gen gen = new Gen(h.g, random);
      gen.vectors.add(h.param("u", VEC));
      gen.vectors.add(h.input("v", VEC));
      gen.scalars.add(h.param("s", Shape.SCALAR));
      gen.scalars.add(h.input("t", Shape.SCALAR));
      gen.vectors.add(h.value("p", gen.vector(1 + random.nextInt(3))));
      gen.scalars.add(h.value("q", gen.scalar(1 + random.nextInt(3))));
      h.value("J", h.g.add(gen.scalar(1 + random.nextInt(4)), gen.scalars.get(gen.scalars.size() - 1)));
      DiffModel d0 = h.diff();
      DiffModel d1 = Simplifier.simplifyStrictly(d0);
      List<Expr> forward = new ArrayList<>();
      for (ModelIR.Value v : d0.model().values()) forward.add(v.node());
      int b = Simplifier.backwardOperations(forward, d0.adjoints());
      int a = Simplifier.backwardOperations(forward, d1.adjoints());
      assertTrue(a <= b || Simplifier.hazardousParams(d1.model().graph(), forward, d1.adjoints())
          < Simplifier.hazardousParams(d0.model().graph(), forward, d0.adjoints()),
          "#" + i + " grew"); // only to remove a hazard
      before += b;
      after += a;
      for (int p = 0; p < 3; p++) {
        Map<String, double[]> vars = new HashMap<>();
        for (String n : List.of("u", "v")) vars.put(n, values(random, N));
        for (String n : List.of("s", "t")) vars.put(n, values(random, 1));
        Interpreter eval = h.interpreter(vars, Map.of("n", N));
        for (Adjoint adj : d0.adjoints()) {
          double[] expected = eval.eval(adj.value());
          double[] actual = eval.eval(d1.adjoint(adj.name()).value());
          for (int k = 0; k < expected.length; k++) {
            if (!Double.isFinite(expected[k]) || Math.abs(expected[k]) > 1e6) continue;
            if (!(Math.abs(expected[k] - actual[k]) <= 1e-7 * (1 + Math.abs(expected[k])))) {
              fail("#" + i + " ∂/∂" + adj.name() + "[" + k + "]: " + expected[k] + " vs " + actual[k] + "\n  "
                  + ExprText.of(d0.model()).print(adj.value()) + "\n  ⇒ "
                  + ExprText.of(d0.model()).print(d1.adjoint(adj.name()).value()));
            }
            compared++;
          }
        }
      }
    }
    System.out.printf("random vector models: reverse passes %d → %d operations, %d values compared%n", before, after,
        compared);
    assertTrue(compared > 5000, "compared only " + compared);
    assertTrue(after < before, "nothing simplified");
  }

  private static double[] values(Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = r.nextDouble() * 3 - 1.5;
    return v;
  }
}
