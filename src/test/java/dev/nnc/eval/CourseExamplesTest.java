package dev.nnc.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Source;
import dev.nnc.diff.AdjointNames;
import dev.nnc.diff.DiffModel;
import dev.nnc.diff.Steps;
import dev.nnc.notation.MathPrinter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The course's worked examples through the whole pipeline (parse, check, lower, differentiate, simplify), evaluated
 * by the interpreter: the numbers of the course notes, and ∂L/∂z of logistic regression as the text {@code a − y}.
 */
class CourseExamplesTest {
  static DiffModel compile(String example) throws IOException {
    Path file = Path.of("examples", example);
    Result r = Compiler.compile(Source.fromBytes(file.toString(), Files.readAllBytes(file)),
        Compiler.Options.defaults().stopAfter(Compiler.Stage.DIFF));
    assertFalse(r.hasErrors(), r.diagnostics().toString());
    return r.derivatives().get(0);
  }

  static Map<String, double[]> values(Object... nameValue) {
    Map<String, double[]> v = new HashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      Object x = nameValue[i + 1];
      v.put((String) nameValue[i], x instanceof double[] d ? d : new double[] {((Number) x).doubleValue()});
    }
    return v;
  }

  static double[] at(DiffModel d, Map<String, double[]> values, String... names) {
    Interpreter in = Interpreter.forModel(d.model(), Map.of(), values);
    double[] out = new double[names.length + 1];
    out[0] = in.scalar(d.model().lossValue().node());
    for (int i = 0; i < names.length; i++) out[i + 1] = in.scalar(d.adjoint(names[i]).value());
    return out;
  }

  @Test
  void computationGraph() throws IOException {
    DiffModel d = compile("computation_graph.nn");
    assertEquals(List.of(33.0, 3.0, 6.0, 9.0), boxed(at(d, values("a", 5, "b", 3, "c", 2), "a", "b", "c")));
    assertEquals(List.of(45.0, 3.0, 6.0, 12.0), boxed(at(d, values("a", 7, "b", 4, "c", 2), "a", "b", "c")));
  }

  @Test
  void apple() throws IOException {
    DiffModel d = compile("apple.nn");
    double[] r = at(d, values("apple", 100, "apple_num", 2, "tax", 1.1), "apple", "apple_num", "tax");
    assertEquals(220, r[0], 1e-12);
    assertEquals(2.2, r[1], 1e-15);
    assertEquals(110, r[2], 1e-12);
    assertEquals(200, r[3], 1e-12);
  }

  @Test
  void logisticRegressionDzIsAMinusYAsText() throws IOException {
    DiffModel d = compile("logistic_regression.nn");
    String dz = MathPrinter.labelled(MathPrinter.Notation.UNICODE, AdjointNames.of(d, d.adjoint("z"))).printDefinition(d.adjoint("z").value());
    assertEquals("a − y", dz);
    assertEquals("∂L/∂a · a(1−a)", Steps.local(d, "z"));
  }

  @Test
  void everyExampleHasGradientsThatMatchCentralDifferences() throws IOException {
    for (String example : List.of("logistic_regression.nn", "logistic_regression_batch.nn", "two_layer_net.nn")) {
      DiffModel d = compile(example);
      Map<String, Integer> dims = new HashMap<>();
      for (var dim : d.model().dims()) if (dim.isFree()) dims.put(dim.name(), 3);
      Interpreter sizes = new Interpreter(d.model().graph(), dims);
      Map<String, double[]> v = new HashMap<>();
      java.util.SplittableRandom random = new java.util.SplittableRandom(example.hashCode());
      for (var leaf : d.model().inputs()) v.put(leaf.name(), random.doubles(sizes.size(leaf.var().shape()), 0.1, 0.9).toArray());
      for (var leaf : d.model().params()) v.put(leaf.name(), random.doubles(sizes.size(leaf.var().shape()), -0.1, 0.1).toArray());
      List<GradientCheck.Entry> entries = GradientCheck.check(d, dims, v, 6, 1);
      assertTrue(entries.size() >= 4);
      for (GradientCheck.Entry e : entries) {
        assertTrue(e.error() < 1e-6, example + " " + e.param().name() + "[" + e.index() + "]: " + e);
      }
    }
  }

  private static List<Double> boxed(double[] v) {
    return java.util.Arrays.stream(v).boxed().toList();
  }
}
