package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The guard of issue 11 kept in {@code verify} (the 10,000-statement one, {@link TenThousandStatementsTest}, is heavy):
 * nnc's work on a long model grows about linearly with its length. Measured as the bytes allocated (all threads) by
 * a whole compile of the chain of {@link TenThousandStatementsTest#model} at 600 and 2,400 statements — a count that
 * does not depend on the machine's load, unlike a time. Linear work allocates about 4× for 4× the statements (3.8×
 * today: the fixed cost of the 51 params); a step that walks or copies the whole model once per statement — as the
 * simplifier's whole-graph bit sets per island and the chain-rule comments' copies of every label once did — allocates
 * 16× and fails here.
 */
class LinearCompileTest {
  @Test
  void allocationGrowsLinearlyWithTheModelsLength() {
    Pipeline.compile("warm.nn", TenThousandStatementsTest.model(300), ""); // classes loaded, caches filled
    long small = allocatedBy(() -> Pipeline.compile("long.nn", TenThousandStatementsTest.model(600), ""));
    long large = allocatedBy(() -> Pipeline.compile("long.nn", TenThousandStatementsTest.model(2_400), ""));
    assertTrue(large < 5.5 * small, "nnc allocated " + small / 1_000 + " kB for 600 statements and "
        + large / 1_000 + " kB for 2,400 (" + String.format("%.1f", (double) large / small) + "×)");
  }

  private static long allocatedBy(Runnable r) {
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = bean.getTotalThreadAllocatedBytes();
    r.run();
    return bean.getTotalThreadAllocatedBytes() - before;
  }
}
