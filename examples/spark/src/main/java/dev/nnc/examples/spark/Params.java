package dev.nnc.examples.spark;

/**
 * The generated {@link TwoLayerNet}'s params and gradients as one flat vector, in declaration order
 * (W1, b1, W2, b2): what is broadcast to the workers and what treeAggregate sums.
 */
final class Params {
  static final int SIZE = TwoLayerNet.I * TwoLayerNet.H + TwoLayerNet.H + TwoLayerNet.H * TwoLayerNet.O
      + TwoLayerNet.O;

  private Params() {}

  static double[] of(TwoLayerNet net) {
    double[] flat = new double[SIZE];
    int at = 0;
    for (double[] p : new double[][] {net.W1, net.b1, net.W2, net.b2}) {
      System.arraycopy(p, 0, flat, at, p.length);
      at += p.length;
    }
    return flat;
  }

  static void load(double[] flat, TwoLayerNet net) {
    int at = 0;
    for (double[] p : new double[][] {net.W1, net.b1, net.W2, net.b2}) {
      System.arraycopy(flat, at, p, 0, p.length);
      at += p.length;
    }
  }

  /** Adds {@code scale}·(the gradients of the last backward) to {@code sum}. */
  static void addGradient(TwoLayerNet net, double scale, double[] sum) {
    int at = 0;
    for (double[] g : new double[][] {net.dW1, net.db1, net.dW2, net.db2}) {
      for (int i = 0; i < g.length; i++) sum[at + i] += scale * g[i];
      at += g.length;
    }
  }

  static void loadGradient(double[] flat, TwoLayerNet net) {
    int at = 0;
    for (double[] g : new double[][] {net.dW1, net.db1, net.dW2, net.db2}) {
      System.arraycopy(flat, at, g, 0, g.length);
      at += g.length;
    }
  }

  /** {@code a += b}, element by element; returns {@code a} (treeAggregate's combine). */
  static double[] add(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) a[i] += b[i];
    return a;
  }
}
