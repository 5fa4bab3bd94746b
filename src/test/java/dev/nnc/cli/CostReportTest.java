package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.codegen.Api;
import dev.nnc.codegen.MemoryPlan;
import dev.nnc.codegen.OperationCounts;
import dev.nnc.codegen.Precision;
import dev.nnc.diag.Source;
import dev.nnc.train.InMemoryJavac;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc compile --report}: its figures against ones computed here by hand from the models' shapes (operation
 * counts, FLOPs) and from the generated class itself (bytes kept, by reflection), and its option errors.
 */
class CostReportTest {
  private static final long B = 100;
  private static final long I = 784;
  private static final long H = 50;
  private static final long O = 10;

  private static CostReport.Figures figures(String example, Map<String, Integer> dims, Precision precision)
      throws Exception {
    Path file = Path.of("examples", example);
    Source source = Source.fromBytes(file.toString(), Files.readAllBytes(file));
    Result r = Compiler.compile(source, Compiler.Options.defaults().withPrecision(precision));
    return CostReport.figures(source, r, dims, precision, Api.FULL).get(0);
  }

  @Test
  void twoLayerNetAtBatch100() throws Exception {
    CostReport.Figures f = figures("two_layer_net.nn", Map.of("B", 100), Precision.FLOAT64);
    OperationCounts.Ops fw = f.ops().forward();
    OperationCounts.Ops bw = f.ops().backward();
    // forward X W1 and Z1 W2; backward Z1ᵀ·∂L/∂A2, ∂L/∂A2·W2ᵀ and Xᵀ·∂L/∂A1 (no ∂L/∂X: X is an input)
    assertEquals(B * (I * H + H * O), fw.multiplyAdds());
    assertEquals(B * (I * H + 2 * H * O), bw.multiplyAdds());
    assertEquals(2 * B * (2 * I * H + 3 * H * O), 2 * (fw.multiplyAdds() + bw.multiplyAdds()), "product FLOPs");
    // σ on B·H, softmax's exp and the loss's log on B·O each; the backward pass has none (∂Y/∂A2 reuses Y)
    assertEquals(B * H + 2 * B * O, fw.transcendental());
    assertEquals(0, bw.transcendental());
    long params = I * H + H + H * O + O;
    assertEquals(2 * params, f.ops().stepFlops());
    assertEquals(fw.flops() + bw.flops() + 2 * params, f.ops().trainingStepFlops());
    double ratio = (fw.flops() + bw.flops()) / (double) fw.flops();
    assertTrue(ratio > 1.9 && ratio < CostReport.OMEGA, "(forward + backward) / forward = " + ratio);

    Map<MemoryPlan.Kind, Long> bytes = f.bytes();
    assertEquals(8 * params, bytes.get(MemoryPlan.Kind.PARAM));
    assertEquals(8 * params, bytes.get(MemoryPlan.Kind.GRADIENT));
    assertEquals(8 * (2 * B * H + 2 * B * O), bytes.get(MemoryPlan.Kind.VALUE), "A1, Z1, A2, Y");
    assertEquals(null, bytes.get(MemoryPlan.Kind.INPUT), "X and T are the caller's");
    assertEquals(8 * (B * I + B * O), f.inputBytes());
    assertEquals(bytesKept("two_layer_net.nn", Precision.FLOAT64, 100), f.bytesKept(), "the class's own arrays");
    assertTrue(f.treeNodes() > f.graphNodes(), f.treeNodes() + " tree nodes, " + f.graphNodes() + " after CSE");
    assertTrue(f.simplifiedNodes() < f.graphNodes(), f.simplifiedNodes() + " after simplification");
  }

  @Test
  void mnistCnnConvolutionsAndFloat32Bytes() throws Exception {
    CostReport.Figures f = figures("mnist_cnn.nn", Map.of("B", 10), Precision.FLOAT32);
    long conv1 = 8 * 24 * 24 * 25;
    long conv2 = 16 * 8 * 8 * 200;
    long dense = 256 * 128 + 128 * 10;
    assertEquals(10 * (conv1 + conv2 + dense), f.ops().forward().multiplyAdds());
    // ∂L/∂K1 (no ∂L/∂X), ∂L/∂A1 and ∂L/∂K2, both dense layers' weight and input gradients
    assertEquals(10 * (conv1 + 2 * conv2 + 2 * dense), f.ops().backward().multiplyAdds());
    assertEquals(bytesKept("mnist_cnn.nn", Precision.FLOAT32, 10), f.bytesKept());
  }

  @Test
  void theCommandPrintsTheReport(@TempDir Path out) {
    CompileCommandTest.Run r = CompileCommandTest.nnc("compile", "examples/two_layer_net.nn", "-d", out.toString(),
        "--report", "--dim", "B=100");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("TwoLayerNet (float64, B = 100)"), r.out());
    assertTrue(r.out().contains("3,970,000") && r.out().contains("4,020,000"), r.out());
    assertTrue(r.out().contains("inputs: kept by reference"), r.out());
  }

  @Test
  void badSizesAreDiagnosed(@TempDir Path out) {
    String f = "examples/two_layer_net.nn";
    String d = out.toString();
    for (List<String> args : List.of(List.of("--report", "--dim", "B=0"), List.of("--report", "--dim", "B=x"),
        List.of("--report", "--dim", "B"), List.of("--report", "--dim", "B=100", "--dim", "Q=5"),
        List.of("--report"))) {
      String[] all = new String[4 + args.size()];
      all[0] = "compile";
      all[1] = f;
      all[2] = "-d";
      all[3] = d;
      for (int k = 0; k < args.size(); k++) all[4 + k] = args.get(k);
      CompileCommandTest.Run r = CompileCommandTest.nnc(all);
      assertEquals(1, r.status(), args + ": " + r.err());
      assertTrue(r.err().contains("[E0921]"), args + ": " + r.err());
    }
    CompileCommandTest.Run r = CompileCommandTest.nnc("compile", f, "-d", d, "--dim", "B=100");
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().contains("[E0922]"), r.err());
  }

  /** Bytes of the arrays a freshly constructed instance of the generated class holds (inputs are still null). */
  private static long bytesKept(String example, Precision precision, int batch) throws Exception {
    Path file = Path.of("examples", example);
    Result r = Compiler.compile(Source.fromBytes(file.toString(), Files.readAllBytes(file)),
        Compiler.Options.defaults().withPrecision(precision));
    Class<?> c = InMemoryJavac.compile(r.files()).loadClass(r.files().get(0).qualifiedName());
    Object model = c.getConstructor(int.class).newInstance(batch);
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    long n = 0;
    for (Field f : c.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) continue;
      f.setAccessible(true);
      Object v = f.get(model);
      if (v == null || !seen.add(v)) continue;
      if (v instanceof double[] a) n += 8L * a.length;
      if (v instanceof float[] a) n += 4L * a.length;
    }
    return n;
  }
}
