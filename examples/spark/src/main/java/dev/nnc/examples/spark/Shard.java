package dev.nnc.examples.spark;

import java.io.Serializable;

/**
 * The digits of one partition. Step {@code s} uses its rows {@code s·batch … s·batch + batch − 1} (wrapping
 * around), so every partition contributes the same number of rows to every step. The model object is made on the
 * worker on first use and kept with the cached partition: a step allocates only the gradient it returns.
 */
final class Shard implements Serializable {
  private static final long serialVersionUID = 1L;

  final double[][] pixels;
  final int[] labels;
  private transient TwoLayerNet net;
  private transient double[] x;
  private transient double[] t;

  Shard(double[][] pixels, int[] labels) {
    this.pixels = pixels;
    this.labels = labels;
  }

  int size() {
    return labels.length;
  }

  /** Fills {@code x} and {@code t} (one-hot) with the rows step {@code step} uses, {@code batch} of them. */
  void batch(int step, int batch, double[] x, double[] t) {
    java.util.Arrays.fill(t, 0);
    for (int r = 0; r < batch; r++) {
      int row = (int) (((long) step * batch + r) % size());
      System.arraycopy(pixels[row], 0, x, r * Digits.PIXELS, Digits.PIXELS);
      t[r * TwoLayerNet.O + labels[row]] = 1;
    }
  }

  /**
   * Adds to {@code sum} this shard's share of the gradient at {@code params} over step {@code step}'s whole
   * batch: the gradient of its mean loss over its {@code batch} rows, weighted by {@code batch / rowsInStep}.
   * Summed over the shards, that is the gradient of the mean loss over all the step's rows.
   */
  double[] addGradient(double[] sum, double[] params, int step, int batch, int rowsInStep) {
    if (net == null || net.B != batch) {
      net = new TwoLayerNet(batch);
      x = new double[batch * Digits.PIXELS];
      t = new double[batch * TwoLayerNet.O];
    }
    net.paramsFrom(params);
    batch(step, batch, x, t);
    net.forward(x, t);
    net.backward();
    net.addGradientsTo(sum, batch / (double) rowsInStep);
    return sum;
  }
}
