package dev.nnc.ir;

/**
 * Elementwise functions. Surface spellings are desugared in lowering ({@code ln} → LOG, {@code √} → SQRT,
 * {@code sigmoid} → SIGMOID). STEP, SIGN and LEAKY_STEP exist for derivative rules (relu'(x) = STEP(x) with
 * relu'(0) = 0, abs'(x) = SIGN(x) with abs'(0) = 0, leaky_relu'(x) = LEAKY_STEP(x, slope)).
 */
public enum UnaryOp {
  NEG,
  EXP,
  LOG,
  SQRT,
  ABS,
  SIN,
  COS,
  TANH,
  SIGMOID,
  RELU,
  LEAKY_RELU,
  SOFTPLUS,
  /** 1 where x > 0, else 0. */
  STEP,
  /** 1 where x > 0, else {@code param}. */
  LEAKY_STEP,
  /** −1, 0 or 1. */
  SIGN
}
