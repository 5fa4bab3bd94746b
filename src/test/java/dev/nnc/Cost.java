package dev.nnc;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Load-independent cost checks for the "long input" tests, instead of wall-clock limits that fail when other builds
 * share the machine. Two properties are checked separately:
 * <ul>
 *   <li><b>no recursion per statement</b>: the work runs on a thread with a small stack ({@link #onSmallStack}); the
 *       tests' JVM has {@code -Xss512m}, which would hide a recursion 20,000 deep;
 *   <li><b>no quadratic blow-up</b>: the CPU time of the working thread alone (not wall time, not JIT or GC threads)
 *       at size n and 4n ({@link #assertNearLinear}): linear work grows about 4×, quadratic 16×.
 * </ul>
 */
public final class Cost {
  private Cost() {}

  /** Stack for {@link #onSmallStack}: enough for any fixed-depth pass, far too little for one frame per statement. */
  public static final long SMALL_STACK = 256 * 1024;

  /** Runs {@code task} on a thread with a {@link #SMALL_STACK} stack; a StackOverflowError fails the test. */
  public static <T> T onSmallStack(Supplier<T> task) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        result.set(task.get());
      } catch (Throwable e) {
        thrown.set(e);
      }
    }, "small-stack", SMALL_STACK);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (thrown.get() instanceof StackOverflowError) {
      fail("recursed too deep for a " + SMALL_STACK / 1024 + " KB stack (recursion per statement?)", thrown.get());
    }
    if (thrown.get() instanceof RuntimeException e) throw e;
    if (thrown.get() instanceof Error e) throw e;
    return result.get();
  }

  /** CPU nanoseconds the current thread spends in {@code task}. */
  public static long threadCpuNanos(Runnable task) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadCpuTime();
    task.run();
    return mx.getCurrentThreadCpuTime() - before;
  }

  /**
   * Fails when the measured work grows more than 10× from size {@code n} to {@code 4n} (linear: about 4×, quadratic:
   * 16×). {@code work.apply(size)} prepares its input and returns the part to measure (preparation is not timed).
   * A run at each size warms the JIT first; each size keeps the smaller of two runs.
   */
  public static void assertNearLinear(int n, IntFunction<Runnable> work) {
    // Warm-up at both sizes first, so that both are measured with the same compiled code (measuring n before the JIT
    // finished and 4n after would understate the growth).
    threadCpuNanos(work.apply(4 * n));
    threadCpuNanos(work.apply(n));
    long small = Math.min(threadCpuNanos(work.apply(n)), threadCpuNanos(work.apply(n)));
    long large = Math.min(threadCpuNanos(work.apply(4 * n)), threadCpuNanos(work.apply(4 * n)));
    double ratio = (double) large / Math.max(small, 1_000_000); // below 1 ms the clock's grain dominates
    System.out.printf("cost: n=%d %d ms, 4n %d ms, ratio %.1f%n", n, small / 1_000_000, large / 1_000_000, ratio);
    assertTrue(ratio < 10, "4× the input cost " + String.format("%.1f", ratio) + "× the CPU time (" + small / 1_000_000
        + " ms → " + large / 1_000_000 + " ms): super-linear");
  }
}
