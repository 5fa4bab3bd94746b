package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated optimisers against torch.optim: 20 steps of small_net.nn (the two-layer network, small) from the same
 * params on the same batch, recorded by src/test/resources/realuse/record_torch.py with PyTorch 1.13 in float64;
 * every loss and every final param agree to 1e-10 relative.
 */
class OptimizersTest {
  static final Path DIR = Path.of("src/test/resources/realuse");
  static Class<?> net;
  static Map<String, double[]> recorded = new HashMap<>();

  @BeforeAll
  static void setUp() throws Exception {
    Result r = Pipeline.compile(DIR.resolve("small_net.nn"), "");
    net = Javac.compile(List.of(r.files().get(0))).loadClass("SmallNet");
    for (String line : Files.readAllLines(DIR.resolve("torch_trajectories.txt"))) {
      if (line.startsWith("#")) continue;
      String[] parts = line.split(" ");
      double[] v = new double[parts.length - 1];
      for (int k = 1; k < parts.length; k++) v[k - 1] = Double.parseDouble(parts[k]);
      recorded.put(parts[0], v);
    }
  }

  /** Calls the optimiser the way the recording configured torch.optim. */
  static void step(Object m, String optimiser) throws Exception {
    switch (optimiser) {
      case "sgd" -> net.getMethod("step", double.class).invoke(m, 0.5);
      case "momentum" -> net.getMethod("stepMomentum", double.class, double.class).invoke(m, 0.1, 0.9);
      case "nesterov" -> net.getMethod("stepMomentum", double.class, double.class, double.class, double.class,
          boolean.class).invoke(m, 0.1, 0.9, 0.0, 0.01, true);
      case "dampened" -> net.getMethod("stepMomentum", double.class, double.class, double.class, double.class,
          boolean.class).invoke(m, 0.1, 0.8, 0.3, 0.0, false);
      case "adam" -> net.getMethod("stepAdam", double.class).invoke(m, 0.01);
      case "adam_decay" -> net.getMethod("stepAdam", double.class, double.class, double.class, double.class,
          double.class).invoke(m, 0.02, 0.8, 0.99, 1e-6, 0.1);
      case "adamw" -> net.getMethod("stepAdamW", double.class).invoke(m, 0.01);
      case "adamw_decay" -> net.getMethod("stepAdamW", double.class, double.class, double.class, double.class,
          double.class).invoke(m, 0.02, 0.85, 0.995, 1e-7, 0.3);
      default -> throw new IllegalArgumentException(optimiser);
    }
  }

  static void assertClose(double expected, double actual, String what) {
    assertEquals(expected, actual, 1e-10 * Math.max(1e-3, Math.abs(expected)), what);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sgd", "momentum", "nesterov", "dampened", "adam", "adam_decay", "adamw", "adamw_decay"})
  void twentyStepsMatchTorchOptim(String optimiser) throws Exception {
    Object m = net.getConstructor(int.class).newInstance(4);
    net.getMethod("loadNpz", Path.class).invoke(m, DIR.resolve("small_net_f8.npz"));
    double[] x = recorded.get("X");
    double[] t = recorded.get("T");
    double[] losses = recorded.get("loss:" + optimiser);
    for (int s = 0; s < 20; s++) {
      double loss = (double) net.getMethod("forward", double[].class, double[].class).invoke(m, x, t);
      assertClose(losses[s], loss, optimiser + " loss before step " + (s + 1));
      net.getMethod("backward").invoke(m);
      step(m, optimiser);
    }
    double[] expected = recorded.get("params:" + optimiser);
    double[] actual = new double[expected.length];
    net.getMethod("paramsTo", double[].class).invoke(m, (Object) actual);
    double moved = 0;
    double[] start = new double[expected.length];
    Object fresh = net.getConstructor(int.class).newInstance(4);
    net.getMethod("loadNpz", Path.class).invoke(fresh, DIR.resolve("small_net_f8.npz"));
    net.getMethod("paramsTo", double[].class).invoke(fresh, (Object) start);
    for (int k = 0; k < expected.length; k++) {
      assertClose(expected[k], actual[k], optimiser + " param element " + k + " after 20 steps");
      moved = Math.max(moved, Math.abs(actual[k] - start[k]));
    }
    assertTrue(moved > 0.01, "the params moved");

    // After resetOptimizers the same optimiser starts over: 20 more steps from the recorded start repeat the path.
    net.getMethod("resetOptimizers").invoke(m);
    net.getMethod("paramsFrom", double[].class).invoke(m, (Object) start);
    for (int s = 0; s < 20; s++) {
      double loss = (double) net.getMethod("forward", double[].class, double[].class).invoke(m, x, t);
      assertClose(losses[s], loss, optimiser + " loss after reset, step " + (s + 1));
      net.getMethod("backward").invoke(m);
      step(m, optimiser);
    }
  }
}
