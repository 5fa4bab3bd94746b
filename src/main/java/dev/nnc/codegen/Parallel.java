package dev.nnc.codegen;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Independent pieces of code generation (chain-rule comments, the text of fields and of the part classes) computed
 * on the machine's cores for long models, their results in input order, so the file is the same bytes whatever the
 * number of cores or the scheduling. Below {@link #MIN_ITEMS} items, or on one core, everything runs on the calling
 * thread: a thread's start costs more than a small model's whole generation. The workers have a large stack, as the
 * compiler's own thread ({@link dev.nnc.Compiler}): the math printer recurses over a formula's depth.
 *
 * <p>The items' costs are skewed (a forward value's comment is a line, a backward chain-rule step's a whole formula;
 * a field's text is one line, a part class's hundreds), so the items are not split in fixed shares: every thread
 * takes the next {@link Job#chunk} items from a shared counter whenever it is free, until none are left.
 */
final class Parallel {
  /** Items below which the work stays on the calling thread (a 10,000-statement model has about 30,000). */
  static final int MIN_ITEMS = 2_000;
  private static final int MAX_THREADS = 4;
  private static final long STACK_BYTES = 1L << 29; // virtual memory only; touched only as deep as needed
  /** Chunks per thread, about: enough that the last chunks even out the threads, few enough to share one counter. */
  private static final int CHUNKS_PER_THREAD = 64;

  private Parallel() {}

  /** {@code f} of each item, in the items' order; {@code f} must not touch shared mutable state. */
  static <T, R> List<R> map(List<T> items, Function<? super T, ? extends R> f) {
    return map(items, MIN_ITEMS, f);
  }

  /** As {@link #map(List, Function)}, on several threads from {@code minItems} items (a test's choice). */
  static <T, R> List<R> map(List<T> items, int minItems, Function<? super T, ? extends R> f) {
    return Parallel.<T, R>start(items, minItems, f).join();
  }

  /**
   * Starts {@code f} of each item on the other cores and returns at once: the caller goes on with work of its own and
   * helps with what is left when it {@link Job#join joins}. Below {@link #MIN_ITEMS} items, or on one core, no thread
   * starts and everything runs in {@link Job#join}, on the caller's thread.
   */
  static <T, R> Job<T, R> start(List<T> items, Function<? super T, ? extends R> f) {
    return start(items, MIN_ITEMS, f);
  }

  /** As {@link #start(List, Function)}, on several threads from {@code minItems} items (a test's choice). */
  static <T, R> Job<T, R> start(List<T> items, int minItems, Function<? super T, ? extends R> f) {
    int threads = Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
    Job<T, R> job = new Job<>(items, f, items.size() < minItems ? 1 : threads);
    job.startWorkers();
    return job;
  }

  /** A map under way: its items are dealt in chunks to whichever thread asks next. */
  static final class Job<T, R> {
    private final List<T> items;
    private final Function<? super T, ? extends R> f;
    private final Object[] results;
    private final AtomicInteger next = new AtomicInteger();
    private final int chunk;
    private final Thread[] workers;
    /** The first failure of any thread; the others stop taking chunks once it is set. */
    private volatile Throwable failure;
    private boolean joined;

    private Job(List<T> items, Function<? super T, ? extends R> f, int threads) {
      this.items = items;
      this.f = f;
      this.results = new Object[items.size()];
      this.chunk = Math.max(1, items.size() / (threads * CHUNKS_PER_THREAD));
      this.workers = new Thread[threads - 1];
    }

    private void startWorkers() {
      for (int w = 0; w < workers.length; w++) {
        workers[w] = new Thread(null, this::work, "nnc-codegen-" + (w + 1), STACK_BYTES);
        // A job that is never joined (its caller failed, or wanted only the plan) must not keep the JVM alive.
        workers[w].setDaemon(true);
        workers[w].start();
      }
    }

    /** Takes chunks until none are left (or a thread failed). */
    private void work() {
      try {
        int n = results.length;
        for (int from; failure == null && (from = next.getAndAdd(chunk)) < n; ) {
          for (int k = from, to = Math.min(n, from + chunk); k < to; k++) results[k] = f.apply(items.get(k));
        }
      } catch (Throwable t) {
        synchronized (this) {
          if (failure == null) failure = t;
        }
      }
    }

    /** The results in the items' order, once every item is done; the caller's thread takes chunks meanwhile. */
    List<R> join() {
      if (joined) throw new IllegalStateException("joined twice");
      joined = true;
      work();
      for (Thread w : workers) {
        try {
          w.join(); // also makes the workers' writes to the results visible here
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while generating code", e);
        }
      }
      Throwable t = failure;
      if (t instanceof RuntimeException re) throw re;
      if (t instanceof Error err) throw err;
      if (t != null) throw new IllegalStateException(t);
      @SuppressWarnings("unchecked")
      List<R> out = (List<R>) Arrays.asList(results);
      return out;
    }
  }
}
