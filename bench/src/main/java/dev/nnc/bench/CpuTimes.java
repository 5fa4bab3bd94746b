package dev.nnc.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * A cross-check of the JMH numbers that holds up on a busy machine: per implementation, the process CPU time of
 * one training step (min and median over 15 rounds of 100 steps, after 3 s of warm-up) — time the process was not
 * running does not count. It is the total work of all threads (the product's helper task included, and whatever the
 * JIT and GC do after warm-up), so it shows what two threads cost, not what they save: JMH's wall time shows that.
 * Run: {@code java -cp bench/target/benchmarks.jar dev.nnc.bench.CpuTimes [impl…]}.
 */
public final class CpuTimes {
  public static void main(String[] args) {
    String[] impls = args.length > 0 ? args : new String[] {"generated", "serial", "parallel", "naiveFlat", "naiveRows"};
    Fixture data = new Fixture();
    com.sun.management.OperatingSystemMXBean mx =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (String impl : impls) {
      Net net = Fixture.create(impl);
      long end = System.nanoTime() + 3_000_000_000L;
      int k = 0;
      while (System.nanoTime() < end) {
        k = step(net, data, k);
      }
      double[] ms = new double[15];
      double[] fwd = new double[15];
      double[] bwd = new double[15];
      for (int r = 0; r < ms.length; r++) {
        long c0 = mx.getProcessCpuTime();
        for (int i = 0; i < 100; i++) k = step(net, data, k);
        ms[r] = (mx.getProcessCpuTime() - c0) / 100e6;
        c0 = mx.getProcessCpuTime();
        for (int i = 0; i < 100; i++) net.forward(data.x[i % Fixture.BATCHES], data.t[i % Fixture.BATCHES]);
        fwd[r] = (mx.getProcessCpuTime() - c0) / 100e6;
        c0 = mx.getProcessCpuTime();
        for (int i = 0; i < 100; i++) net.backward();
        bwd[r] = (mx.getProcessCpuTime() - c0) / 100e6;
      }
      Arrays.sort(ms);
      Arrays.sort(fwd);
      Arrays.sort(bwd);
      System.out.println(String.format(Locale.ROOT,
          "%-10s step min %.3f ms, median %.3f ms | forward median %.3f ms, backward median %.3f ms, backward/forward %.2f",
          impl, ms[0], ms[ms.length / 2], fwd[fwd.length / 2], bwd[bwd.length / 2], bwd[bwd.length / 2] / fwd[fwd.length / 2]));
    }
  }

  private static int step(Net net, Fixture data, int k) {
    net.forward(data.x[k], data.t[k]);
    net.backward();
    net.step(Fixture.LEARNING_RATE);
    return k + 1 == Fixture.BATCHES ? 0 : k + 1;
  }
}
