package com.example.consumer;

import dev.nnc.NnModel;

/** logistic_regression.nn sits next to this file, in the source path: nnc generates LogisticRegression here. */
@NnModel("logistic_regression.nn")
final class Models {
  private Models() {}
}
