package dev.nnc.examples.spark;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel SGD with the generated class and its gradient-aggregation API: each step broadcasts
 * the params ({@code paramsTo}), every partition adds its weighted gradient ({@link Shard#addGradient}, with
 * {@code paramsFrom} and {@code addGradientsTo}), {@code treeAggregate} sums the partitions' vectors with
 * {@code TwoLayerNet::addGradients}, and the driver applies the sum with {@code gradientsFrom} and one {@code step}.
 */
final class DataParallelTraining {
  private DataParallelTraining() {}

  /** Rows per partition per step; the step's batch is {@code partitions · batch} rows. */
  static double[] train(JavaSparkContext sc, JavaRDD<Shard> shards, double[] initial, int steps, int batch,
      double learningRate) {
    int rowsInStep = shards.getNumPartitions() * batch;
    TwoLayerNet driver = new TwoLayerNet(1);
    driver.paramsFrom(initial);
    for (int s = 0; s < steps; s++) {
      int step = s;
      Broadcast<double[]> params = sc.broadcast(params(driver)); // a new array: in local mode tasks share it
      double[] sum = shards.treeAggregate(new double[driver.paramCount()],
          (acc, shard) -> shard.addGradient(acc, params.value(), step, batch, rowsInStep),
          TwoLayerNet::addGradients, 2);
      params.destroy();
      driver.gradientsFrom(sum);
      driver.step(learningRate);
    }
    return params(driver);
  }

  static double[] params(TwoLayerNet net) {
    double[] flat = new double[net.paramCount()];
    net.paramsTo(flat);
    return flat;
  }

  /** The same steps on one machine: one model over the whole step's batch (each shard's rows, in shard order). */
  static double[] trainLocally(List<Shard> shards, double[] initial, int steps, int batch, double learningRate) {
    int rows = shards.size() * batch;
    TwoLayerNet net = new TwoLayerNet(rows);
    net.paramsFrom(initial);
    double[] x = new double[rows * Digits.PIXELS];
    double[] t = new double[rows * TwoLayerNet.O];
    double[] xs = new double[batch * Digits.PIXELS];
    double[] ts = new double[batch * TwoLayerNet.O];
    for (int s = 0; s < steps; s++) {
      for (int p = 0; p < shards.size(); p++) {
        shards.get(p).batch(s, batch, xs, ts);
        System.arraycopy(xs, 0, x, p * xs.length, xs.length);
        System.arraycopy(ts, 0, t, p * ts.length, ts.length);
      }
      net.forward(x, t);
      net.backward();
      net.step(learningRate);
    }
    return params(net);
  }

  /** The share of {@code digits} the params classify right (forward needs targets; the loss is not used). */
  static double accuracy(double[] params, Digits digits) {
    int n = digits.size();
    TwoLayerNet net = new TwoLayerNet(n);
    net.paramsFrom(params);
    double[] x = new double[n * Digits.PIXELS];
    double[] t = new double[n * TwoLayerNet.O];
    for (int r = 0; r < n; r++) {
      System.arraycopy(digits.pixels()[r], 0, x, r * Digits.PIXELS, Digits.PIXELS);
      t[r * TwoLayerNet.O + digits.labels()[r]] = 1;
    }
    net.forward(x, t);
    int right = 0;
    for (int r = 0; r < n; r++) {
      int best = 0;
      for (int k = 1; k < TwoLayerNet.O; k++) if (net.Y[r * TwoLayerNet.O + k] > net.Y[r * TwoLayerNet.O + best]) best = k;
      if (best == digits.labels()[r]) right++;
    }
    return (double) right / n;
  }
}
