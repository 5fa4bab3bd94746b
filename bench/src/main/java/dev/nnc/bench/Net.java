package dev.nnc.bench;

/** One SGD step's three calls, so every implementation is driven the same way by the benchmarks. */
public interface Net {
  /** Runs the forward pass on a batch (X[B×784], T[B×10], flat row-major); returns the loss. */
  double forward(double[] x, double[] t);

  void backward();

  void step(double learningRate);

  /** The loss-relevant parameter tensors by name (W1, b1, W2, b2), by reference. */
  double[] param(String name);

  /** ∂L/∂param after backward, by reference. */
  double[] grad(String name);
}
