package dev.nnc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Role;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Input expression (built with the graph) → expected simplified text. */
class GoldenFormsTest {
  /** The atoms of every case: x, y, z, a (ids in that order, so sums print in that order). */
  record Atoms(Graph g, Expr x, Expr y, Expr z, Expr a) {
    Expr c(double v) {
      return g.constant(v);
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        golden("x + x: a tie keeps the expression as built", "x + x", t -> t.g.add(t.x, t.x)),
        golden("x + x + x", "3·x", t -> t.g.add(t.g.add(t.x, t.x), t.x)),
        golden("x − x", "0", t -> t.g.sub(t.x, t.x)),
        golden("x·y + y·x", "2·x·y", t -> t.g.add(t.g.mul(t.x, t.y), t.g.mul(t.y, t.x))),
        golden("(x + y) − x", "y", t -> t.g.sub(t.g.add(t.x, t.y), t.x)),
        golden("x·y/x", "y", t -> t.g.div(t.g.mul(t.x, t.y), t.x)),
        golden("x/x", "1", t -> t.g.div(t.x, t.x)),
        golden("2x/2", "x", t -> t.g.div(t.g.mul(t.c(2), t.x), t.c(2))),
        golden("(x·x − y·y)/(x − y)", "x + y",
            t -> t.g.div(t.g.sub(t.g.mul(t.x, t.x), t.g.mul(t.y, t.y)), t.g.sub(t.x, t.y))),
        golden("(x + 1)² − x² − 2x", "1", t -> t.g.sub(t.g.sub(t.g.pow(t.g.add(t.x, t.c(1)), t.c(2)),
            t.g.mul(t.x, t.x)), t.g.mul(t.c(2), t.x))),
        golden("−y/a + (1−y)/(1−a)", "(a − y)/(a·(1 − a))", t -> t.g.add(t.g.div(t.g.neg(t.y), t.a),
            t.g.div(t.g.sub(t.c(1), t.y), t.g.sub(t.c(1), t.a)))),
        golden("(−y/a + (1−y)/(1−a))·a(1−a)", "a − y", t -> t.g.mul(t.g.add(t.g.div(t.g.neg(t.y), t.a),
            t.g.div(t.g.sub(t.c(1), t.y), t.g.sub(t.c(1), t.a))), t.g.mul(t.a, t.g.sub(t.c(1), t.a)))),
        golden("3(x + y·z) stays: expanding costs more", "3·(x + y·z)",
            t -> t.g.mul(t.c(3), t.g.add(t.x, t.g.mul(t.y, t.z)))),
        golden("x·y + x·z: common factor out", "x·(y + z)",
            t -> t.g.add(t.g.mul(t.x, t.y), t.g.mul(t.x, t.z))),
        golden("1/x + 1/y: one division instead of two", "(x + y)/(x·y)",
            t -> t.g.add(t.g.div(t.c(1), t.x), t.g.div(t.c(1), t.y))),
        golden("−(−x·y)", "x·y", t -> t.g.neg(t.g.mul(t.g.neg(t.x), t.y))),
        golden("x·(−1)·(−y)", "x·y", t -> t.g.mul(t.g.mul(t.x, t.c(-1)), t.g.neg(t.y))),
        golden("(x − y)·(−1)", "y − x", t -> t.g.mul(t.g.sub(t.x, t.y), t.c(-1))),
        golden("x·x·x", "x^3", t -> t.g.mul(t.g.mul(t.x, t.x), t.x)),
        golden("x^2·x^−2", "1", t -> t.g.mul(t.g.pow(t.x, t.c(2)), t.g.pow(t.x, t.c(-2)))),
        golden("exp(x)·y/exp(x) (function atoms cancel)", "y",
            t -> t.g.div(t.g.mul(t.g.unary(UnaryOp.EXP, t.x), t.y), t.g.unary(UnaryOp.EXP, t.x))),
        golden("0.5·x + 0.5·x", "x", t -> t.g.add(t.g.mul(t.c(0.5), t.x), t.g.mul(t.c(0.5), t.x))),
        golden("(1 − a)·a: a reordering alone is no gain", "(1 − a)·a", t -> t.g.mul(t.g.sub(t.c(1), t.a), t.a)),
        golden("y·(1 − a) − (1 − y)·a", "y − a",
            t -> t.g.sub(t.g.mul(t.y, t.g.sub(t.c(1), t.a)), t.g.mul(t.g.sub(t.c(1), t.y), t.a))));
  }

  private static Arguments golden(String name, String expected, Function<Atoms, Expr> build) {
    return Arguments.of(name, expected, build);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("cases")
  void simplifiesTo(String name, String expected, Function<Atoms, Expr> build) {
    Graph g = new Graph();
    Atoms t = new Atoms(g, g.var("x", Role.PARAM, Shape.SCALAR), g.var("y", Role.PARAM, Shape.SCALAR),
        g.var("z", Role.PARAM, Shape.SCALAR), g.var("a", Role.PARAM, Shape.SCALAR));
    Expr input = build.apply(t);
    Expr output = new IslandSimplifier(g, List.of(), Rational.Limits.DEFAULT).simplify(input);
    ExprText text = new ExprText(Map.of());
    assertEquals(expected, text.print(output), () -> "from " + text.print(input));
    assertTrue(DagSize.operations(List.of(output)) <= DagSize.operations(List.of(input)), "op count rose");
  }
}
