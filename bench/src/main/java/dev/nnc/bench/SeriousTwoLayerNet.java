package dev.nnc.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * A careful hand-written version of the course's 784-50-10 network, the reference the generated code is measured
 * against. Public tensors are flat and row-major like the generated class; inside, the two big products
 * (X·W1 in forward, Xᵀ·∂A1 in backward: 3.9 M multiply-adds each at B = 100) use the loop shape that C2
 * auto-vectorises on JDK 17 and 25:
 *
 * <ul>
 *   <li>every array in the inner loop is indexed by the bare loop variable (offset 0). With flat arrays the
 *       operands sit at different offsets of arrays C2 cannot prove distinct, so it does not vectorise at all
 *       (measured: 2.5–3× slower). Hence the right-hand matrix is packed into one array per row before each product
 *       (39,200 doubles copied ≈ 8 µs) and each output row is accumulated in a scratch row;
 *   <li>four rows of the packed matrix per pass ({@code acc[j] += x0·b0[j] + x1·b1[j] + x2·b2[j] + x3·b3[j]}): a
 *       quarter of the loads and stores of the accumulator. Measured against 1, 2 and 8 rows per pass and against 2
 *       and 4 output rows per pass (register blocking the other way), 1×4 was fastest on JDK 17;
 *   <li>the bias, the sigmoid and the softmax are fused into the products' epilogues, one output row at a time;
 *   <li>optionally the output rows are split over two threads (the common fork-join pool plus the caller).
 * </ul>
 */
public final class SeriousTwoLayerNet implements Net {
  static final int I = 784, O = 10;
  /** The hidden width (50 in the course's network). */
  final int H;
  public final int B;
  public final double[] W1, b1, W2, b2 = new double[O];
  public final double[] dW1, db1, dW2, db2 = new double[O];
  public final double[] Z1, Y;
  public double L;
  private final double[][] w1Rows; // W1 packed by rows for the forward product
  private final double[][] dA1Rows; // ∂L/∂A1 by rows: the packed right-hand side of Xᵀ·∂A1
  private final double[][] acc; // one accumulator row per thread
  private final double[] dA2;
  private final int threads;
  private final Half half = new Half();
  private double[] X, T;

  public SeriousTwoLayerNet(int B, int threads) {
    this(B, 50, threads);
  }

  public SeriousTwoLayerNet(int B, int H, int threads) {
    if (threads != 1 && threads != 2) throw new IllegalArgumentException("threads must be 1 or 2");
    this.B = B;
    this.H = H;
    W1 = new double[I * H];
    b1 = new double[H];
    W2 = new double[H * O];
    dW1 = new double[I * H];
    db1 = new double[H];
    dW2 = new double[H * O];
    w1Rows = new double[I][H];
    acc = new double[2][H];
    this.threads = threads;
    Z1 = new double[B * H];
    Y = new double[B * O];
    dA2 = new double[B * O];
    dA1Rows = new double[B][H];
  }

  public SeriousTwoLayerNet initialize(long seed) {
    Init.normal(W1, 0.01, new SplittableRandom(seed));
    Init.normal(W2, 0.01, new SplittableRandom(seed + 1));
    Arrays.fill(b1, 0);
    Arrays.fill(b2, 0);
    return this;
  }

  @Override
  public double forward(double[] X, double[] T) {
    if (X.length != B * I || T.length != B * O) throw new IllegalArgumentException("X or T has the wrong length");
    this.X = X;
    this.T = T;
    for (int k = 0; k < I; k++) System.arraycopy(W1, k * H, w1Rows[k], 0, H);
    split(0);
    double l = 0;
    for (int i = 0; i < B * O; i++) l -= T[i] * Math.log(Y[i] + 1e-7);
    return L = l / B;
  }

  /** Rows [from, to) of Z1 = σ(X·W1 + b1), then A2 = Z1·W2 + b2 and Y = softmax(A2) for the same rows. */
  private void forwardRows(int from, int to, double[] s) {
    double[] x = X;
    for (int b = from; b < to; b++) {
      int xo = b * I;
      int p = 0;
      System.arraycopy(b1, 0, s, 0, H);
      for (; p + 3 < I; p += 4) {
        double x0 = x[xo + p], x1 = x[xo + p + 1], x2 = x[xo + p + 2], x3 = x[xo + p + 3];
        if (x0 == 0.0 && x1 == 0.0 && x2 == 0.0 && x3 == 0.0) continue; // zero pixels add nothing (BLAS dgemm skips too)
        double[] w0 = w1Rows[p], w1 = w1Rows[p + 1], w2 = w1Rows[p + 2], w3 = w1Rows[p + 3];
        for (int j = 0; j < H; j++) s[j] += x0 * w0[j] + x1 * w1[j] + x2 * w2[j] + x3 * w3[j];
      }
      for (; p < I; p++) {
        double x0 = x[xo + p];
        if (x0 == 0.0) continue;
        double[] w0 = w1Rows[p];
        for (int j = 0; j < H; j++) s[j] += x0 * w0[j];
      }
      int zo = b * H;
      for (int j = 0; j < H; j++) Z1[zo + j] = 1 / (1 + Math.exp(-s[j]));
      int yo = b * O;
      double max = Double.NEGATIVE_INFINITY;
      for (int o = 0; o < O; o++) {
        double a = b2[o];
        for (int h = 0; h < H; h++) a += Z1[zo + h] * W2[h * O + o];
        Y[yo + o] = a;
        max = Math.max(max, a);
      }
      double sum = 0;
      for (int o = 0; o < O; o++) sum += Y[yo + o] = Math.exp(Y[yo + o] - max);
      double inv = 1 / sum;
      for (int o = 0; o < O; o++) Y[yo + o] *= inv;
    }
  }

