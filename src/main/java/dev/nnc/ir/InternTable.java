package dev.nnc.ir;

/**
 * The hash-consing table of a {@link Graph} (and of the simplifier's candidate terms): {@link InternKey} → value, open
 * addressing with each key's hash kept beside it. A long model's graph holds hundreds of thousands of nodes and asks
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
    int mask = keys.length - 1;
    for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
      InternKey k = keys[i];
      if (k == null) return null;
      if (hashes[i] == h && k.equals(key)) return (V) values[i];
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
    while (keys[i] != null) i = (i + 1) & mask;
    hashes[i] = h;
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
    for (int i = 0; i < oldKeys.length; i++) if (oldKeys[i] != null) insert(oldHashes[i], oldKeys[i], oldValues[i]);
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  @Override
  public String toString() {
    return "InternTable[" + size + " entries in " + keys.length + " slots]";
  }
}
