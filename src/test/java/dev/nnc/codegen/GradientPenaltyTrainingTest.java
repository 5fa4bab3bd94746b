package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import dev.nnc.cli.Main;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.NameTable;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gradient-penalty losses ({@code L2 = L + λ sum((∂L/∂X)²)}, LANGUAGE.md §10) trained by their generated classes: a
 * penalty on the gradient with respect to a param ({@code gradient_penalty.nn}) and one with respect to an input
 * ({@code input_penalty.nn}, a tanh network). From the params PyTorch recorded
 * ({@code src/test/python/record_derivatives_reference.py}, {@code create_graph=True}), the generated
 * {@code backward} gives PyTorch's ∂L2/∂param (1e-10), every step of plain gradient descent lowers L2, and 200 steps
 * take it well down; after training, {@code nnc gradcheck} passes on the model (entry by entry and in all three
 * modes along a direction, the generated {@code jvp} included).
 */
class GradientPenaltyTrainingTest {
  static String resource(String path) throws Exception {
    try (InputStream in = GradientPenaltyTrainingTest.class.getResourceAsStream("/derivatives/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gradient_penalty", "input_penalty"})
  void theGeneratedStepTrainsAGradientPenaltyAndGradcheckPasses(String file) throws Exception {
    Result r = Pipeline.compile(file + ".nn", resource(file + ".nn"), "");
    DiffModel dm = r.derivatives().get(0);
    ModelIR m = dm.model();
    NameTable names = m.names();
    Class<?> c = Javac.load(r.files().get(0));
    Map<String, double[]> torch = torchReference(m.name());
    Object model = c.getConstructor().newInstance(); // every dim of these models is fixed
    for (ModelIR.Leaf p : m.params()) Agreement.set(c, model, names.of(p).java(), torch.get(p.name()));
    List<Class<?>> types = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    for (ModelIR.Leaf in : m.inputs()) {
      types.add(double[].class);
      args.add(torch.get(in.name()).clone());
    }
    Method forward = c.getMethod("forward", types.toArray(new Class<?>[0]));
    Method backward = c.getMethod("backward");
    Method step = c.getMethod("step", double.class);

    double first = (double) forward.invoke(model, args.toArray());
    assertEquals(torch.get(m.loss())[0], first, 1e-10, "L2 as PyTorch computes it");
    backward.invoke(model);
    for (ModelIR.Leaf p : m.params()) {
      double[] want = torch.get("∂" + m.loss() + "/∂" + p.name());
      double[] got = Agreement.get(c, model, names.of(p).gradientJava());
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], got[i], 1e-10 * Math.max(1, Math.abs(want[i])), "∂L2/∂" + p.name() + "[" + i + "]");
      }
    }
    double last = first;
    for (int k = 0; k < 200; k++) {
      step.invoke(model, 0.1);
      double loss = (double) forward.invoke(model, args.toArray());
      assertTrue(loss < last, file + ": step " + (k + 1) + " raised L2 from " + last + " to " + loss);
      last = loss;
      backward.invoke(model);
    }
    assertTrue(last < 0.75 * first, file + ": 200 steps took L2 from " + first + " only to " + last);

    // nnc gradcheck on the model (at its own seeded random point): entries, and forward vs reverse vs numeric.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path nn = java.nio.file.Files.createTempFile(file, ".nn");
    try {
      java.nio.file.Files.writeString(nn, resource(file + ".nn"));
      int status = Main.run(new String[] {"gradcheck", nn.toString(), "--seed", "4"},
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      String text = out.toString(StandardCharsets.UTF_8);
      assertEquals(0, status, text + err.toString(StandardCharsets.UTF_8));
      assertTrue(text.contains("    forward mode, generated jvp() "), text);
      assertTrue(text.contains("  ok: "), text);
    } finally {
      java.nio.file.Files.deleteIfExists(nn);
    }
  }

  /** The recorded numbers of model {@code name}: "key" → values (params, inputs, L2, ∂L2/∂param). */
  static Map<String, double[]> torchReference(String name) throws Exception {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String line : resource("torch-reference.txt").split("\n")) {
      if (line.startsWith("#") || line.isBlank() || !line.startsWith(name + ".")) continue;
      int eq = line.indexOf(" = ");
      String[] f = line.substring(eq + 3).trim().split(" ");
      double[] v = new double[f.length];
      for (int i = 0; i < f.length; i++) v[i] = Double.parseDouble(f[i]);
      out.put(line.substring(name.length() + 1, eq), v);
    }
    return out;
  }
}