  @Override
  public void backward() {
    // ∂L/∂A2 = Y ⊙ (∂L/∂Y − Σ_o ∂L/∂Y_o·Y_o) with ∂L/∂Y = −T/(B·(Y + 1e-7)): exact for the 1e-7 in the loss
    Arrays.fill(db2, 0);
    Arrays.fill(db1, 0);
    Arrays.fill(dW2, 0);
    for (int b = 0; b < B; b++) {
      int yo = b * O;
      double dot = 0;
      for (int o = 0; o < O; o++) dot -= T[yo + o] / (B * (Y[yo + o] + 1e-7)) * Y[yo + o];
      for (int o = 0; o < O; o++) {
        double d = Y[yo + o] * (-T[yo + o] / (B * (Y[yo + o] + 1e-7)) - dot);
        dA2[yo + o] = d;
        db2[o] += d;
      }
      int zo = b * H;
      double[] da1 = dA1Rows[b];
      for (int h = 0; h < H; h++) {
        double z = Z1[zo + h];
        double dz = 0;
        int wo = h * O;
        for (int o = 0; o < O; o++) {
          double d = dA2[yo + o];
          dW2[wo + o] += z * d;
          dz += d * W2[wo + o];
        }
        da1[h] = dz * z * (1 - z);
      }
      for (int h = 0; h < H; h++) db1[h] += da1[h];
    }
    split(1);
  }

  /** Rows [from, to) of ∂L/∂W1 = Xᵀ·∂L/∂A1: row k is Σ_b X[b,k]·∂A1[b,:]. */
  private void gradW1Rows(int from, int to, double[] s) {
    double[] x = X;
    for (int k = from; k < to; k++) {
      int b = 0;
      Arrays.fill(s, 0, H, 0.0);
      for (; b + 3 < B; b += 4) {
        double x0 = x[b * I + k], x1 = x[(b + 1) * I + k], x2 = x[(b + 2) * I + k], x3 = x[(b + 3) * I + k];
        if (x0 == 0.0 && x1 == 0.0 && x2 == 0.0 && x3 == 0.0) continue; // zero pixels add nothing
        double[] d0 = dA1Rows[b], d1 = dA1Rows[b + 1], d2 = dA1Rows[b + 2], d3 = dA1Rows[b + 3];
        for (int j = 0; j < H; j++) s[j] += x0 * d0[j] + x1 * d1[j] + x2 * d2[j] + x3 * d3[j];
      }
      for (; b < B; b++) {
        double x0 = x[b * I + k];
        if (x0 == 0.0) continue;
        double[] d0 = dA1Rows[b];
        for (int j = 0; j < H; j++) s[j] += x0 * d0[j];
      }
      System.arraycopy(s, 0, dW1, k * H, H);
    }
  }

  @Override
  public void step(double lr) {
    for (int i = 0; i < W1.length; i++) W1[i] -= lr * dW1[i];
    for (int i = 0; i < b1.length; i++) b1[i] -= lr * db1[i];
    for (int i = 0; i < W2.length; i++) W2[i] -= lr * dW2[i];
    for (int i = 0; i < b2.length; i++) b2[i] -= lr * db2[i];
  }

  /** Runs phase 0 (forward rows) or 1 (∂W1 rows) over all rows, on one thread or split over two. */
  private void split(int phase) {
    int rows = phase == 0 ? B : I;
    if (threads == 1 || rows < 8) {
      run(phase, 0, rows, acc[0]);
      return;
    }
    int mid = rows / 2;
    half.reinitialize();
    half.phase = phase;
    half.from = mid;
    half.to = rows;
    ForkJoinPool.commonPool().execute(half);
    run(phase, 0, mid, acc[0]);
    half.join();
  }

  private void run(int phase, int from, int to, double[] s) {
    if (phase == 0) forwardRows(from, to, s);
    else gradW1Rows(from, to, s);
  }

  /** The second thread's half of a phase; reused (reinitialised) every time, so a step allocates nothing. */
  private final class Half extends RecursiveAction {
    int phase, from, to;

    @Override
    protected void compute() {
      run(phase, from, to, acc[1]);
    }
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
