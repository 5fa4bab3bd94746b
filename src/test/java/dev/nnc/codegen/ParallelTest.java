package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link Parallel#map}: results in the items' order whatever the threads, failures passed on. */
class ParallelTest {
  @Test
  void resultsComeInTheItemsOrderFromSeveralThreads() {
    List<Integer> items = IntStream.range(0, 10_001).boxed().toList();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<String> out = Parallel.map(items, 2, k -> {
      threads.add(Thread.currentThread().getName());
      return "#" + k * 3;
    });
    List<String> expected = new ArrayList<>();
    for (int k : items) expected.add("#" + k * 3);
    assertEquals(expected, out);
    if (Runtime.getRuntime().availableProcessors() > 1) assertTrue(threads.size() > 1, "threads: " + threads);
  }

  @Test
  void belowTheThresholdEverythingRunsOnTheCallingThread() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<Integer> out = Parallel.map(List.of(1, 2, 3), k -> {
      threads.add(Thread.currentThread().getName());
      return -k;
    });
    assertEquals(List.of(-1, -2, -3), out);
    assertEquals(Set.of(Thread.currentThread().getName()), threads);
  }

  @Test
  void aFailureOnAnyThreadReachesTheCaller() {
    List<Integer> items = IntStream.range(0, 1000).boxed().toList();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.map(items, 2, k -> {
      if (k == 999) throw new IllegalStateException("item " + k);
      return k;
    }));
    assertEquals("item 999", e.getMessage());
  }
}
