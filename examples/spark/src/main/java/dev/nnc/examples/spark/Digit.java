package dev.nnc.examples.spark;

import java.io.Serializable;

/** One row of the data set: a digit's 784 pixels in [0, 1] and its label. */
record Digit(double[] pixels, int label) implements Serializable {}
