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
 * Long models: a 5,000-statement scalar chain through the whole compiler, agreeing with the interpreter; the chain
 * {@code v_k = v_{k−1}·w + 1} with its reverse pass written by hand (independent of the differentiator), agreeing
 * with the recurrence in plain Java; 1,000 params; 170 tensor values (over 300 buffers). Methods are split below the JVM's 64 KB limit.
 */
class LongChainTest {
  static final int N = 1500;

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
    adjoints.add(new Adjoint("v" + N, "v" + N, Adjoint.Kind.LOSS, one, List.of(), HandModels.line(N + 2)));
    Expr[] dv = new Expr[N + 1];
    dv[N] = one;
    for (int k = N - 1; k >= 1; k--) {
      dv[k] = g.mul(dv[k + 1], w);
      adjoints.add(new Adjoint("v" + k, "v" + k, Adjoint.Kind.VALUE, dv[k], List.of(),
          HandModels.line(k + 3)));
    }
    Expr dw = g.constant(0);
    for (int k = 1; k <= N; k++) dw = g.add(dw, g.mul(dv[k], v.get(k - 1)));
    adjoints.add(new Adjoint("w", "w", Adjoint.Kind.PARAM, dw, List.of(),
        HandModels.line(2)));
    ModelIR m = new ModelIR("Chain", "chain.nn", HandModels.line(1), List.of(),
        List.of(new ModelIR.Leaf(x, "x", null, HandModels.line(1))),
        List.of(new ModelIR.Leaf(w, "w", ModelIR.Init.ZEROS, HandModels.line(2))), values, List.of(), "v" + N, g);
    return new DiffModel(m, adjoints);
  }

  @Test
  void handBuiltChainCompilesSplitAndAgrees() throws Exception {
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

  @Test
  void fiveThousandStatementChainAgreesWithTheInterpreter() throws Exception {
    StringBuilder s = new StringBuilder("model Chain5000 {\n  input x\n  param w\n  v1 = x w + 1\n");
    for (int k = 2; k <= 5000; k++) s.append("  v").append(k).append(" = v").append(k - 1).append(" w + 1\n");
    s.append("}\n");
    dev.nnc.Result r = Pipeline.compile("chain5000.nn", s.toString(), "");
    String code = r.files().get(0).content();
    assertTrue(code.contains("private void forwardPart2()"));
    // 84 forward parts: spread over inner classes of PartGroups.PARTS_PER_CLASS, each with its own constant pool.
    assertTrue(code.contains("private final class ForwardParts9 {") && !code.contains("ForwardParts10 {"), "9 groups");
    assertTrue(code.contains("forwardParts1.forwardPart1();"), "forward calls the parts through their group");
    Class<?> c = Javac.load(r.files().get(0));
    Agreement.check(r.derivatives().get(0), c, java.util.Map.of(), 5, (rnd, leaf) -> 0.5 + 0.49 * rnd.nextDouble());
  }

  @Test
  void aThousandParamsSplitInitializeAndStep() throws Exception {
    StringBuilder s = new StringBuilder("s1 = p1²\n");
    for (int k = 2; k <= 1000; k++) s.append("s").append(k).append(" = s").append(k - 1).append(" + p").append(k)
        .append("²\n");
    dev.nnc.Result r = Pipeline.compile("many_params.nn", s.toString(), "");
    String code = r.files().get(0).content();
    assertTrue(code.contains("private void stepPart2(double learningRate)"), "step is split");
    assertTrue(code.contains("private void initializePart2(SplittableRandom rng)"), "initialize is split");
    Pipeline.compileAndAgree(java.util.List.of(r), 9);
  }

  @Test
  void manyTensorBuffersSplitTheConstructor() throws Exception {
    StringBuilder s = new StringBuilder("model Wide {\n  input x[n]\n  param w[n]\n  v1 = x * w\n");
    for (int k = 2; k <= 170; k++) s.append("  v").append(k).append(" = tanh(v").append(k - 1).append(") * w\n");
    s.append("  L = sum(v170)\n}\n");
    dev.nnc.Result r = Pipeline.compile("wide.nn", s.toString(), "");
    assertTrue(r.files().get(0).content().contains("private void allocatePart2()"), "allocation is split");
    Pipeline.compileAndAgree(java.util.List.of(r), 13);
  }
}
