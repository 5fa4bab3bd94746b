package dev.nnc.simplify;

import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.prim.InDomain;
import dev.nnc.prim.Prims;
import dev.nnc.prim.UnaryPrim;
import java.util.List;
import java.util.Random;

/** Seeded random scalar expressions over given leaves: arithmetic with some functions as atoms. */
final class RandomExpressions {
  private static final double[] CONSTANTS = {-2, -1, 0.5, 1, 2, 3};
  /** The registry's elementwise functions (atoms to the simplifier), each applied inside its test domain. */
  private static final List<UnaryPrim> FUNCTIONS = Prims.unaries();

  private final Graph g;
  private final Random random;

  RandomExpressions(Graph g, Random random) {
    this.g = g;
    this.random = random;
  }

  Expr next(List<Expr> leaves, int depth) {
    if (depth == 0 || random.nextInt(5) == 0) {
      return random.nextInt(6) == 0 ? g.constant(CONSTANTS[random.nextInt(CONSTANTS.length)])
          : leaves.get(random.nextInt(leaves.size()));
    }
    int kind = random.nextInt(20);
    if (kind < 4) return g.add(next(leaves, depth - 1), next(leaves, depth - 1));
    if (kind < 8) return g.sub(next(leaves, depth - 1), next(leaves, depth - 1));
    if (kind < 12) return g.mul(next(leaves, depth - 1), next(leaves, depth - 1));
    if (kind < 15) return g.div(next(leaves, depth - 1), next(leaves, depth - 1));
    if (kind < 16) return g.neg(next(leaves, depth - 1));
    if (kind < 18) {
      double k = new double[] {2, 3, -1, -2}[random.nextInt(4)];
      return g.pow(next(leaves, depth - 1), g.constant(k));
    }
    UnaryPrim f = FUNCTIONS.get(random.nextInt(FUNCTIONS.size()));
    return g.unary(f.op(), InDomain.map(g, f.domain(), next(leaves, depth - 1)), InDomain.param(f));
  }
}
