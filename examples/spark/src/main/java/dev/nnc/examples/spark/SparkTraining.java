package dev.nnc.examples.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * Trains the two-layer network on the bundled digits with Spark:
 * {@code spark-submit --class dev.nnc.examples.spark.SparkTraining nnc-spark-example.jar DIGITS [STEPS] [BATCH] [LR]}
 * (the master comes from spark-submit; see docs/scale.md). Prints the test accuracy.
 */
public final class SparkTraining {
  static final long SEED = 20261130L;

  private SparkTraining() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: SparkTraining DIGITS_PREFIX [STEPS] [ROWS_PER_PARTITION] [LEARNING_RATE]");
      System.exit(2);
    }
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    double learningRate = args.length > 3 ? Double.parseDouble(args[3]) : 0.5;
    Split split = Split.of(Digits.read(args[0]), 8000);
    try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("nnc data-parallel training"))) {
      JavaRDD<Shard> shards = shards(sc, split.train(), sc.defaultParallelism());
      double[] params = DataParallelTraining.train(sc, shards, initialParams(), steps, batch, learningRate);
      System.out.printf("test accuracy %.4f after %d steps of %d rows on %d partitions%n",
          DataParallelTraining.accuracy(params, split.test()), steps, batch * shards.getNumPartitions(),
          shards.getNumPartitions());
    }
  }

  static double[] initialParams() {
    return DataParallelTraining.params(new TwoLayerNet(1).initialize(SEED));
  }

  /** The rows as an RDD of {@code partitions} slices, each turned into one cached {@link Shard}. */
  static JavaRDD<Shard> shards(JavaSparkContext sc, Digits digits, int partitions) {
    List<Digit> rows = new ArrayList<>();
    for (int i = 0; i < digits.size(); i++) rows.add(new Digit(digits.pixels()[i], digits.labels()[i]));
    JavaRDD<Shard> shards = sc.parallelize(rows, partitions)
        .glom()
        .map(SparkTraining::shard)
        .persist(StorageLevel.MEMORY_AND_DISK());
    // Cut the lineage: otherwise every step's tasks would carry the parallelized rows again (24 MB per task).
    shards.rdd().localCheckpoint();
    shards.count();
    return shards;
  }

  private static Shard shard(List<Digit> rows) {
    double[][] pixels = new double[rows.size()][];
    int[] labels = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      pixels[i] = rows.get(i).pixels();
      labels[i] = rows.get(i).label();
    }
    return new Shard(pixels, labels);
  }

  /** A seeded shuffle of the digits (the files are sorted by label) cut into training and test rows. */
  record Split(Digits train, Digits test) {
    static Split of(Digits all, int trainRows) {
      int n = all.size();
      int[] order = new int[n];
      for (int i = 0; i < n; i++) order[i] = i;
      SplittableRandom random = new SplittableRandom(SEED);
      for (int i = n - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int k = order[i];
        order[i] = order[j];
        order[j] = k;
      }
      return new Split(pick(all, order, 0, trainRows), pick(all, order, trainRows, n));
    }

    private static Digits pick(Digits all, int[] order, int from, int to) {
      double[][] pixels = new double[to - from][];
      int[] labels = new int[to - from];
      for (int i = from; i < to; i++) {
        pixels[i - from] = all.pixels()[order[i]];
        labels[i - from] = all.labels()[order[i]];
      }
      return new Digits(pixels, labels);
    }
  }
}
