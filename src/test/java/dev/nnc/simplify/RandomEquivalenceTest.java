package dev.nnc.simplify;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Role;
import dev.nnc.ir.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Simplification preserves values and never adds operations: random expressions (seeded) and random models with
 * their chain-rule reverse pass, evaluated before and after at random points.
 */
class RandomEquivalenceTest {
  private static final String[] NAMES = {"x", "y", "z", "w"};
  private static final int POINTS = 4;

  @Test
  void thousandsOfRandomExpressionsKeepTheirValueAndDoNotGrow() {
    Random random = new Random(20240601L);
    int compared = 0;
    int changed = 0;
    int opsBefore = 0;
    int opsAfter = 0;
    for (int i = 0; i < 1500; i++) {
      Graph g = new Graph();
      List<Expr> leaves = new ArrayList<>();
      for (String n : NAMES) leaves.add(g.var(n, Role.PARAM, Shape.SCALAR));
      Expr input = new RandomExpressions(g, random).next(leaves, 1 + random.nextInt(6));
      Expr output = new IslandSimplifier(g, List.of(), Rational.Limits.DEFAULT).simplify(input);
      int before = DagSize.operations(List.of(input));
      int after = DagSize.operations(List.of(output));
      if (after > before) fail("#" + i + " grew " + before + " → " + after + ": " + show(input) + " ⇒ " + show(output));
      compared += compare(g, input, output, random, "#" + i);
      if (output != input) changed++;
      opsBefore += before;
      opsAfter += after;
    }
    System.out.printf("random expressions: %d of 1500 rewritten, %d → %d operations, %d points compared%n",
        changed, opsBefore, opsAfter, compared);
    assertTrue(changed > 300, "the simplifier rewrote only " + changed + " expressions");
    assertTrue(compared > 3000, "too few comparable points: " + compared);
  }

  @Test
  void randomModelsReversePassKeepsValuesAndDoesNotGrow() {
    Random random = new Random(7L);
    int compared = 0;
    int totalBefore = 0;
    int totalAfter = 0;
    for (int i = 0; i < 1000; i++) {
      HandModel h = new HandModel();
      List<Expr> leaves = new ArrayList<>();
      for (String n : NAMES) leaves.add(h.param(n, Shape.SCALAR));
      RandomExpressions gen = new RandomExpressions(h.g, random);
      leaves.add(h.value("u", gen.next(leaves, 1 + random.nextInt(4))));
      leaves.add(h.value("v", gen.next(leaves, 1 + random.nextInt(4))));
      h.value("J", h.g.add(gen.next(leaves, 1 + random.nextInt(4)), leaves.get(leaves.size() - 1)));
      DiffModel before = h.diff();
      DiffModel after = Simplifier.simplifyStrictly(before);
      List<Expr> forward = new ArrayList<>();
      for (ModelIR.Value v : before.model().values()) forward.add(v.node());
      int opsBefore = Simplifier.backwardOperations(forward, before.adjoints());
      int opsAfter = Simplifier.backwardOperations(forward, after.adjoints());
      // it may grow only to take a division by a value out of a param's gradient (see Hazards)
      assertTrue(opsAfter <= opsBefore
          || Simplifier.hazardousParams(after.model().graph(), forward, after.adjoints())
          < Simplifier.hazardousParams(before.model().graph(), forward, before.adjoints()),
          "#" + i + " reverse pass grew " + opsBefore + " → " + opsAfter);
      totalBefore += opsBefore;
      totalAfter += opsAfter;
      for (int k = 0; k < before.adjoints().size(); k++) {
        Adjoint a = before.adjoints().get(k);
        compared += compare(h.g, a.value(), after.adjoints().get(k).value(), random, "#" + i + " ∂/∂" + a.name());
      }
    }
    System.out.printf("random models: reverse passes %d → %d operations, %d points compared%n",
        totalBefore, totalAfter, compared);
    assertTrue(totalAfter < totalBefore * 0.9, "the reverse passes barely shrank");
    assertTrue(compared > 10000, "too few comparable points: " + compared);
  }

  /** Compares at random points where the original is finite (with finite intermediates); returns the count. */
  static int compare(Graph g, Expr input, Expr output, Random random, String what) {
    int compared = 0;
    for (int p = 0; p < POINTS; p++) {
      Map<String, double[]> vars = new HashMap<>();
      Interpreter eval = new Interpreter(g, Map.of());
      for (String n : NAMES) {
        vars.put(n, new double[] {random.nextDouble() * 4 - 2});
        eval.bind(g.var(n, Role.PARAM, Shape.SCALAR), vars.get(n));
      }
      double expected = eval.scalar(input);
      double scale = scale(eval, input);
      if (!Double.isFinite(expected) || !Double.isFinite(scale) || scale > 1e8) continue;
      double actual = eval.scalar(output);
      if (!(Math.abs(actual - expected) <= 1e-9 * scale)) {
        fail(what + ": " + show(input) + " = " + expected + " but " + show(output) + " = " + actual + " at " + point(vars));
      }
      compared++;
    }
    return compared;
  }

  /** 1 + the largest magnitude of any intermediate of {@code e} (the rounding error scale of its evaluation). */
  private static double scale(Interpreter eval, Expr e) {
    double max = 1;
    BitSet seen = new BitSet();
    ArrayDeque<Expr> stack = new ArrayDeque<>(List.of(e));
    while (!stack.isEmpty()) {
      Expr n = stack.pop();
      if (seen.get(n.id())) continue;
      seen.set(n.id());
      max = Math.max(max, 1 + Math.abs(eval.scalar(n)));
      stack.addAll(n.inputs());
    }
    return max;
  }

  private static String point(Map<String, double[]> vars) {
    StringBuilder sb = new StringBuilder();
    for (String n : NAMES) sb.append(n).append('=').append(vars.get(n)[0]).append(' ');
    return sb.toString();
  }

  static String show(Expr e) {
    return new ExprText(Map.of()).print(e);
  }
}
