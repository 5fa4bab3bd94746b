package dev.nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.cli.Main;
import dev.nnc.diag.Source;
import dev.nnc.ir.ModelIR;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The canonical examples of LANGUAGE.md §7, parsed, checked and lowered: their IR, shapes, leaves and dims. */
class ExampleLoweringTest {
  static ModelIR lower(String file) throws IOException {
    Path path = Path.of("examples", file);
    Source source = Source.fromBytes(path.toString(), Files.readAllBytes(path));
    Result result = Compiler.compile(source, Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    assertEquals(List.of(), result.diagnostics(), file);
    assertEquals(1, result.models().size(), file);
    return result.models().get(0);
  }

  private static String node(ModelIR ir, String name) {
    return IrText.of(ir.value(name).node()) + " : " + ir.value(name).node().shape();
  }

  private static List<String> names(List<ModelIR.Leaf> leaves) {
    List<String> out = new ArrayList<>();
    for (ModelIR.Leaf l : leaves) out.add(l.name() + l.var().shape());
    return out;
  }

  private static List<String> dims(ModelIR ir) {
    List<String> out = new ArrayList<>();
    for (ModelIR.DimInfo d : ir.dims()) out.add(d.name() + "=" + d.size());
    return out;
  }

  @Test
  void twoLayerNet() throws IOException {
    ModelIR ir = lower("two_layer_net.nn");
    assertEquals("TwoLayerNet", ir.name());
    assertEquals(List.of("B=-1", "I=784", "H=50", "O=10"), dims(ir));
    assertEquals(List.of("X[B, I]", "T[B, O]"), names(ir.inputs()));
    assertEquals(List.of("W1[I, H]", "b1[H]", "W2[H, O]", "b2[O]"), names(ir.params()));
    assertEquals(new ModelIR.Init(ModelIR.InitKind.NORMAL, 0, 0.01), ir.params().get(0).init());
    assertEquals(ModelIR.Init.ZEROS, ir.params().get(1).init());
    assertEquals("add(matmul(X,W1),bcast[1](b1→[B, H])) : [B, H]", node(ir, "A1"));
    assertEquals("X W1 + b1", ir.value("A1").sourceText());
    assertEquals("sigmoid(" + IrText.of(ir.value("A1").node()) + ") : [B, H]", node(ir, "Z1"));
    assertEquals("softmax@1(" + IrText.of(ir.value("A2").node()) + ") : [B, O]", node(ir, "Y"));
    String y = IrText.of(ir.value("Y").node());
    assertEquals("div(neg(sum[0, 1](mul(T,log(add(" + y + ",bcast[](1.0E-7→[B, O])))))),#B) : []", node(ir, "L"));
    assertEquals("L", ir.loss());
    assertEquals(List.of("Y"), ir.outputs());
    assertEquals(List.of("A1", "Z1", "A2", "Y", "L"), ir.values().stream().map(ModelIR.Value::name).toList());
  }

  @Test
  void computationGraphParamsInOrderOfAppearance() throws IOException {
    ModelIR ir = lower("computation_graph.nn");
    assertEquals(List.of("a[]", "b[]", "c[]"), names(ir.params()));
    assertEquals(List.of(), ir.inputs());
    assertEquals("mul(3,add(a,mul(b,c))) : []", node(ir, "J"));
    assertEquals("3(a + b c)", ir.value("J").sourceText());
    assertEquals("J", ir.loss());
  }

  @Test
  void apple() throws IOException {
    ModelIR ir = lower("apple.nn");
    assertEquals(List.of("apple[]", "apple_num[]", "tax[]"), names(ir.params()));
    assertEquals("mul(mul(apple,apple_num),tax) : []", node(ir, "price"));
  }

  @Test
  void logisticRegression() throws IOException {
    ModelIR ir = lower("logistic_regression.nn");
    assertEquals(List.of("n=-1"), dims(ir));
    assertEquals(List.of("x[n]", "y[]"), names(ir.inputs()));
    assertEquals(List.of("w[n]", "b[]"), names(ir.params()));
    assertEquals("add(matmul(w,x),b) : []", node(ir, "z"));
    String a = IrText.of(ir.value("a").node());
    assertEquals("sigmoid(" + IrText.of(ir.value("z").node()) + ") : []", node(ir, "a"));
    assertEquals("neg(add(mul(y,log(" + a + ")),mul(sub(1,y),log(sub(1," + a + "))))) : []", node(ir, "L"));
  }

  @Test
  void logisticRegressionBatch() throws IOException {
    ModelIR ir = lower("logistic_regression_batch.nn");
    assertEquals(List.of("n=-1", "m=-1"), dims(ir));
    assertEquals("add(matmul(w,X),bcast[](b→[m])) : [m]", node(ir, "Z"));
    String a = IrText.of(ir.value("A").node());
    assertEquals("div(neg(add(matmul(Y,log(" + a + ")),matmul(sub(bcast[](1→[m]),Y),log(sub(bcast[](1→[m])," + a
        + "))))),#m) : []", node(ir, "J"));
  }

  @Test
  void checkCommandAcceptsEveryExample() throws IOException {
    List<String> args = new ArrayList<>(List.of("check"));
    try (Stream<Path> files = Files.list(Path.of("examples"))) {
      files.filter(p -> p.toString().endsWith(".nn")).sorted().forEach(p -> args.add(p.toString()));
    }
    assertTrue(args.size() >= 6, "examples: " + args);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
    assertEquals(0, status);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("examples/two_layer_net.nn: ok (1 model)"), out.toString());
  }
}
