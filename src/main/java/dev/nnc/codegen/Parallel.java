package dev.nnc.codegen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Independent pieces of code generation (chain-rule comments, the text of fields and of the part classes) computed
 * on the machine's cores for long models, their results in input order, so the file is the same bytes whatever the
 * number of cores or the scheduling. Below {@link #MIN_ITEMS} items, or on one core, everything runs on the calling
 * thread: a thread's start costs more than a small model's whole generation. The workers have a large stack, as the
 * compiler's own thread ({@link dev.nnc.Compiler}): the math printer recurses over a formula's depth.
 */
final class Parallel {
  /** Items below which the work stays on the calling thread (a 10,000-statement model has about 30,000). */
  static final int MIN_ITEMS = 2_000;
  private static final int MAX_THREADS = 4;
  private static final long STACK_BYTES = 1L << 29; // virtual memory only; touched only as deep as needed

  private Parallel() {}

  /** {@code f} of each item, in the items' order; {@code f} must not touch shared mutable state. */
  static <T, R> List<R> map(List<T> items, Function<? super T, ? extends R> f) {
    return map(items, MIN_ITEMS, f);
  }

  /** As {@link #map(List, Function)}, on several threads from {@code minItems} items (a test's choice). */
  static <T, R> List<R> map(List<T> items, int minItems, Function<? super T, ? extends R> f) {
    int threads = Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
    int n = items.size();
    if (n < minItems || threads < 2) {
      List<R> out = new ArrayList<>(n);
      for (T t : items) out.add(f.apply(t));
      return out;
    }
    Object[] results = new Object[n];
    Throwable[] failures = new Throwable[threads];
    Thread[] workers = new Thread[threads];
    for (int w = 1; w < threads; w++) {
      int from = (int) ((long) n * w / threads);
      int to = (int) ((long) n * (w + 1) / threads);
      int slot = w;
      workers[w] = new Thread(null, () -> {
        try {
          for (int k = from; k < to; k++) results[k] = f.apply(items.get(k));
        } catch (Throwable t) {
          failures[slot] = t;
        }
      }, "nnc-codegen-" + w, STACK_BYTES);
      workers[w].start();
    }
    try {
      for (int k = 0, to = n / threads; k < to; k++) results[k] = f.apply(items.get(k));
    } catch (RuntimeException | Error e) {
      failures[0] = e;
    }
    for (int w = 1; w < threads; w++) {
      try {
        workers[w].join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while generating code", e);
      }
    }
    for (Throwable t : failures) {
      if (t instanceof RuntimeException re) throw re;
      if (t instanceof Error err) throw err;
      if (t != null) throw new IllegalStateException(t);
    }
    @SuppressWarnings("unchecked")
    List<R> out = (List<R>) Arrays.asList(results);
    return out;
  }
}
