package dev.nnc.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The graph's hash-consing table and its keys (issue 11: a long model makes hundreds of thousands of nodes). */
class InternTableTest {
  @Test
  void findsEveryKeyByAnEqualKeyAcrossGrowth() {
    InternTable<Integer> t = new InternTable<>();
    for (int i = 0; i < 50_000; i++) t.put(new InternKey("binary", BinaryOp.ADD, new int[] {i, i + 1}, Shape.SCALAR), i);
    assertEquals(50_000, t.size());
    for (int i = 0; i < 50_000; i++) {
      assertEquals(i, t.get(new InternKey("binary", BinaryOp.ADD, new int[] {i, i + 1}, Shape.SCALAR)));
    }
    assertNull(t.get(new InternKey("binary", BinaryOp.MUL, new int[] {0, 1}, Shape.SCALAR)), "another operation");
    assertNull(t.get(new InternKey("binary", BinaryOp.ADD, new int[] {1, 0}, Shape.SCALAR)), "operands swapped");
    assertNull(t.get(new InternKey("binary", BinaryOp.ADD, new int[] {0, 1}, Shape.of(Dim.literal(2)))), "shape");
  }

  /**
   * The operand ids are mixed, not summed as {@code 31·a + b}: that hash is the same for (a, b) and (a + 1, b − 31),
   * and the 40,000 pairs below had about 6,400 distinct hashes between them, so the table's lookups walked long
   * collision chains. Mixed, nearly every pair has a hash of its own.
   */
  @Test
  void operandPairsHaveNearlyDistinctHashes() {
    Set<Integer> hashes = new HashSet<>();
    for (int a = 0; a < 200; a++) {
      for (int b = 0; b < 200; b++) hashes.add(new InternKey("binary", BinaryOp.MUL, new int[] {a, b}, Shape.SCALAR).hashCode());
    }
    assertTrue(hashes.size() > 39_000, hashes.size() + " distinct hashes for 40,000 operand pairs");
  }

  @Test
  void theGraphInternsThroughIt() {
    Graph g = new Graph();
    Expr x = g.var("x", Role.INPUT, Shape.SCALAR);
    Expr y = g.var("y", Role.INPUT, Shape.SCALAR);
    Expr xy = g.mul(x, y);
    assertSame(xy, g.mul(x, y));
    assertSame(xy, g.find("binary", BinaryOp.MUL, new int[] {x.id(), y.id()}, Shape.SCALAR));
    assertNull(g.find("binary", BinaryOp.MUL, new int[] {y.id(), x.id()}, Shape.SCALAR));
    Expr neg = g.neg(x);
    assertSame(neg, g.find("unary", List.of(UnaryOp.NEG, 0.0), new int[] {x.id()}, Shape.SCALAR));
    assertEquals(List.of(x, y), xy.inputs());
  }
}
