package com.example.consumer;

import dev.nnc.NnModel;

/**
 * A path with a leading / starts at the root: this model lives in src/main/resources/models/, which Maven copies to
 * target/classes before javac runs, so the processor finds it on the class path. LogisticRegressionBatch is
 * generated in this class's package.
 */
@NnModel("/models/logistic_regression_batch.nn")
final class BatchModels {
  private BatchModels() {}
}
