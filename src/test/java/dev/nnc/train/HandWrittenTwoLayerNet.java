package dev.nnc.train;

import java.util.SplittableRandom;

/**
 * examples/two_layer_net.nn written by hand after the generated-class contract (LANGUAGE.md §8), with plain
 * i-k-j loops: the stand-in the trainer tests drive, so they do not depend on the code generator.
 */
public final class HandWrittenTwoLayerNet {
  public static final int I = 784, H = 50, O = 10;
  public final int B;
  public final double[] W1 = new double[I * H], b1 = new double[H], W2 = new double[H * O], b2 = new double[O];
  public final double[] dW1 = new double[I * H], db1 = new double[H], dW2 = new double[H * O], db2 = new double[O];
  public final double[] A1, Z1, A2, Y;
  public double L;
  private final double[] dA1, dA2;
  private double[] X, T;

  public HandWrittenTwoLayerNet(int B) {
    if (B <= 0) throw new IllegalArgumentException("B must be positive, got " + B);
    this.B = B;
    A1 = new double[B * H];
    Z1 = new double[B * H];
    A2 = new double[B * O];
    Y = new double[B * O];
    dA1 = new double[B * H];
    dA2 = new double[B * O];
  }

  public HandWrittenTwoLayerNet initialize(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < W1.length; i++) W1[i] = 0.01 * gaussian(r);
    for (int i = 0; i < W2.length; i++) W2[i] = 0.01 * gaussian(r);
    java.util.Arrays.fill(b1, 0);
    java.util.Arrays.fill(b2, 0);
    return this;
  }

  private static double gaussian(SplittableRandom r) { // Box–Muller; SplittableRandom has no nextGaussian on 17
    double u = 1.0 - r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  public double forward(double[] X, double[] T) {
    if (X.length != B * I) throw new IllegalArgumentException("X: expected " + B * I + " values, got " + X.length);
    if (T.length != B * O) throw new IllegalArgumentException("T: expected " + B * O + " values, got " + T.length);
    this.X = X;
    this.T = T;
    for (int b = 0; b < B; b++) {
      for (int h = 0; h < H; h++) A1[b * H + h] = b1[h];
      for (int k = 0; k < I; k++) {
        double x = X[b * I + k];
        for (int h = 0; h < H; h++) A1[b * H + h] += x * W1[k * H + h];
      }
      for (int h = 0; h < H; h++) Z1[b * H + h] = 1 / (1 + Math.exp(-A1[b * H + h]));
      for (int o = 0; o < O; o++) A2[b * O + o] = b2[o];
      for (int h = 0; h < H; h++) {
        double z = Z1[b * H + h];
        for (int o = 0; o < O; o++) A2[b * O + o] += z * W2[h * O + o];
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int o = 0; o < O; o++) max = Math.max(max, A2[b * O + o]);
      double sum = 0;
      for (int o = 0; o < O; o++) sum += Y[b * O + o] = Math.exp(A2[b * O + o] - max);
      for (int o = 0; o < O; o++) Y[b * O + o] /= sum;
    }
    double l = 0;
    for (int i = 0; i < B * O; i++) l -= T[i] * Math.log(Y[i] + 1e-7);
    return L = l / B;
  }

  public void backward() {
    // ∂L/∂Y = −T / (Y + 1e-7) / B; through softmax: ∂L/∂A2 = Y ⊙ (∂L/∂Y − Σ_o ∂L/∂Y_o · Y_o)
    for (int b = 0; b < B; b++) {
      double dot = 0;
      for (int o = 0; o < O; o++) dot += -T[b * O + o] / (Y[b * O + o] + 1e-7) / B * Y[b * O + o];
      for (int o = 0; o < O; o++) {
        double dy = -T[b * O + o] / (Y[b * O + o] + 1e-7) / B;
        dA2[b * O + o] = Y[b * O + o] * (dy - dot);
      }
    }
    java.util.Arrays.fill(dW2, 0);
    java.util.Arrays.fill(db2, 0);
    java.util.Arrays.fill(dW1, 0);
    java.util.Arrays.fill(db1, 0);
    for (int b = 0; b < B; b++) {
      for (int o = 0; o < O; o++) db2[o] += dA2[b * O + o];
      for (int h = 0; h < H; h++) {
        double z = Z1[b * H + h];
        double dz = 0;
        for (int o = 0; o < O; o++) {
          dW2[h * O + o] += z * dA2[b * O + o];
          dz += dA2[b * O + o] * W2[h * O + o];
        }
        dA1[b * H + h] = dz * z * (1 - z);
        db1[h] += dA1[b * H + h];
      }
      for (int k = 0; k < I; k++) {
        double x = X[b * I + k];
        for (int h = 0; h < H; h++) dW1[k * H + h] += x * dA1[b * H + h];
      }
    }
  }

  public void step(double learningRate) {
    for (int i = 0; i < W1.length; i++) W1[i] -= learningRate * dW1[i];
    for (int i = 0; i < b1.length; i++) b1[i] -= learningRate * db1[i];
    for (int i = 0; i < W2.length; i++) W2[i] -= learningRate * dW2[i];
    for (int i = 0; i < b2.length; i++) b2[i] -= learningRate * db2[i];
  }
}
