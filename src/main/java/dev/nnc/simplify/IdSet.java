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
  /** A free slot; a used one holds its id + 1 (so a new array is all free, without filling it). */
  private static final int EMPTY = 0;
  private int[] slots = new int[16];
  private int size;

  boolean contains(int id) {
    int mask = slots.length - 1;
    int stored = id + 1;
    for (int i = mix(id) & mask; ; i = (i + 1) & mask) {
      int s = slots[i];
      if (s == stored) return true;
      if (s == EMPTY) return false;
    }
  }

  /** Adds {@code id} (non-negative); whether it was absent. */
  boolean add(int id) {
    if (id < 0) throw new IllegalArgumentException("negative id " + id);
    if (2 * (size + 1) > slots.length) grow();
    int mask = slots.length - 1;
    int stored = id + 1;
    for (int i = mix(id) & mask; ; i = (i + 1) & mask) {
      int s = slots[i];
      if (s == stored) return false;
      if (s == EMPTY) {
        slots[i] = stored;
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
    for (int s : slots) if (s != EMPTY) out[k++] = s - 1;
    Arrays.sort(out);
    return out;
  }

  private void grow() {
    int[] old = slots;
    slots = new int[old.length * 2];
    size = 0;
    for (int s : old) if (s != EMPTY) add(s - 1);
  }

  private static int mix(int id) {
    int h = id * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
