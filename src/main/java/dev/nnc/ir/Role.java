package dev.nnc.ir;

public enum Role {
  /** Data given to forward; no gradient. */
  INPUT,
  /** Trainable: has a gradient and an SGD update. */
  PARAM
}
