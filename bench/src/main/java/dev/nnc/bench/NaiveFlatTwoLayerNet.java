package dev.nnc.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The straightforward version: one flat row-major {@code double[]} per matrix and textbook i-k-j loops, single
 * threaded, no blocking. What a careful person writes first.
 */
public final class NaiveFlatTwoLayerNet implements Net {
  static final int I = 784, H = 50, O = 10;
  final int B;
  final double[] W1 = new double[I * H], b1 = new double[H], W2 = new double[H * O], b2 = new double[O];
  final double[] dW1 = new double[I * H], db1 = new double[H], dW2 = new double[H * O], db2 = new double[O];
  final double[] A1, Z1, A2, Y, dA1, dA2;
  double[] X, T;

  public NaiveFlatTwoLayerNet(int B) {
    this.B = B;
    A1 = new double[B * H];
    Z1 = new double[B * H];
    A2 = new double[B * O];
    Y = new double[B * O];
    dA1 = new double[B * H];
    dA2 = new double[B * O];
  }

  public NaiveFlatTwoLayerNet initialize(long seed) {
    Init.normal(W1, 0.01, new SplittableRandom(seed));
    Init.normal(W2, 0.01, new SplittableRandom(seed + 1));
    return this;
  }

  @Override
  public double forward(double[] X, double[] T) {
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
    return l / B;
  }

  @Override
  public void backward() {
    for (int b = 0; b < B; b++) {
      double dot = 0;
      for (int o = 0; o < O; o++) dot += -T[b * O + o] / (Y[b * O + o] + 1e-7) / B * Y[b * O + o];
      for (int o = 0; o < O; o++) dA2[b * O + o] = Y[b * O + o] * (-T[b * O + o] / (Y[b * O + o] + 1e-7) / B - dot);
    }
    Arrays.fill(dW2, 0);
    Arrays.fill(db2, 0);
    Arrays.fill(dW1, 0);
    Arrays.fill(db1, 0);
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

  @Override
  public void step(double lr) {
    for (int i = 0; i < W1.length; i++) W1[i] -= lr * dW1[i];
    for (int i = 0; i < b1.length; i++) b1[i] -= lr * db1[i];
    for (int i = 0; i < W2.length; i++) W2[i] -= lr * dW2[i];
    for (int i = 0; i < b2.length; i++) b2[i] -= lr * db2[i];
  }

  @Override
  public double[] param(String name) {
    return switch (name) {
      case "W1" -> W1;
      case "b1" -> b1;
      case "W2" -> W2;
      case "b2" -> b2;
      default -> throw new IllegalArgumentException(name);
    };
  }

  @Override
  public double[] grad(String name) {
    return switch (name) {
      case "W1" -> dW1;
      case "b1" -> db1;
      case "W2" -> dW2;
      case "b2" -> db2;
      default -> throw new IllegalArgumentException(name);
    };
  }
}
