package dev.nnc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.codegen.GeneratedFile;
import dev.nnc.ir.Dim;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trainer driving classes that follow the generated-class contract, on a slice of the bundled digits. */
class TrainerTest {
  private static Dataset slice; // 3,000 digits of all classes

  static final ModelSpec TWO_LAYER = new ModelSpec("TwoLayerNet", List.of("B"),
      List.of(tensor("X", free("B"), fixed("I", 784)), tensor("T", free("B"), fixed("O", 10))),
      List.of(tensor("W1", fixed("I", 784), fixed("H", 50)), tensor("b1", fixed("H", 50)),
          tensor("W2", fixed("H", 50), fixed("O", 10)), tensor("b2", fixed("O", 10))),
      List.of(tensor("Y", free("B"), fixed("O", 10))));

  @BeforeAll
  static void load() throws IOException {
    Dataset all = Dataset.loadIdx("examples/data/mnist10k");
    slice = all.select(Trainer.permutation(all.size(), new SplittableRandom(42)), 0, 3000);
  }

  @Test
  void aFewHundredStepsLowerTheLossAndLiftAccuracyFarAboveChance() throws Exception {
    Binding binding = Binding.of(TWO_LAYER, slice, null, null);
    Trainer trainer = new Trainer(binding, HandWrittenTwoLayerNet.class, slice, new Trainer.Options(400, 50, 0.5, 7, 2000));
    List<Trainer.EpochReport> epochs = new ArrayList<>();
    Trainer.Summary summary = trainer.run(new Trainer.Listener() {
      @Override
      public void epoch(Trainer.EpochReport r) {
        epochs.add(r);
      }
    });
    assertEquals(10, epochs.size()); // 2,000 / 50 = 40 steps per epoch
    Trainer.EpochReport first = epochs.get(0);
    Trainer.EpochReport last = summary.last();
    assertEquals(400, last.iteration());
    // ln 10 = 2.30 is the loss of a uniform guess; the first epoch's mean is still close to it.
    assertTrue(first.trainLoss() > 1.5, () -> "first epoch loss " + first.trainLoss());
    assertTrue(last.trainLoss() < 0.6 * first.trainLoss(), () -> "loss " + first.trainLoss() + " → " + last.trainLoss());
    assertTrue(last.test().loss() < first.test().loss());
    assertTrue(last.test().accuracy() > 0.75, () -> "test accuracy " + last.test().accuracy()); // chance: 0.1
    assertTrue(last.train().accuracy() > 0.75, () -> "train accuracy " + last.train().accuracy());
    assertTrue(summary.msPerStep() > 0);
  }

  @Test
  void theSplitIsASeededPermutationAndDisjoint() {
    Trainer a = new Trainer(bindingOrThrow(), HandWrittenTwoLayerNet.class, slice, new Trainer.Options(1, 10, 0.1, 3, 2500));
    Trainer b = new Trainer(bindingOrThrow(), HandWrittenTwoLayerNet.class, slice, new Trainer.Options(1, 10, 0.1, 3, 2500));
    Trainer c = new Trainer(bindingOrThrow(), HandWrittenTwoLayerNet.class, slice, new Trainer.Options(1, 10, 0.1, 4, 2500));
    assertEquals(2500, a.trainSet().size());
    assertEquals(500, a.testSet().size());
    assertEquals(java.util.Arrays.toString(a.testSet().labels()), java.util.Arrays.toString(b.testSet().labels()));
    assertNotEquals(java.util.Arrays.toString(a.testSet().labels()), java.util.Arrays.toString(c.testSet().labels()));
    // every class lands in the test set: the sorted file was permuted before splitting
    int[] counts = new int[10];
    for (int label : a.testSet().labels()) counts[label]++;
    for (int k = 0; k < 10; k++) assertTrue(counts[k] > 20, "class " + k + " has " + counts[k] + " test examples");
  }

  @Test
  void aModelCompiledInMemoryTrains() throws Exception {
    ClassLoader loader = InMemoryJavac.compile(List.of(new GeneratedFile("nnc.test", "SoftmaxRegression", SOFTMAX)));
    Class<?> c = loader.loadClass("nnc.test.SoftmaxRegression");
    assertNotSame(ClassLoader.getSystemClassLoader(), c.getClassLoader());
    java.security.CodeSource where = c.getProtectionDomain().getCodeSource();
    assertTrue(where == null || where.getLocation() == null, "defined from bytes in memory, not from a file: " + where);
    ModelSpec spec = new ModelSpec("SoftmaxRegression", List.of("n", "d"),
        List.of(tensor("x", free("n"), free("d")), tensor("t", free("n"), fixed(null, 10))),
        List.of(tensor("w", free("d"), fixed(null, 10))), List.of(tensor("y", free("n"), fixed(null, 10))));
    Binding binding = Binding.of(spec, slice, null, null);
    assertEquals(784, binding.featureWidth());
    Trainer.Summary s = new Trainer(binding, c, slice, new Trainer.Options(200, 50, 0.5, 1, 2000)).run(new Trainer.Listener() {});
    assertTrue(s.last().test().accuracy() > 0.75, () -> "accuracy " + s.last().test().accuracy());
  }

