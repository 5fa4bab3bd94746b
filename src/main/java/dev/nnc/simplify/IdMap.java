package dev.nnc.simplify;

import java.util.Arrays;

/**
 * A map from non-negative node or term ids to values, as an array indexed by id: the simplifier keeps several
 * facts per node (form, term, choice) for every node of the reverse pass, and a {@code HashMap<Integer, …>} per fact
 * boxed each id, hashed it and resized its table again and again as a long model's graph grew (issue 11).
 */
final class IdMap<T> {
  private Object[] values = new Object[64];

  @SuppressWarnings("unchecked")
  T get(int id) {
    return id < values.length ? (T) values[id] : null;
  }

  void put(int id, T value) {
    if (id >= values.length) values = Arrays.copyOf(values, Math.max(id + 1, values.length * 2));
    values[id] = value;
  }

  boolean containsKey(int id) {
    return get(id) != null;
  }
}
