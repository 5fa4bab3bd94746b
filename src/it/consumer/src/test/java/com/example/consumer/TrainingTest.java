package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Trains the classes nnc generated at compile time on seeded synthetic data: labels come from a known linear rule
 * with noise, so a working forward/backward/step must bring the loss well below its starting value (≈ ln 2).
 */
class TrainingTest {
  private static final int FEATURES = 4;
  private static final int EXAMPLES = 200;
  private static final double[] TRUE_W = {1.5, -2.0, 0.5, 1.0};
  private static final double TRUE_B = -0.25;

  /** Row i of xs is example i; ys[i] is 1 when the noisy linear score is positive. */
  private static double[][] features(SplittableRandom random) {
    double[][] xs = new double[EXAMPLES][FEATURES];
    for (double[] x : xs) for (int j = 0; j < FEATURES; j++) x[j] = gaussian(random);
    return xs;
  }

  private static double[] labels(double[][] xs, SplittableRandom random) {
    double[] ys = new double[EXAMPLES];
    for (int i = 0; i < EXAMPLES; i++) {
      double score = TRUE_B + 0.3 * gaussian(random);
      for (int j = 0; j < FEATURES; j++) score += TRUE_W[j] * xs[i][j];
      ys[i] = score > 0 ? 1 : 0;
    }
    return ys;
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble(); // in (0, 1]: log is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  @Test
  void sgdOnOneExampleAtATimeLowersTheMeanLoss() {
    SplittableRandom random = new SplittableRandom(20261122L);
    double[][] xs = features(random);
    double[] ys = labels(xs, random);
    LogisticRegression model = new LogisticRegression(FEATURES).initialize(7);

    double before = meanLoss(model, xs, ys);
    for (int epoch = 0; epoch < 30; epoch++) {
      for (int i = 0; i < EXAMPLES; i++) {
        model.forward(xs[i], ys[i]);
        model.backward();
        model.step(0.05);
      }
    }
    double after = meanLoss(model, xs, ys);
    assertTrue(after < 0.5 * before, "mean loss should at least halve: before " + before + ", after " + after);
    assertTrue(after < 0.3, "mean loss after training " + after);
  }

  private static double meanLoss(LogisticRegression model, double[][] xs, double[] ys) {
    double sum = 0;
    for (int i = 0; i < EXAMPLES; i++) sum += model.forward(xs[i], ys[i]);
    return sum / EXAMPLES;
  }

  @Test
  void fullBatchGradientDescentOnTheTensorModelLowersTheLossEveryStep() {
    SplittableRandom random = new SplittableRandom(99L);
    double[][] xs = features(random);
    double[] ys = labels(xs, random);
    double[] x = new double[FEATURES * EXAMPLES]; // X[n, m], examples as columns, flat row-major
    for (int i = 0; i < EXAMPLES; i++) for (int j = 0; j < FEATURES; j++) x[j * EXAMPLES + i] = xs[i][j];
    LogisticRegressionBatch model = new LogisticRegressionBatch(FEATURES, EXAMPLES).initialize(7);

    double first = model.forward(x, ys);
    double previous = first;
    for (int step = 0; step < 200; step++) {
      model.backward();
      model.step(0.5);
      double loss = model.forward(x, ys);
      assertTrue(loss <= previous + 1e-12, "step " + step + ": loss rose from " + previous + " to " + loss);
      previous = loss;
    }
    assertTrue(previous < 0.5 * first, "loss should at least halve: first " + first + ", last " + previous);
  }

  @Test
  void theInlineNeuronLearnsAThreshold() {
    Neuron neuron = new Neuron().initialize(3);
    double[] xs = {-2, -1, -0.5, 0.5, 1, 2};
    double[] ys = {0, 0, 0, 1, 1, 1};
    double before = 0;
    for (int i = 0; i < xs.length; i++) before += neuron.forward(xs[i], ys[i]);
    for (int epoch = 0; epoch < 200; epoch++) {
      for (int i = 0; i < xs.length; i++) {
        neuron.forward(xs[i], ys[i]);
        neuron.backward();
        neuron.step(0.5);
      }
    }
    double after = 0;
    for (int i = 0; i < xs.length; i++) after += neuron.forward(xs[i], ys[i]);
    assertTrue(after < 0.25 * before, "loss before " + before + ", after " + after);
  }
}
