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

/**
 * {@link Parallel#map}: results in the items' order whatever the threads, skewed item costs shared by the threads,
 * failures passed on.
 */
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

  /**
   * The first half's items cost a millisecond each, the rest nothing: in fixed halves the calling thread would take
   * every expensive item and the other thread none (the skew of backward's chain-rule comments against forward's).
   * Dealt in chunks, each thread takes expensive items, and the results are still in order.
   */
  @Test
  void skewedCostsAreSharedAndResultsStayInOrder() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one core");
    int n = 400;
    List<Integer> items = IntStream.range(0, n).boxed().toList();
    String caller = Thread.currentThread().getName();
    String[] by = new String[n];
    List<Integer> out = Parallel.map(items, 2, k -> {
      by[k] = Thread.currentThread().getName();
      if (k < n / 2) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      return k * k;
    });
    for (int k = 0; k < n; k++) assertEquals(k * k, out.get(k), "item " + k);
    Set<String> expensive = new java.util.HashSet<>(List.of(by).subList(0, n / 2));
    assertTrue(expensive.contains(caller), "the caller took expensive items: " + expensive);
    assertTrue(expensive.size() > 1, "another thread took expensive items too: " + expensive);
  }

  /** A started job runs while the caller does other work; join returns the results in order, the caller helping. */
  @Test
  void aStartedJobIsJoinedWithItsResultsInOrder() {
    List<Integer> items = IntStream.range(0, 5_000).boxed().toList();
    Parallel.Job<Integer, String> job = Parallel.start(items, 2, k -> "<" + k + ">");
    long own = 0;
    for (int k = 0; k < 100_000; k++) own += k; // the caller's own work meanwhile
    assertEquals(4_999_950_000L, own);
    List<String> out = job.join();
    assertEquals(5_000, out.size());
    for (int k = 0; k < out.size(); k++) assertEquals("<" + k + ">", out.get(k));
    assertThrows(IllegalStateException.class, job::join, "a job is joined once");
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
