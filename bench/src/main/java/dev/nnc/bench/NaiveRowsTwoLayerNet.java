package dev.nnc.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The straightforward version with {@code double[][]} matrices (one array per row) and i-k-j loops, single
 * threaded. Same arithmetic as {@link NaiveFlatTwoLayerNet}; on JDK 17 the row form's inner loops vectorise, the
 * flat form's do not (see docs/performance.md).
 */
public final class NaiveRowsTwoLayerNet implements Net {
  static final int I = 784, H = 50, O = 10;
  final int B;
  final double[][] W1 = new double[I][H], W2 = new double[H][O], dW1 = new double[I][H], dW2 = new double[H][O];
  final double[] b1 = new double[H], b2 = new double[O], db1 = new double[H], db2 = new double[O];
  final double[][] A1, Z1, A2, Y, dA1, dA2;
  double[] X, T;

  public NaiveRowsTwoLayerNet(int B) {
    this.B = B;
    A1 = new double[B][H];
    Z1 = new double[B][H];
    A2 = new double[B][O];
    Y = new double[B][O];
    dA1 = new double[B][H];
    dA2 = new double[B][O];
  }

  public NaiveRowsTwoLayerNet initialize(long seed) {
    double[] w1 = new double[I * H];
    double[] w2 = new double[H * O];
    Init.normal(w1, 0.01, new SplittableRandom(seed));
    Init.normal(w2, 0.01, new SplittableRandom(seed + 1));
    for (int k = 0; k < I; k++) System.arraycopy(w1, k * H, W1[k], 0, H);
    for (int h = 0; h < H; h++) System.arraycopy(w2, h * O, W2[h], 0, O);
    return this;
  }

  @Override
  public double forward(double[] X, double[] T) {
    this.X = X;
    this.T = T;
    double l = 0;
    for (int b = 0; b < B; b++) {
      double[] a1 = A1[b], z1 = Z1[b], a2 = A2[b], y = Y[b];
      System.arraycopy(b1, 0, a1, 0, H);
      for (int k = 0; k < I; k++) {
        double x = X[b * I + k];
        double[] w = W1[k];
        for (int h = 0; h < H; h++) a1[h] += x * w[h];
      }
      for (int h = 0; h < H; h++) z1[h] = 1 / (1 + Math.exp(-a1[h]));
      System.arraycopy(b2, 0, a2, 0, O);
      for (int h = 0; h < H; h++) {
        double z = z1[h];
        double[] w = W2[h];
        for (int o = 0; o < O; o++) a2[o] += z * w[o];
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int o = 0; o < O; o++) max = Math.max(max, a2[o]);
      double sum = 0;
      for (int o = 0; o < O; o++) sum += y[o] = Math.exp(a2[o] - max);
      for (int o = 0; o < O; o++) {
        y[o] /= sum;
        l -= T[b * O + o] * Math.log(y[o] + 1e-7);
      }
    }
    return l / B;
  }

  @Override
  public void backward() {
    for (double[] r : dW1) Arrays.fill(r, 0);
    for (double[] r : dW2) Arrays.fill(r, 0);
    Arrays.fill(db1, 0);
    Arrays.fill(db2, 0);
    for (int b = 0; b < B; b++) {
      double[] y = Y[b], da2 = dA2[b], da1 = dA1[b], z1 = Z1[b];
      double dot = 0;
      for (int o = 0; o < O; o++) dot += -T[b * O + o] / (y[o] + 1e-7) / B * y[o];
      for (int o = 0; o < O; o++) da2[o] = y[o] * (-T[b * O + o] / (y[o] + 1e-7) / B - dot);
      for (int o = 0; o < O; o++) db2[o] += da2[o];
      for (int h = 0; h < H; h++) {
        double z = z1[h];
        double[] w = W2[h], dw = dW2[h];
        double dz = 0;
        for (int o = 0; o < O; o++) {
          dw[o] += z * da2[o];
          dz += da2[o] * w[o];
        }
        da1[h] = dz * z * (1 - z);
      }
      for (int h = 0; h < H; h++) db1[h] += da1[h];
      for (int k = 0; k < I; k++) {
        double x = X[b * I + k];
        double[] dw = dW1[k];
        for (int h = 0; h < H; h++) dw[h] += x * da1[h];
      }
    }
  }

  @Override
  public void step(double lr) {
    for (int k = 0; k < I; k++) {
      double[] w = W1[k], dw = dW1[k];
      for (int h = 0; h < H; h++) w[h] -= lr * dw[h];
    }
    for (int h = 0; h < H; h++) {
      double[] w = W2[h], dw = dW2[h];
      for (int o = 0; o < O; o++) w[o] -= lr * dw[o];
    }
    for (int h = 0; h < H; h++) b1[h] -= lr * db1[h];
    for (int o = 0; o < O; o++) b2[o] -= lr * db2[o];
  }

  @Override
  public double[] param(String name) {
    throw new UnsupportedOperationException("row-array version: params are double[][]");
  }

  @Override
  public double[] grad(String name) {
    return switch (name) {
      case "W1" -> flat(dW1);
      case "W2" -> flat(dW2);
      case "b1" -> db1;
      case "b2" -> db2;
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static double[] flat(double[][] m) {
    double[] f = new double[m.length * m[0].length];
    for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, f, i * m[0].length, m[0].length);
    return f;
  }
}
