import dev.nnc.ast.SourceFile;
import dev.nnc.check.Checker;
import dev.nnc.codegen.JavaGenerator;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Source;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.ModelIR;
import dev.nnc.parse.SourceParser;
import dev.nnc.simplify.Simplifier;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU time of each stage of nnc on a model's compile thread, for issue 11's long models (docs/performance.md):
 * parse, check, differentiation with simplification, code generation; then the thread's CPU and the wall time, for
 * several compiles in one JVM (the first pays the JIT's warm-up). Run with the jar on the class path, as the launcher
 * runs nnc compile:
 *
 * <pre>
 *   bench/long-compile.sh --print-model 10000 > /tmp/long.nn
 *   java -XX:TieredStopAtLevel=1 -XX:+UseParallelGC -Xmn600m -cp target/nnc-0.1.0-SNAPSHOT.jar bench/LongStages.java /tmp/long.nn 3
 * </pre>
 *
 * Each line ends with the bytes each stage allocated on that thread (the same from run to run, unlike times on a
 * shared machine). A third argument names a file to write the first compile's Java to (to compare a change's output
 * with {@code cmp}). Work the stages hand to other threads (code generation's, on a machine with several cores) is in
 * code generation's wall time and in the process's CPU time during it (which also counts the JIT and the collector);
 * with {@code -XX:ActiveProcessorCount=1} no worker starts and all of it is on this thread.
 */
public class LongStages {
  public static void main(String[] args) throws Exception {
    String text = Files.readString(Path.of(args[0]));
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Thread t = new Thread(null, () -> {
      com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      for (int r = 0; r < runs; r++) {
        long w0 = System.nanoTime();
        long c0 = mx.getCurrentThreadCpuTime();
        long a0 = mx.getCurrentThreadAllocatedBytes();
        Source src = Source.of(args[0], text);
        Diagnostics d = new Diagnostics();
        SourceFile ast = SourceParser.parse(src, d);
        long c1 = mx.getCurrentThreadCpuTime();
        long a1 = mx.getCurrentThreadAllocatedBytes();
        List<ModelIR> models = Checker.check(ast, src, d);
        long c2 = mx.getCurrentThreadCpuTime();
        long a2 = mx.getCurrentThreadAllocatedBytes();
        DiffModel dm = Simplifier.differentiate(models.get(0));
        long c3 = mx.getCurrentThreadCpuTime();
        long a3 = mx.getCurrentThreadAllocatedBytes();
        long w3 = System.nanoTime();
        long p3 = os.getProcessCpuTime();
        String java = JavaGenerator.generate(dm, "").content();
        long c4 = mx.getCurrentThreadCpuTime();
        long w4 = System.nanoTime();
        long p4 = os.getProcessCpuTime();
        long a4 = mx.getCurrentThreadAllocatedBytes();
        if (r == 0 && args.length > 2) {
          try {
            Files.writeString(Path.of(args[2]), java);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
        System.out.printf("parse %.2f s, check %.2f s, diff+simplify %.2f s, codegen %.2f s (wall %.2f s, process CPU"
            + " %.2f s) | thread CPU %.2f s, wall %.2f s (%d chars of Java) | allocated by this thread: %d / %d / %d / %d"
            + " MB%n", (c1 - c0) / 1e9, (c2 - c1) / 1e9, (c3 - c2) / 1e9, (c4 - c3) / 1e9, (w4 - w3) / 1e9,
            (p4 - p3) / 1e9, (c4 - c0) / 1e9, (w4 - w0) / 1e9, java.length(), (a1 - a0) >> 20, (a2 - a1) >> 20,
            (a3 - a2) >> 20, (a4 - a3) >> 20);
      }
    }, "compile", 1L << 30);
    t.start();
    t.join();
  }
}
