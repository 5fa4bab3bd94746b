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
 * Work the stages hand to other threads (code generation's, on a machine with several cores) is in the wall time only.
 */
public class LongStages {
  public static void main(String[] args) throws Exception {
    String text = Files.readString(Path.of(args[0]));
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Thread t = new Thread(null, () -> {
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      for (int r = 0; r < runs; r++) {
        long w0 = System.nanoTime();
        long c0 = mx.getCurrentThreadCpuTime();
        Source src = Source.of(args[0], text);
        Diagnostics d = new Diagnostics();
        SourceFile ast = SourceParser.parse(src, d);
        long c1 = mx.getCurrentThreadCpuTime();
        List<ModelIR> models = Checker.check(ast, src, d);
        long c2 = mx.getCurrentThreadCpuTime();
        DiffModel dm = Simplifier.differentiate(models.get(0));
        long c3 = mx.getCurrentThreadCpuTime();
        String java = JavaGenerator.generate(dm, "").content();
        long c4 = mx.getCurrentThreadCpuTime();
        long w4 = System.nanoTime();
        System.out.printf("parse %.2f s, check %.2f s, diff+simplify %.2f s, codegen %.2f s | thread CPU %.2f s, wall"
            + " %.2f s (%d chars of Java)%n", (c1 - c0) / 1e9, (c2 - c1) / 1e9, (c3 - c2) / 1e9, (c4 - c3) / 1e9,
            (c4 - c0) / 1e9, (w4 - w0) / 1e9, java.length());
      }
    }, "compile", 1L << 30);
    t.start();
    t.join();
  }
}
