package dev.nnc.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.eval.Interpreter;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Role;
import dev.nnc.ir.Shape;
import dev.nnc.prim.BinaryPrim;
import dev.nnc.prim.Domain;
import dev.nnc.prim.InDomain;
import dev.nnc.prim.Prims;
import dev.nnc.prim.ReducePrim;
import dev.nnc.prim.UnaryPrim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every registry entry's JVP rule, and the forward rules of the other node kinds, agree with the reverse rules
 * ({@code ⟨J v, w⟩ = ⟨v, Jᵀ w⟩}) and with central differences {@code (f(x + hv) − f(x − hv)) / 2h}, at random
 * points of the entry's test domain, random tangents {@code v} and random cotangents {@code w}.
 */
class ForwardModeTest {
  private static final Dim TWO = Dim.literal(2);
  private static final Dim THREE = Dim.literal(3);
  private static final double H = 1e-5;

  @Test
  void everyElementwiseFunctionsJvpAgreesWithItsReverseRuleAndCentralDifferences() {
    for (UnaryPrim p : Prims.unaries()) {
      Shape s = Shape.of(TWO, THREE);
      check(p.op().name(), List.of(s), List.of(p.domain()),
          (g, x) -> g.unary(p.op(), x.get(0), InDomain.param(p)));
    }
  }

  @Test
  void everyBinaryOperationsJvpAgreesWithItsReverseRuleAndCentralDifferences() {
    for (BinaryPrim p : Prims.binaries()) {
      Shape s = Shape.of(THREE);
      check(p.op().name(), List.of(s, s), p.domains(), (g, x) -> g.rawBinary(p.op(), x.get(0), x.get(1)));
    }
  }

  @Test
  void everyReductionsJvpAgreesWithItsReverseRuleAndCentralDifferences() {
    for (ReducePrim p : Prims.reductions()) {
      for (List<Integer> axes : List.of(List.of(0), List.of(1), List.of(0, 1))) {
        check(p.op() + " over " + axes, List.of(Shape.of(TWO, THREE)), List.of(p.domain()),
            (g, x) -> g.reduce(p.op(), x.get(0), axes));
      }
    }
  }

  @Test
  void theOtherNodeKindsForwardRulesAgreeWithTheirReverseRulesAndCentralDifferences() {
    Shape m23 = Shape.of(TWO, THREE);
    Shape m32 = Shape.of(THREE, TWO);
    Shape v3 = Shape.of(THREE);
    Shape v2 = Shape.of(TWO);
    List<Domain> reals2 = List.of(Domain.REAL, Domain.REAL);
    check("matrix·matrix", List.of(m23, m32), reals2, (g, x) -> g.matmul(x.get(0), x.get(1)));
    check("matrix·vector", List.of(m23, v3), reals2, (g, x) -> g.matmul(x.get(0), x.get(1)));
    check("vector·matrix", List.of(v2, m23), reals2, (g, x) -> g.matmul(x.get(0), x.get(1)));
    check("dot", List.of(v3, v3), reals2, (g, x) -> g.matmul(x.get(0), x.get(1)));
    check("transpose", List.of(m23), List.of(Domain.REAL), (g, x) -> g.transpose(x.get(0)));
    check("broadcast", List.of(v3), List.of(Domain.REAL), (g, x) -> g.broadcast(x.get(0), List.of(1), m23));
    for (int axis = 0; axis < 2; axis++) {
      int a = axis;
      check("softmax " + a, List.of(m23), List.of(Domain.REAL), (g, x) -> g.softmax(x.get(0), a));
      check("log_softmax " + a, List.of(m23), List.of(Domain.REAL), (g, x) -> g.logSoftmax(x.get(0), a));
    }
  }

