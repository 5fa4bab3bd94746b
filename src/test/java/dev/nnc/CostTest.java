package dev.nnc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The cost checks catch what they guard: recursion per element, and quadratic work. */
class CostTest {
  private static int depth(int n) {
    return n == 0 ? 0 : 1 + depth(n - 1);
  }

  @Test
  void recursionTwentyThousandDeepFailsOnTheSmallStack() {
    assertEquals(100, Cost.onSmallStack(() -> depth(100)));
    assertThrows(AssertionFailedError.class, () -> Cost.onSmallStack(() -> depth(20_000)));
  }

  private static volatile long sink;

  @Test
  void quadraticWorkFailsAndLinearWorkPasses() {
    Cost.assertNearLinear(200_000, n -> () -> {
      long s = 0;
      for (int i = 0; i < n * 20; i++) s += i ^ (s >>> 3);
      sink = s;
    });
    assertThrows(AssertionFailedError.class, () -> Cost.assertNearLinear(8_000, n -> () -> {
      long s = 0;
      for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s += i ^ j ^ (s >>> 3);
      sink = s;
    }));
  }
}
