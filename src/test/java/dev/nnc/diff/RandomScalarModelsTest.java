package dev.nnc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.eval.Interpreter;
import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.UnaryOp;
import dev.nnc.prim.BinaryPrim;
import dev.nnc.prim.InDomain;
import dev.nnc.prim.Prims;
import dev.nnc.prim.UnaryPrim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property: for random scalar models — every operator and function, nesting up to depth 8, 1 to 4 statements that
 * read earlier ones (fan-out) — every param's symbolic gradient agrees with central differences at a random point
 * inside the domains. Seeded, so a failure names a reproducible case.
 */
class RandomScalarModelsTest {
  private static final int MODELS = 2000;
  private static final long SEED = 20261122L;

  /** The registry's entries: the generator covers every primitive without a list of its own. */
  private static final List<UnaryPrim> UNARY = Prims.unaries();
  private static final List<BinaryPrim> BINARY = Prims.binaries();

  /** Generates one model into a fresh builder. */
  static final class Generator {
    final SplittableRandom r;
    final ModelBuilder m = new ModelBuilder();
    final Graph g = m.g;
    final List<Expr> params = new ArrayList<>();
    final List<Expr> values = new ArrayList<>();
    final Map<UnaryOp, Integer> unaryUse = new HashMap<>();
    final Map<BinaryOp, Integer> binaryUse = new HashMap<>();

    Generator(long seed) {
      r = new SplittableRandom(seed);
      int n = 1 + r.nextInt(4);
      for (int i = 0; i < n; i++) params.add(m.param("x" + i));
    }

    Expr leaf() {
      double p = r.nextDouble();
      if (p < 0.2) return g.constant(new double[] {0.5, 2, 3, -1.5, 0.25, 1.7}[r.nextInt(6)]);
      if (p < 0.4 && !values.isEmpty()) return values.get(r.nextInt(values.size()));
      return params.get(r.nextInt(params.size()));
    }

    /**
     * A random expression: an entry of the registry applied to operands mapped into its test domain
     * ({@link InDomain#map}); a binary operation's right operand is sometimes a constant of its domain (so that
     * rules with a constant operand, such as a^c, are covered too).
     */
    Expr gen(int depth) {
      if (depth <= 0 || r.nextDouble() < 0.2) return leaf();
      if (r.nextBoolean()) {
        UnaryPrim p = UNARY.get(r.nextInt(UNARY.size()));
        unaryUse.merge(p.op(), 1, Integer::sum);
        double param = p.param() == null ? 0 : 0.01 + 0.2 * r.nextDouble();
        return g.unary(p.op(), InDomain.map(g, p.domain(), gen(depth - 1)), param);
      }
      BinaryPrim p = BINARY.get(r.nextInt(BINARY.size()));
      binaryUse.merge(p.op(), 1, Integer::sum);
      Expr a = InDomain.map(g, p.domains().get(0), gen(depth - 1));
      Expr b = r.nextInt(4) == 0 ? g.constant(Math.round(10 * InDomain.point(p.domains().get(1), r)) / 10.0)
          : InDomain.map(g, p.domains().get(1), gen(depth - 1));
      return g.binary(p.op(), a, b);
    }

    ModelIR model() {
      int statements = 1 + r.nextInt(4);
      for (int i = 0; i < statements; i++) {
        int depth = 1 + r.nextInt(8);
        values.add(m.let("v" + i, gen(depth)));
      }
      // the loss reads the last statement and, sometimes, earlier ones again (fan-out)
      Expr loss = values.get(values.size() - 1);
      if (values.size() > 1 && r.nextBoolean()) loss = g.add(loss, g.mul(values.get(0), g.constant(0.5)));
      m.let("L", loss);
      return m.build("Random");
    }
  }