  @Test
  void everyLayerOpsJvpAgreesWithItsReverseRuleAndCentralDifferences() {
    // conv geometry stride 2, padding 1: X[2,2,5,4] ⋆ K[3,2,3,2] → Y[2,3,3,3]; pools k = 2: X[2,2,4,6] → [2,2,2,3]
    Shape x = Shape.of(TWO, TWO, Dim.literal(5), Dim.literal(4));
    Shape k = Shape.of(THREE, TWO, THREE, TWO);
    Shape y = Shape.of(TWO, THREE, THREE, THREE);
    Shape px = Shape.of(TWO, TWO, Dim.literal(4), Dim.literal(6));
    Shape py = Shape.of(TWO, TWO, TWO, THREE);
    List<Integer> conv = List.of(2, 1);
    List<Integer> pool = List.of(2);
    int checked = 0;
    for (dev.nnc.prim.LayerPrim p : Prims.layers()) {
      List<Shape> in;
      Shape out;
      List<Integer> ints;
      switch (p.op()) {
        case CONV2D -> { in = List.of(x, k); out = y; ints = conv; }
        case CONV2D_INPUT -> { in = List.of(y, k); out = x; ints = conv; }
        case CONV2D_KERNEL -> { in = List.of(x, y); out = k; ints = conv; }
        case MAXPOOL, AVGPOOL -> { in = List.of(px); out = py; ints = pool; }
        case MAXPOOL_ROUTE -> { in = List.of(px, py); out = px; ints = pool; }
        case MAXPOOL_PICK -> { in = List.of(px, px); out = py; ints = pool; }
        case AVGPOOL_SPREAD -> { in = List.of(py); out = px; ints = pool; }
        case LAST_STEP -> { in = List.of(Shape.of(Dim.literal(5), TWO, Dim.literal(3))); out = Shape.of(TWO, Dim.literal(3));
          ints = List.of(); }
        case LAST_STEP_SPREAD -> { in = List.of(Shape.of(TWO, Dim.literal(3))); out = Shape.of(Dim.literal(5), TWO,
          Dim.literal(3)); ints = List.of(); }
        default -> { in = List.of(px); out = Shape.of(TWO, Dim.literal(48)); ints = List.of(); }
      }
      List<Domain> domains = new ArrayList<>();
      for (int i = 0; i < in.size(); i++) domains.add(p.domain());
      check(p.op().name(), in, domains, (g, xs) -> g.layer(p.op(), List.copyOf(xs), ints, out));
      checked++;
    }
    assertTrue(checked == dev.nnc.ir.LayerOp.values().length);
  }

  interface Build {
    Expr apply(Graph g, List<Expr.Var> xs);
  }

  private static void check(String name, List<Shape> shapes, List<Domain> domains, Build build) {
    SplittableRandom random = new SplittableRandom(name.hashCode());
    for (int trial = 0; trial < 3; trial++) {
      Graph g = new Graph();
      List<Expr.Var> xs = new ArrayList<>();
      Map<Expr.Var, Expr> seeds = new HashMap<>();
      List<Expr.Var> vs = new ArrayList<>();
      for (int i = 0; i < shapes.size(); i++) {
        Expr.Var x = g.var("x" + i, Role.PARAM, shapes.get(i));
        Expr.Var v = g.var("v" + i, Role.INPUT, shapes.get(i));
        xs.add(x);
        vs.add(v);
        seeds.put(x, v);
      }
      Expr y = build.apply(g, xs);
      Expr.Var w = g.var("w", Role.INPUT, y.shape());
      Expr tangent = new ForwardMode(g).tangent(y, seeds);
      Expr[] adjoints = new Rules(g).adjoints(y, w, e -> true);
      Interpreter in = new Interpreter(g, Map.of());
      List<double[]> point = new ArrayList<>();
      List<double[]> dir = new ArrayList<>();
      for (int i = 0; i < xs.size(); i++) {
        double[] p = new double[in.size(shapes.get(i))];
        double[] d = new double[p.length];
        for (int j = 0; j < p.length; j++) {
          p[j] = InDomain.point(domains.get(i), random);
          d[j] = random.nextDouble(-1, 1);
        }
        point.add(p);
        dir.add(d);
        in.bind(xs.get(i), p).bind(vs.get(i), d);
      }
      double[] wv = new double[in.size(y.shape())];
      for (int j = 0; j < wv.length; j++) wv[j] = random.nextDouble(-1, 1);
      in.bind(w, wv);
      double[] jv = tangent == null ? new double[wv.length] : in.eval(tangent);
      double forward = dot(jv, wv);
      double reverse = 0;
      for (int i = 0; i < xs.size(); i++) {
        if (adjoints[i] == null) continue;
        Expr a = Differentiator.conform(g, adjoints[i], shapes.get(i));
        reverse += dot(dir.get(i), in.eval(a));
      }
      double[] plus = shifted(in, y, xs, point, dir, H);
      double[] minus = shifted(in, y, xs, point, dir, -H);
      String at = name + " trial " + trial;
      assertClose(forward, reverse, 1e-12, at + ": ⟨jvp(v), w⟩ vs ⟨v, vjp(w)⟩");
      for (int j = 0; j < jv.length; j++) {
        assertClose(jv[j], (plus[j] - minus[j]) / (2 * H), 1e-6, at + ": jvp entry " + j + " vs central difference");
      }
    }
  }

  private static double[] shifted(Interpreter in, Expr y, List<Expr.Var> xs, List<double[]> point,
      List<double[]> dir, double h) {
    for (int i = 0; i < xs.size(); i++) {
      double[] p = point.get(i).clone();
      for (int j = 0; j < p.length; j++) p[j] += h * dir.get(i)[j];
      in.bind(xs.get(i), p);
    }
    double[] out = in.eval(y).clone();
    for (int i = 0; i < xs.size(); i++) in.bind(xs.get(i), point.get(i));
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  private static void assertClose(double a, double b, double tolerance, String what) {
    double error = Math.abs(a - b) / Math.max(Math.abs(a) + Math.abs(b), 1e-6);
    assertTrue(error < tolerance, what + ": " + a + " vs " + b + " (relative error " + error + ")");
  }
}
