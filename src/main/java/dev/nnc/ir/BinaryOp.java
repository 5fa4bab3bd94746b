package dev.nnc.ir;

/** Elementwise binary operations (operands already broadcast to one shape). */
public enum BinaryOp {
  ADD,
  SUB,
  MUL,
  DIV,
  POW,
  MAX,
  MIN,
  /** 1 where a ≥ b, else 0: the selector in max/min derivatives. */
  GE
}
