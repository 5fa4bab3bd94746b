package dev.nnc.ir;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What makes two nodes the same for hash-consing: an operation (a kind and its parameter), operand ids and a shape.
 * The graph's table and the simplifier's term tables both key on it. Operand ids as an {@code int[]} and the hash
 * computed once: every node made (hundreds of thousands in a long model) is looked up (issue 11).
 */
public final class InternKey {
  private final Object op;
  private final Object param;
  private final int[] inputs;
  private final Shape shape;
  private final int hash;

  /** {@code param} may be null (an operation with no parameter, or one whose {@code op} already holds it). */
  public InternKey(Object op, Object param, int[] inputs, Shape shape) {
    this.op = op;
    this.param = param;
    this.inputs = inputs;
    this.shape = shape;
    this.hash = mix((op.hashCode() * 31 + Objects.hashCode(param)) * 31 + shape.hashCode(), inputs);
  }

  /**
   * The operand ids mixed into {@code h}. Not {@code Arrays.hashCode}: its {@code 31·a + b} gives the same hash to
   * (a, b) and (a + 1, b − 31), and the nodes of a long chain-shaped model are such pairs by the thousand, so the
   * graph's table degraded into long collision lists (issue 11). Each id is spread by a multiplicative mix first.
   */
  private static int mix(int h, int[] inputs) {
    for (int id : inputs) {
      int x = id * 0x9E3779B9;
      h = (h ^ (x ^ (x >>> 15))) * 0x85EBCA6B;
    }
    return h ^ (h >>> 13);
  }

  /** The ids of {@code operands}, in order. */
  public static int[] ids(List<Expr> operands) {
    int[] ids = new int[operands.size()];
    for (int i = 0; i < ids.length; i++) ids[i] = operands.get(i).id();
    return ids;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InternKey k && hash == k.hash && Arrays.equals(inputs, k.inputs) && op.equals(k.op)
        && Objects.equals(param, k.param) && shape.equals(k.shape);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
