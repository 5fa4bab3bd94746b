package dev.nnc.bench;

import dev.nnc.train.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Real MNIST batches and the implementations under test, shared by the benchmarks and {@link CpuTimes}. */
public final class Fixture {
  public static final int BATCH = 100;
  public static final int BATCHES = 20;
  public static final double LEARNING_RATE = 0.1;

  /** {@code BATCHES} batches of {@code BATCH} digits each (pixels / 255), a seeded random sample of the data. */
  public final double[][] x = new double[BATCHES][];
  public final double[][] t = new double[BATCHES][];

  public Fixture() {
    Dataset d;
    String prefix = System.getProperty("nnc.data", "examples/data/mnist10k");
    try {
      d = Dataset.loadIdx(prefix);
    } catch (IOException e) {
      throw new IllegalStateException("run the benchmarks from the nnc directory (or set -Dnnc.data=PREFIX): " + e, e);
    }
    SplittableRandom r = new SplittableRandom(1);
    for (int k = 0; k < BATCHES; k++) {
      x[k] = new double[BATCH * d.featureCount()];
      t[k] = new double[BATCH * 10];
      for (int row = 0; row < BATCH; row++) {
        int item = r.nextInt(d.size());
        System.arraycopy(d.features(), item * d.featureCount(), x[k], row * d.featureCount(), d.featureCount());
        t[k][row * 10 + d.labels()[item]] = 1;
      }
    }
  }

  public static Net create(String impl) {
    return switch (impl) {
      case "generated" -> new GeneratedNet(Path.of(System.getProperty("nnc.model", "examples/two_layer_net.nn")), BATCH, 1);
      case "serial" -> new SeriousTwoLayerNet(BATCH, 1).initialize(1);
      case "parallel" -> new SeriousTwoLayerNet(BATCH, 2).initialize(1);
      case "naiveFlat" -> new NaiveFlatTwoLayerNet(BATCH).initialize(1);
      case "naiveRows" -> new NaiveRowsTwoLayerNet(BATCH).initialize(1);
      default -> throw new IllegalArgumentException("unknown implementation " + impl);
    };
  }
}
