package dev.nnc.ir;

/**
 * The hash-consing table of a {@link Graph} (and of the simplifier's candidate terms): {@link InternKey} → value, open
 * addressing with each key's hash kept beside it (a free slot has hash 0). A long model's graph holds hundreds of thousands of nodes and asks
 * the table for every node it makes; a {@code HashMap} went through a table slot, an entry object and the key for each
 * probe, and re-linked every entry at each doubling (issue 11). Here a probe reads the hash array first and touches a
 * key only when the hashes agree; growing copies arrays. Never iterated, so no order to keep.
 */
public final class InternTable<V> {
  private int[] hashes = new int[64];
  private InternKey[] keys = new InternKey[64];
  private Object[] values = new Object[64];
  private int size;

  @SuppressWarnings("unchecked")
  public V get(InternKey key) {
    int h = key.hashCode();
    int t = tag(h);
    int mask = keys.length - 1;
    for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
      int slot = hashes[i];
      if (slot == 0) return null;
      if (slot == t && key.equals(keys[i])) return (V) values[i];
    }
  }

  /** Adds {@code key} (which must be absent) with {@code value}. */
  public void put(InternKey key, V value) {
    if (2 * (size + 1) > keys.length) grow();
    insert(key.hashCode(), key, value);
    size++;
  }

  public int size() {
    return size;
  }

  private void insert(int h, InternKey key, Object value) {
    int mask = keys.length - 1;
    int i = spread(h) & mask;
    while (hashes[i] != 0) i = (i + 1) & mask;
    hashes[i] = tag(h);
    keys[i] = key;
    values[i] = value;
  }

  private void grow() {
    int[] oldHashes = hashes;
    InternKey[] oldKeys = keys;
    Object[] oldValues = values;
    hashes = new int[oldKeys.length * 2];
    keys = new InternKey[oldKeys.length * 2];
    values = new Object[oldKeys.length * 2];
    for (int i = 0; i < oldKeys.length; i++) {
      int t = oldHashes[i];
      if (t != 0) insert(t == 1 ? oldKeys[i].hashCode() : t, oldKeys[i], oldValues[i]); // (1: maybe a hash 0)
    }
  }

  /**
   * What a used slot keeps of its key's hash: the hash itself, never 0 (0 marks a free slot). A probe then reads only
   * the hash array until the hashes agree — a lookup of an absent node (most of the simplifier's) touches no key.
   */
  private static int tag(int h) {
    return h == 0 ? 1 : h;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  @Override
  public String toString() {
    return "InternTable[" + size + " entries in " + keys.length + " slots]";
  }
}
