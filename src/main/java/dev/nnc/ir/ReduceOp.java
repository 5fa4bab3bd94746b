package dev.nnc.ir;

public enum ReduceOp {
  SUM,
  MAX,
  MIN,
  LOGSUMEXP
}
