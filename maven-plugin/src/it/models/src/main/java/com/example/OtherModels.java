package com.example;

import com.example.flat.Squash;
import com.example.models.Regression;

/** The other generated models, used from code so that javac checks their API with -Xlint:all -Werror. */
final class OtherModels {
  private OtherModels() {}

  static double regressionLoss(double[] x, double y) {
    return new Regression(x.length).initialize(1).forward(x, y);
  }

  /** Squash is generated with {@code <precision>float32</precision>}: its API is over float. */
  static float squashLoss(float x, float y) {
    return new Squash().initialize(1).forward(x, y);
  }
}
