package dev.nnc.examples.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Spark in local mode with two worker threads ({@code local[2]}): data-parallel training over two partitions must
 * give the params single-machine training gives on the same batches — equal up to the rounding of summing the
 * gradient in another order — and so the same accuracy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataParallelTrainingTest {
  private static final int STEPS = 150;
  private static final int ROWS_PER_PARTITION = 50;
  private static final double LEARNING_RATE = 0.5;

  private JavaSparkContext sc;
  private SparkTraining.Split split;

  @BeforeAll
  void start() throws Exception {
    split = SparkTraining.Split.of(Digits.read(System.getProperty("nnc.digits")), 8000);
    sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("nnc-test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1"));
  }

  @AfterAll
  void stop() {
    if (sc != null) sc.close();
  }

  @Test
  void sparkTrainingEqualsSingleMachineTrainingOnTheSameBatches() {
    JavaRDD<Shard> shards = SparkTraining.shards(sc, split.train(), 2);
    List<Shard> local = shards.collect();
    assertEquals(2, local.size(), "one shard per partition");
    assertEquals(8000, local.get(0).size() + local.get(1).size());

    double[] initial = SparkTraining.initialParams();
    long t0 = System.nanoTime();
    double[] spark = DataParallelTraining.train(sc, shards, initial, STEPS, ROWS_PER_PARTITION, LEARNING_RATE);
    long t1 = System.nanoTime();
    double[] single = DataParallelTraining.trainLocally(local, initial, STEPS, ROWS_PER_PARTITION, LEARNING_RATE);
    long t2 = System.nanoTime();
    System.out.printf("%d steps: Spark local[2] %.1f ms/step, one machine %.1f ms/step%n", STEPS,
        (t1 - t0) / 1e6 / STEPS, (t2 - t1) / 1e6 / STEPS);

    double worst = 0;
    double moved = 0;
    for (int i = 0; i < spark.length; i++) {
      worst = Math.max(worst, Math.abs(spark[i] - single[i]) / (1 + Math.abs(single[i])));
      moved = Math.max(moved, Math.abs(single[i] - initial[i]));
    }
    assertTrue(moved > 0.1, "training moved the params: largest change " + moved);
    assertTrue(worst < 1e-9, "largest relative difference Spark vs one machine: " + worst);

    double sparkAccuracy = DataParallelTraining.accuracy(spark, split.test());
    double singleAccuracy = DataParallelTraining.accuracy(single, split.test());
    System.out.printf("params differ by at most %.3e (relative); test accuracy Spark %.4f, one machine %.4f%n",
        worst, sparkAccuracy, singleAccuracy);
    assertEquals(singleAccuracy, sparkAccuracy, 1.0 / split.test().size(), "at most one test digit apart");
    assertTrue(sparkAccuracy > 0.75, "test accuracy " + sparkAccuracy);
  }
}
