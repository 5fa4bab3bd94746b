package com.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Trains the plugin-generated Neuron on separable data: the loss must fall and the points be classified. */
class ClassifierTest {
  @Test
  void learnsALinearRule() {
    SplittableRandom random = new SplittableRandom(17);
    double[][] xs = new double[200][2];
    double[] ys = new double[200];
    for (int i = 0; i < xs.length; i++) {
      xs[i][0] = random.nextDouble(-1, 1);
      xs[i][1] = random.nextDouble(-1, 1);
      ys[i] = xs[i][0] + 2 * xs[i][1] > 0.2 ? 1 : 0;
    }
    Classifier classifier = new Classifier(2, 3);
    double first = 0;
    double last = 0;
    for (int epoch = 0; epoch < 50; epoch++) {
      double sum = 0;
      for (int i = 0; i < xs.length; i++) sum += classifier.learn(xs[i], ys[i], 0.5);
      if (epoch == 0) first = sum / xs.length;
      last = sum / xs.length;
    }
    int right = 0;
    for (int i = 0; i < xs.length; i++) if ((classifier.probability(xs[i]) > 0.5) == (ys[i] == 1)) right++;
    assertTrue(last < first / 2, "mean loss " + first + " → " + last);
    assertTrue(right >= 190, right + " of 200 classified right");
  }
}
