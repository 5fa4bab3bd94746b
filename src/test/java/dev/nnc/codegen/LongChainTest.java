package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Role;
import dev.nnc.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A 5,000-statement scalar chain {@code v_k = v_{k−1}·w + 1} (reverse pass written by hand, so this test does not
 * depend on the differentiator): forward and backward must be split below the JVM's 64 KB method limit, compile, and
 * compute what the same recurrence computes in plain Java.
 */
class LongChainTest {
  static final int N = 5000;

  static DiffModel chain() {
    Graph g = new Graph();
    Expr.Var x = g.var("x", Role.INPUT, Shape.SCALAR);
    Expr.Var w = g.var("w", Role.PARAM, Shape.SCALAR);
    Expr one = g.constant(1);
    List<ModelIR.Value> values = new ArrayList<>();
    List<Expr> v = new ArrayList<>();
    v.add(x);
    for (int k = 1; k <= N; k++) {
      Expr e = g.add(g.mul(v.get(k - 1), w), one);
      v.add(e);
      values.add(new ModelIR.Value("v" + k, "v" + k, e, "v" + (k - 1) + " w + 1", HandModels.line(k + 2)));
    }
    // ∂L/∂v_N = 1; ∂L/∂v_{k−1} = ∂L/∂v_k · w; ∂L/∂w = Σ_k ∂L/∂v_k · v_{k−1}
    List<Adjoint> adjoints = new ArrayList<>();
    adjoints.add(new Adjoint("v" + N, "v" + N, Adjoint.Kind.LOSS, one, "", "", HandModels.line(N + 2)));
    Expr[] dv = new Expr[N + 1];
    dv[N] = one;
    for (int k = N - 1; k >= 1; k--) {
      dv[k] = g.mul(dv[k + 1], w);
      adjoints.add(new Adjoint("v" + k, "v" + k, Adjoint.Kind.VALUE, dv[k], "∂L/∂v" + (k + 1) + " · ∂v" + (k + 1)
          + "/∂v" + k, "∂L/∂v" + (k + 1) + " · w", HandModels.line(k + 3)));
    }
    Expr dw = g.constant(0);
    for (int k = 1; k <= N; k++) dw = g.add(dw, g.mul(dv[k], v.get(k - 1)));
    adjoints.add(new Adjoint("w", "w", Adjoint.Kind.PARAM, dw, "Σ ∂L/∂vₖ · ∂vₖ/∂w", "Σ ∂L/∂vₖ · vₖ₋₁",
        HandModels.line(2)));
    ModelIR m = new ModelIR("Chain", "chain.nn", HandModels.line(1), List.of(),
        List.of(new ModelIR.Leaf(x, "x", null, HandModels.line(1))),
        List.of(new ModelIR.Leaf(w, "w", ModelIR.Init.ZEROS, HandModels.line(2))), values, List.of(), "v" + N, g);
    return new DiffModel(m, adjoints);
  }

  @Test
  void fiveThousandStatementsCompileSplitAndAgree() throws Exception {
    GeneratedFile f = JavaGenerator.generate(chain(), "");
    assertTrue(f.content().contains("private void forwardPart2()"), "forward is split into parts");
    assertTrue(f.content().contains("private void backwardPart2()"), "backward is split into parts");
    Class<?> c = Javac.load(f);
    Object model = c.getConstructor().newInstance();
    double w = 0.999;
    c.getField("w").setDouble(model, w);
    double x = 0.5;
    double loss = (double) c.getMethod("forward", double.class).invoke(model, x);
    double[] v = new double[N + 1];
    v[0] = x;
    for (int k = 1; k <= N; k++) v[k] = v[k - 1] * w + 1;
    assertEquals(v[N], loss, 1e-12 * Math.abs(v[N]));
    c.getMethod("backward").invoke(model);
    double dv = 1;
    double dw = 0;
    for (int k = N; k >= 1; k--) {
      dw += dv * v[k - 1];
      dv *= w;
    }
    assertEquals(dw, c.getField("dw").getDouble(model), 1e-10 * Math.abs(dw));
  }
}
