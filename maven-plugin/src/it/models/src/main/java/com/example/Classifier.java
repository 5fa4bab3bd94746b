package com.example;

import com.example.models.Neuron;

/** Uses the generated classes from the project's own code, compiled with -Xlint:all -Werror. */
public final class Classifier {
  private final Neuron neuron;

  public Classifier(int features, long seed) {
    neuron = new Neuron(features).initialize(seed);
  }

  /** One SGD step on one example; returns the loss before the step. */
  public double learn(double[] x, double y, double learningRate) {
    double loss = neuron.forward(x, y);
    neuron.backward();
    neuron.step(learningRate);
    return loss;
  }

  /** The probability that {@code x} is of class 1. */
  public double probability(double[] x) {
    neuron.forward(x, 0);
    return neuron.a;
  }
}
