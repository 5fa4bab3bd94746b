package dev.nnc.simplify;

import java.util.Arrays;

/**
 * A set of node or term ids, sized by how many it holds rather than by the largest id. The simplifier walks one
 * island at a time, but ids run to the size of the whole graph: a {@link java.util.BitSet} per walk allocated and
 * zeroed words up to the largest id each time, which made a 10,000-statement model's simplification quadratic in
 * memory traffic (issue 11). Open addressing over non-negative ints; iteration order is deterministic (it depends
 * only on the ids added and their order).
 */
final class IdSet {
  private static final int EMPTY = -1;
  private int[] slots = emptySlots(16);
  private int size;

  private static int[] emptySlots(int n) {
    int[] s = new int[n];
    Arrays.fill(s, EMPTY);
    return s;
  }

  boolean contains(int id) {
    int mask = slots.length - 1;
    for (int i = mix(id) & mask; ; i = (i + 1) & mask) {
      int s = slots[i];
      if (s == id) return true;
      if (s == EMPTY) return false;
    }
  }

  /** Adds {@code id} (non-negative); whether it was absent. */
  boolean add(int id) {
    if (id < 0) throw new IllegalArgumentException("negative id " + id);
    if (2 * (size + 1) > slots.length) grow();
    int mask = slots.length - 1;
    for (int i = mix(id) & mask; ; i = (i + 1) & mask) {
      int s = slots[i];
      if (s == id) return false;
      if (s == EMPTY) {
        slots[i] = id;
        size++;
        return true;
      }
    }
  }

  int size() {
    return size;
  }

  /** The ids in ascending order. */
  int[] sorted() {
    int[] out = new int[size];
    int k = 0;
    for (int s : slots) if (s != EMPTY) out[k++] = s;
    Arrays.sort(out);
    return out;
  }

  private void grow() {
    int[] old = slots;
    slots = emptySlots(old.length * 2);
    size = 0;
    for (int s : old) if (s != EMPTY) add(s);
  }

  private static int mix(int id) {
    int h = id * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