  /** Rejects points near a kink or a pole, and values too large for finite differences to be meaningful. */
  static boolean wellConditioned(ModelIR model, Map<String, double[]> values) {
    Interpreter in = Interpreter.forModel(model, Map.of(), values);
    Graph g = model.graph();
    List<Expr> nodes = new ArrayList<>();
    for (int id = 0; id <= model.lossValue().node().id(); id++) nodes.add(g.node(id));
    in.evalAll(nodes);
    for (Expr e : nodes) {
      double v = in.scalar(e);
      if (!Double.isFinite(v) || Math.abs(v) > 1e4) return false;
      if (e instanceof Expr.Unary u) {
        if (Prims.of(u.op()).domain().distanceToKink(in.scalar(u.x())) < 1e-2) return false;
      } else if (e instanceof Expr.Binary b && Prims.of(b.op()).kinkWhereEqual()) {
        if (Math.abs(in.scalar(b.a()) - in.scalar(b.b())) < 1e-2) return false;
      }
    }
    return true;
  }

  @Test
  void everyGradientOfTwoThousandRandomModelsMatchesCentralDifferences() {
    check(MODELS, false);
  }

  /** The same property after the simplifier: what the generated code computes. */
  @Test
  void simplifiedGradientsOfRandomModelsMatchCentralDifferencesToo() {
    check(500, true);
  }

  private static void check(int models, boolean simplified) {
    SplittableRandom seeds = new SplittableRandom(SEED);
    Map<UnaryOp, Integer> unary = new HashMap<>();
    Map<BinaryOp, Integer> binary = new HashMap<>();
    int accepted = 0;
    int tried = 0;
    int maxDepthSeen = 0;
    while (accepted < models) {
      assertTrue(tried < models * 20, "too many rejected random models: " + tried);
      long seed = seeds.nextLong();
      tried++;
      Generator gen = new Generator(seed);
      ModelIR model = gen.model();
      Map<String, double[]> values = new HashMap<>();
      for (Expr p : gen.params) values.put(((Expr.Var) p).name(), new double[] {gen.r.nextDouble(-1.5, 1.5)});
      if (!wellConditioned(model, values)) continue;
      DiffModel d = simplified ? dev.nnc.simplify.Simplifier.simplify(Differentiator.differentiate(model))
          : Differentiator.differentiate(model);
      Interpreter in = Interpreter.forModel(model, Map.of(), values);
      boolean finite = true;
      for (ModelIR.Leaf p : model.params()) {
        double s = in.scalar(d.adjoint(p.name()).value());
        if (!Double.isFinite(s) || Math.abs(s) > 1e4) finite = false;
      }
      if (!finite) continue;
      String problem = FiniteDifferences.firstMismatch(d, Map.of(), values, 1e-6);
      if (problem != null) fail((simplified ? "simplified " : "") + "random model with seed " + seed + " at " + show(values) + ": " + problem);
      accepted++;
      gen.unaryUse.forEach((k, v) -> unary.merge(k, v, Integer::sum));
      gen.binaryUse.forEach((k, v) -> binary.merge(k, v, Integer::sum));
      maxDepthSeen = Math.max(maxDepthSeen, depth(model.lossValue().node()));
    }
    assertEquals(models, accepted);
    for (UnaryPrim p : UNARY) assertTrue(unary.getOrDefault(p.op(), 0) >= models / 100, p.op() + " used " + unary.get(p.op()));
    for (BinaryPrim p : BINARY) assertTrue(binary.getOrDefault(p.op(), 0) >= models / 100, p.op() + " used " + binary.get(p.op()));
    assertTrue(maxDepthSeen >= 8, "nesting reached " + maxDepthSeen);
  }

  private static int depth(Expr root) {
    Map<Expr, Integer> d = new HashMap<>();
    List<Expr> order = new ArrayList<>();
    java.util.ArrayDeque<Expr> stack = new java.util.ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (d.containsKey(e)) continue;
      d.put(e, 0);
      order.add(e);
      for (Expr in : e.inputs()) stack.push(in);
    }
    order.sort((a, b) -> Integer.compare(a.id(), b.id()));
    int max = 0;
    for (Expr e : order) {
      int k = 0;
      for (Expr in : e.inputs()) k = Math.max(k, d.get(in) + 1);
      d.put(e, k);
      max = Math.max(max, k);
    }
    return max;
  }

  private static String show(Map<String, double[]> values) {
    StringBuilder sb = new StringBuilder();
    values.forEach((k, v) -> sb.append(k).append('=').append(v[0]).append(' '));
    return sb.toString().trim();
  }
}
