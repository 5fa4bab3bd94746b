package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: a 10,000-statement model took minutes and gigabytes in nnc, and its Java failed in javac with "too many
 * constants" (20,000 scalar fields, each read and written by the parts of forward and backward: about three
 * constant-pool entries per field in the class that holds the code). The parts now live in inner classes
 * ({@link PartGroups}). Heavy (about a minute of CPU): runs in the profile {@code heavy},
 * {@code mvn -B -ntp test -Pheavy -Dtest=TenThousandStatementsTest}; {@code LongChainTest} keeps a 5,000-statement
 * chain in {@code verify}.
 */
@Tag("heavy")
class TenThousandStatementsTest {
  /** v_k = tanh(w_{k mod 50} v_{k−1} + b), L = (v_9999 − y)²: 10,001 statements, 51 params. */
  static String model(int n) {
    StringBuilder s = new StringBuilder("model Long {\n  input x, y\n  param b");
    for (int i = 0; i < 50; i++) s.append(", w").append(i);
    s.append("\n  v1 = tanh(w1 x + b)\n");
    for (int k = 2; k < n; k++) {
      s.append("  v").append(k).append(" = tanh(w").append(k % 50).append(" v").append(k - 1).append(" + b)\n");
    }
    return s.append("  L = (v").append(n - 1).append(" − y)²\n}\n").toString();
  }

  @Test
  void tenThousandStatementsCompileInNncAndJavacAndAgree() throws Exception {
    Result r = Pipeline.compile("long.nn", model(10_000), "");
    assertTrue(r.files().get(0).content().contains("private final class BackwardParts"), "parts in inner classes");
    Class<?> c = Javac.load(r.files().get(0)); // -Xlint:all -Werror; was "too many constants"
    Agreement.check(r.derivatives().get(0), c, Map.of(), 2, (rnd, leaf) -> 0.5 * rnd.nextDouble());
  }
}