  @Test
  void javacErrorsAreReportedWithTheirLine() {
    InMemoryJavac.CompileException e = assertThrows(InMemoryJavac.CompileException.class,
        () -> InMemoryJavac.compile(List.of(new GeneratedFile("", "Broken", "public final class Broken {\n int x = ;\n}\n"))));
    assertTrue(e.getMessage().contains("Broken.java:2: illegal start of expression"), e.getMessage());
  }

  @Test
  void bindingErrorsSayWhatDoesNotFit() {
    ModelSpec narrow = new ModelSpec("M", List.of("B"),
        List.of(tensor("X", free("B"), fixed("I", 100)), tensor("T", free("B"), fixed("O", 10))), List.of(), List.of());
    assertMessage("X[B, I] has width 100 but each item has 784 features", narrow, null, null);
    assertMessage("--features Q: model M has no such input (its inputs: X, T)", narrow, "Q", null);
    assertMessage("--features and --targets both name input X", narrow, "X", "X");
    ModelSpec fewClasses = new ModelSpec("M", List.of("B"),
        List.of(tensor("X", free("B"), fixed("I", 784)), tensor("T", free("B"), fixed("O", 5))), List.of(), List.of());
    assertMessage("T[B, O] has width 5 but the labels go up to 9", fewClasses, null, null);
    ModelSpec one = new ModelSpec("M", List.of(), List.of(tensor("x", fixed(null, 3))), List.of(), List.of());
    assertMessage("model M has 1 input(s); training needs two", one, null, null);
    ModelSpec fixedBatch = new ModelSpec("M", List.of(),
        List.of(tensor("X", fixed(null, 100), fixed("I", 784)), tensor("T", fixed(null, 100), fixed("O", 10))),
        List.of(), List.of());
    assertMessage("the first axis of features input X[100, I] must be a free dim", fixedBatch, null, null);
  }

  private static void assertMessage(String prefix, ModelSpec spec, String features, String targets) {
    Binding.BindingException e =
        assertThrows(Binding.BindingException.class, () -> Binding.of(spec, slice, features, targets));
    assertTrue(e.getMessage().startsWith(prefix), () -> "got: " + e.getMessage());
  }

  private static Binding bindingOrThrow() {
    try {
      return Binding.of(TWO_LAYER, slice, null, null);
    } catch (Binding.BindingException e) {
      throw new AssertionError(e);
    }
  }

  static ModelSpec.Tensor tensor(String name, Dim... axes) {
    return new ModelSpec.Tensor(name, name, List.of(axes));
  }

  static Dim free(String name) {
    return Dim.free(name);
  }

  static Dim fixed(String name, int size) {
    return new Dim(name, size);
  }

  /** A contract-following class as a source string: multinomial logistic regression with two free dims. */
  private static final String SOFTMAX = """
      package nnc.test;

      public final class SoftmaxRegression {
        public final int n, d;
        public final double[] w, dw, y;
        private double[] x, t;
        public double L;

        public SoftmaxRegression(int n, int d) {
          this.n = n;
          this.d = d;
          w = new double[d * 10];
          dw = new double[d * 10];
          y = new double[n * 10];
        }

        public SoftmaxRegression initialize(long seed) {
          return this;
        }

        public double forward(double[] x, double[] t) {
          if (x.length != n * d) throw new IllegalArgumentException("x: expected " + n * d + ", got " + x.length);
          this.x = x;
          this.t = t;
          double loss = 0;
          for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int o = 0; o < 10; o++) {
              double s = 0;
              for (int k = 0; k < d; k++) s += x[r * d + k] * w[k * 10 + o];
              y[r * 10 + o] = s;
              max = Math.max(max, s);
            }
            double sum = 0;
            for (int o = 0; o < 10; o++) sum += y[r * 10 + o] = Math.exp(y[r * 10 + o] - max);
            for (int o = 0; o < 10; o++) {
              y[r * 10 + o] /= sum;
              loss -= t[r * 10 + o] * Math.log(y[r * 10 + o] + 1e-7);
            }
          }
          return L = loss / n;
        }

        public void backward() {
          java.util.Arrays.fill(dw, 0);
          for (int r = 0; r < n; r++)
            for (int k = 0; k < d; k++)
              for (int o = 0; o < 10; o++) dw[k * 10 + o] += x[r * d + k] * (y[r * 10 + o] - t[r * 10 + o]) / n;
        }

        public void step(double lr) {
          for (int i = 0; i < w.length; i++) w[i] -= lr * dw[i];
        }
      }
      """;
}
