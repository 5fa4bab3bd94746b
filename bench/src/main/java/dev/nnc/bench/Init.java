package dev.nnc.bench;

import java.util.SplittableRandom;

final class Init {
  private Init() {}

  /** N(0, std²) by Box–Muller (SplittableRandom has no nextGaussian on JDK 17). */
  static void normal(double[] w, double std, SplittableRandom r) {
    for (int i = 0; i < w.length; i++) {
      double u = 1.0 - r.nextDouble();
      w[i] = std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
  }
}
