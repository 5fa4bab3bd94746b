package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: a 10,000-statement model took minutes and gigabytes in nnc, and its Java failed in javac with "too many
 * constants" (20,000 scalar fields, each read and written by the parts of forward and backward: about three
 * constant-pool entries per field in the class that holds the code). The parts now live in inner classes
 * ({@link PartGroups}). Heavy (about a minute of CPU): runs in the profile {@code heavy},
 * {@code mvn -B -ntp test -Pheavy -Dtest=TenThousandStatementsTest}; {@code LongChainTest} keeps a 5,000-statement
 * chain in {@code verify}. Its compile time end to end (nnc and javac) is measured by {@code bench/long-compile.sh}
 * (docs/performance.md); the size test here fails if the Java or nnc's work grows back.
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

  /**
   * The guard of the compile time: javac's time follows the size of the Java (its fields and statements) and nnc's
   * the memory it allocates. The Java of 10,000 statements stays under today's size (plus 5 %), and nnc allocates at
   * most about linearly in the length: 4× the statements, at most 6× the bytes (0.47 → 1.74 GB today, 3.7×), where a
   * quadratic step — such as the BitSet sized by the whole graph that the simplifier allocated for each island it
   * walked, or the copy of the whole model's labels made for each chain-rule comment — grows 16×.
   */
  @Test
  void javaAndAllocationGrowLinearlyWithTheLength() {
    long small = allocatedBy(() -> Pipeline.compile("long.nn", model(2_500), ""));
    Result[] big = new Result[1];
    long large = allocatedBy(() -> big[0] = Pipeline.compile("long.nn", model(10_000), ""));
    assertTrue(large < 6 * small, "nnc allocated " + small / 1_000_000 + " MB for 2,500 statements and "
        + large / 1_000_000 + " MB for 10,000");
    String java = big[0].files().get(0).content();
    int bytes = java.getBytes(StandardCharsets.UTF_8).length;
    assertTrue(bytes < MAX_JAVA_BYTES, "the Java of 10,000 statements has " + bytes + " bytes");
    int fields = 0;
    for (Matcher m = FIELD.matcher(java); m.find(); ) fields += m.group(1).split(", ").length;
    assertTrue(fields < MAX_FIELDS, fields + " scalar fields");
    // javac's time is per operation it compiles: the repeated shapes are written once (Outlines), so most statements
    // are calls — 10,000 forward links, 10,000 of backward's, 3,332 jvp statements, the params' partial sums
    int calls = count(OUTLINED_CALL, java);
    assertTrue(calls > MIN_OUTLINED_CALLS, calls + " statements call an outlined shape");
  }

  /** What {@code bench/long-compile.sh} measures is this test's model. */
  @Test
  void benchmarkScriptWritesThisModel() throws Exception {
    Process p = new ProcessBuilder("bash", Path.of("bench", "long-compile.sh").toString(), "--print-model", "10000")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertEquals(model(10_000), out);
  }

  /**
   * 5.31 MB today (6.19 MB before the repeated shapes were outlined, {@link Outlines}, 5.73 MB before the parts'
   * own temporaries were their locals, {@link PartLocals}, 5.64 MB before the fields were declared compactly,
   * {@link CompactFields}); javac's time follows its
   * statements, fields and operations more than its bytes (docs/performance.md).
   */
  private static final int MAX_JAVA_BYTES = 5_600_000;
  /** 24,529 today: the statements that call an outlined shape's method instead of writing its operations out. */
  private static final int MIN_OUTLINED_CALLS = 24_000;
  private static final Pattern OUTLINED_CALL = Pattern.compile("(?m)^ +(?:double )?\\w+ = expr\\d+\\(");
  /**
   * 10,000 values, 10,000 of their adjoints, params, gradients, directions and the temporaries that cross parts: 30,234
   * today (34,640 before the 4,406 temporaries read only in their own part were its locals, {@link PartLocals}).
   */
  private static final int MAX_FIELDS = 31_000;
  /** A declaration of scalar fields: one name, or several (the temporaries, {@link CompactFields}). */
  private static final Pattern FIELD = Pattern.compile("(?m)^  (?:public|private) double (\\w+(?:, \\w+)*);$");

  private static int count(Pattern p, String s) {
    int n = 0;
    for (Matcher m = p.matcher(s); m.find(); ) n++;
    return n;
  }

  private static long allocatedBy(Runnable r) {
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = bean.getTotalThreadAllocatedBytes();
    r.run();
    return bean.getTotalThreadAllocatedBytes() - before;
  }
}
