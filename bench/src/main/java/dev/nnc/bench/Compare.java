package dev.nnc.bench;

import dev.nnc.train.Dataset;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.DataOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One command, one interleaved run, ratios printed: for every model × batch × data kind × precision, one SGD step of
 * each implementation, timed in turn by worker processes that stay up for the whole run: {@link Worker} on one
 * processor ({@code -XX:ActiveProcessorCount=1}, common fork-join pool without workers) and on all of them, and
 * bench/twins.py (NumPy on one OpenBLAS thread, PyTorch with torch.set_num_threads(1)). For the generated class on one
 * processor the worker also times forward alone and backward alone, and counts the bytes its thread allocates per
 * step once warm. At the end a Markdown table for docs/performance.md. See docs/performance.md for the command.
 *
 * <p>System properties: {@code seconds} per measurement (1), {@code rounds} (1; the median is reported),
 * {@code clock} {@code wall} (default) or {@code cpu} (each one-thread implementation's thread CPU time: for a
 * machine shared with other work; the two-core columns, wall time, are then left out unless {@code parallel} is
 * true, and then NumPy is also timed by wall time for their ratio), {@code configs} a regular expression over config
 * names such as {@code two-50 b100 dense}, {@code deep-256 b1000 mnist f32} or {@code cnn b100 mnist} (all),
 * {@code nnc.python} (/usr/bin/python3), {@code nnc.baselineJar} (an older nnc jar: its generated classes are measured
 * as {@code baseline}, float64 only).
 */
public final class Compare {
  private Compare() {}

  /** Nominal FP64 peak of one core here: AVX2 (4 doubles) × 2 FMA pipes × 2 flops × 2.45 GHz (see /proc/cpuinfo). */
  static final double PEAK_GFLOPS = 4 * 2 * 2 * 2.45;
  static final Path WORK = Path.of("bench/target/compare");

  /** model two (784-hidden-10), deep (784-256-256-10) or cnn (examples/mnist_cnn.nn); precision f64 or f32. */
  record Config(String model, int hidden, int batch, String data, String precision) {
    String name() {
      return (model.equals("cnn") ? "cnn" : model + "-" + hidden) + " b" + batch + " " + data
          + (precision.equals("f32") ? " f32" : "");
    }

    /** The nominal peak of one core in this precision (AVX2 holds 8 floats where it holds 4 doubles). */
    double peak() {
      return precision.equals("f32") ? 2 * PEAK_GFLOPS : PEAK_GFLOPS;
    }

    /**
     * FLOPs of one step's products (forward and backward; 2 per multiply-add). A dense or convolution layer costs
     * its forward multiply-adds once forward, once for its weight gradient and once for its input's gradient, except
     * the first layer, whose input (the data) gets no gradient.
     */
    double flops() {
      double b = batch, i = 784, h = hidden, o = 10;
      if (model.equals("cnn")) {
        double conv1 = 8 * 24 * 24 * 25, conv2 = 16 * 8 * 8 * 200, dense = 256 * 128 + 128 * o;
        return 2 * b * (2 * conv1 + 3 * conv2 + 3 * dense);
      }
      return 2 * (model.equals("two") ? b * (2 * i * h + 3 * h * o) : b * (2 * i * h + 3 * h * h + 3 * h * o));
    }
  }

  /** One measurement: ms per step, and for the detailed ones forward ms, backward ms, bytes per step (else NaN). */
  record Time(double step, double forward, double backward, double bytes) {}

  /** A worker process (Java or Python) speaking the one-line protocol. */
  static final class Peer implements AutoCloseable {
    final String name;
    final Process process;
    final BufferedWriter to;
    final BufferedReader from;

    Peer(String name, List<String> command, Map<String, String> env, List<String> unset) throws IOException {
      this.name = name;
      ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
      pb.environment().putAll(env);
      for (String u : unset) pb.environment().remove(u);
      process = pb.start();
      to = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
      from = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    Time time(String impl, Config c, Path data, double seconds, String clock, boolean detail) throws IOException {
      to.write(impl + " " + c.model + " " + c.hidden + " " + c.batch + " " + batches(c.batch) + " "
          + data.toAbsolutePath() + " " + seconds + " " + c.precision + " " + clock + (detail ? " all" : " step")
          + "\n");
      to.flush();
      String line = from.readLine();
      if (line == null) throw new IOException(name + " " + impl + " died on " + c.name());
      String[] f = line.trim().split("\\s+");
      double[] v = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
      for (int i = 0; i < f.length && i < 4; i++) v[i] = Double.parseDouble(f[i]);
      return new Time(v[0], v[1], v[2], v[3]);
    }

    @Override
    public void close() throws IOException {
      to.close();
      process.destroy();
    }
  }

  static Path modelFile(String model, int hidden) throws IOException {
    if (model.equals("deep")) return Path.of("bench/models/deep_relu.nn");
    if (model.equals("cnn")) return Path.of("examples/mnist_cnn.nn");
    Path original = Path.of("examples/two_layer_net.nn");
    if (hidden == 50) return original;
    String text = Files.readString(original);
    if (!text.contains("H = 50")) throw new IllegalStateException("examples/two_layer_net.nn no longer has H = 50");
    Files.createDirectories(WORK);
    Path p = WORK.resolve("two_layer_net_" + hidden + ".nn");
    Files.writeString(p, text.replace("H = 50", "H = " + hidden));
    return p;
  }

  static int batches(int batch) {
    return batch >= 1000 ? 4 : 16;
  }

  /** Writes batches × X then batches × T (float64 little-endian): MNIST digits or dense uniform pixels. */
  static Path data(String kind, int batch, Dataset mnist) throws IOException {
    Files.createDirectories(WORK);
    Path p = WORK.resolve(kind + "-" + batch + ".bin");
    int n = batches(batch);
    SplittableRandom r = new SplittableRandom(kind.equals("mnist") ? 1 : 2);
    double[][] x = new double[n][batch * 784], t = new double[n][batch * 10];
    for (int b = 0; b < n; b++) {
      for (int row = 0; row < batch; row++) {
        int label;
        if (kind.equals("mnist")) {
          int item = r.nextInt(mnist.size());
          System.arraycopy(mnist.features(), item * 784, x[b], row * 784, 784);
          label = mnist.labels()[item];
        } else {
          for (int i = 0; i < 784; i++) x[b][row * 784 + i] = r.nextDouble();
          label = r.nextInt(10);
        }
        t[b][row * 10 + label] = 1;
      }
    }
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(p), 1 << 16))) {
      for (double[][] m : new double[][][] {x, t}) {
        for (double[] a : m) for (double v : a) out.writeLong(Long.reverseBytes(Double.doubleToRawLongBits(v)));
      }
    }
    return p;
  }

  /** The baseline nnc's class for each f64 config (a model it cannot compile is reported and left out). */
  static void baselineSources(Path jar, List<Config> configs, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    for (Config c : configs) {
      Path target = dir.resolve(c.model + "-" + c.hidden + ".java");
      if (Files.exists(target) || !c.precision.equals("f64")) continue;
      Path out = Files.createTempDirectory(WORK, "baseline");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p = new ProcessBuilder(java, "-jar", jar.toString(), "compile", modelFile(c.model, c.hidden).toString(),
          "-d", out.toString()).inheritIO().start();
      if (p.waitFor() != 0) {
        System.out.println("baseline nnc failed on " + c.name() + ": left out");
        continue;
      }
      try (var files = Files.walk(out)) {
        Path src = files.filter(f -> f.toString().endsWith(".java")).findFirst().orElseThrow();
        Files.move(src, target);
      }
    }
  }

  /** The configs in run order: the sizes on dense and MNIST data, float64 then float32, then the CNN. */
  static List<Config> configs() {
    List<Config> configs = new ArrayList<>();
    for (String precision : new String[] {"f64", "f32"}) {
      for (String data : new String[] {"dense", "mnist"}) {
        for (int batch : new int[] {1, 100, 1000}) {
          for (int hidden : new int[] {50, 256, 1024}) configs.add(new Config("two", hidden, batch, data, precision));
          configs.add(new Config("deep", 256, batch, data, precision));
        }
      }
    }
    for (String precision : new String[] {"f64", "f32"}) {
      for (int batch : new int[] {1, 100, 1000}) configs.add(new Config("cnn", 0, batch, "mnist", precision));
    }
    return configs;
  }

  /** A column of the table: which peer runs which implementation, with which clock. */
  record Column(String peer, String impl, String title, boolean wall) {}

  public static void main(String[] args) throws Exception {
    double seconds = Double.parseDouble(System.getProperty("seconds", "1"));
    String clock = System.getProperty("clock", "wall");
    int rounds = Integer.getInteger("rounds", 1);
    String filter = System.getProperty("configs", ".*");
    String baselineJar = System.getProperty("nnc.baselineJar");
    List<Config> configs = configs();
    configs.removeIf(c -> !c.name().matches(filter));
    Path baselineDir = WORK.resolve("baseline-src");
    if (baselineJar != null) baselineSources(Path.of(baselineJar), configs, baselineDir);

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    List<String> one = List.of(java, "-XX:ActiveProcessorCount=1",
        "-Djava.util.concurrent.ForkJoinPool.common.parallelism=0", "-Dnnc.baseline=" + baselineDir, "-cp", cp,
        "dev.nnc.bench.Worker");
    List<String> all = List.of(java, "-Dnnc.baseline=" + baselineDir, "-cp", cp, "dev.nnc.bench.Worker");
    Map<String, String> pyEnv = Map.of("OPENBLAS_NUM_THREADS", "1", "OMP_NUM_THREADS", "1",
        "MKL_NUM_THREADS", "1", "MALLOC_MMAP_THRESHOLD_", "33554432", "MALLOC_TRIM_THRESHOLD_", "1073741824");
    List<String> pyUnset = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");
    String python = System.getProperty("nnc.python", "/usr/bin/python3");
    Dataset mnist = Dataset.loadIdx(System.getProperty("nnc.data", "examples/data/mnist10k"));

    // wall time of the two-core versions means nothing on a machine shared with other work: with the CPU clock they
    // are left out unless asked for, and then NumPy is timed by wall time too, for their ratio
    boolean wall = clock.equals("wall");
    boolean parallel = wall || Boolean.getBoolean("parallel");
    List<Column> columns = new ArrayList<>();
    columns.add(new Column("1cpu", "generated", "gen 1t", wall));
    if (parallel) columns.add(new Column("all", "generated", "gen 2t", true));
    if (baselineJar != null) {
      columns.add(new Column("1cpu", "baseline", "old 1t", wall));
      if (parallel) columns.add(new Column("all", "baseline", "old 2t", true));
    }
    columns.add(new Column("1cpu", "hand", "hand 1t", wall));
    if (parallel) columns.add(new Column("all", "hand", "hand 2t", true));
    columns.add(new Column("py", "numpy", "numpy", wall));
    if (parallel && !wall) columns.add(new Column("py", "numpy", "np wall", true));
    columns.add(new Column("py", "torch", "torch", wall));

    System.out.printf(Locale.ROOT, "clock: %s (two-core columns: wall)%n", clock);
    String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    System.out.printf(Locale.ROOT, "load average before: %s%n", loadBefore);
    Map<Config, Map<String, Time>> results = new LinkedHashMap<>();
    try (Peer p1 = new Peer("java 1 cpu", one, Map.of(), List.of());
        Peer pAll = new Peer("java", all, Map.of(), List.of());
        Peer py = new Peer("python", List.of(python, "bench/twins.py"), pyEnv, pyUnset)) {
      Map<String, Peer> peers = Map.of("1cpu", p1, "all", pAll, "py", py);
      StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-24s", "ms / step"));
      for (Column col : columns) header.append(String.format(Locale.ROOT, "%10s", col.title()));
      header.append("   gen1t/np  gen2t/np  gen1t/torch  bwd/fwd  B/step  GFLOP/s gen1t np  (% of 1-core peak)");
      System.out.println(header);
      for (Config c : configs) {
        Path data = data(c.data, c.batch, mnist);
        Map<String, double[]> row = new LinkedHashMap<>();
        Time detail = null;
        for (int round = 0; round < rounds; round++) {
          for (Column col : columns) {
            if (!applies(col.impl(), c, baselineDir)) continue;
            boolean detailed = col.title().equals("gen 1t") && round == 0;
            Time t = peers.get(col.peer()).time(col.impl(), c, data, seconds, col.wall() ? "wall" : "cpu", detailed);
            if (detailed) detail = t;
            row.computeIfAbsent(col.title(), k -> new double[rounds])[round] = t.step();
          }
        }
        Map<String, Time> medians = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : row.entrySet()) {
          medians.put(e.getKey(), new Time(median(e.getValue()), Double.NaN, Double.NaN, Double.NaN));
        }
        if (detail != null) {
          medians.put("gen 1t", new Time(medians.get("gen 1t").step(), detail.forward(), detail.backward(),
              detail.bytes()));
        }
        results.put(c, medians);
        System.out.println(consoleLine(c, columns, medians));
      }
    }
    String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
    System.out.printf(Locale.ROOT, "load average after: %s%n%n", loadAfter);
    System.out.print(markdown(results, columns, clock, loadBefore, loadAfter));
  }

  /** Whether a column has a value for a config: the hand-written net is two-layer float64; the baseline float64. */
  static boolean applies(String impl, Config c, Path baselineDir) {
    if (impl.equals("hand")) return c.model.equals("two") && c.precision.equals("f64");
    if (impl.equals("baseline")) {
      return c.precision.equals("f64") && Files.exists(baselineDir.resolve(c.model + "-" + c.hidden + ".java"));
    }
    return true;
  }

  static double get(Map<String, Time> row, String column) {
    Time t = row.get(column);
    return t == null ? Double.NaN : t.step();
  }

  /** gen 2t (wall) over NumPy on one thread by wall time: the np wall column under the CPU clock, else numpy. */
  static double twoCoreRatio(Map<String, Time> row) {
    double np = row.containsKey("np wall") ? get(row, "np wall") : get(row, "numpy");
    return get(row, "gen 2t") / np;
  }

  private static String consoleLine(Config c, List<Column> columns, Map<String, Time> row) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-24s", c.name()));
    for (Column col : columns) {
      double v = get(row, col.title());
      line.append(Double.isNaN(v) ? String.format(Locale.ROOT, "%10s", "-") : String.format(Locale.ROOT, "%10.4f", v));
    }
    Time g = row.get("gen 1t");
    double g1 = g.step(), np = get(row, "numpy"), th = get(row, "torch");
    double gf = c.flops() / g1 / 1e6, npf = c.flops() / np / 1e6;
    line.append(String.format(Locale.ROOT, "   %8.2f  %8.2f  %11.2f  %7.2f  %6.0f  %7.1f %5.1f  (%.0f %% / %.0f %%)",
        g1 / np, twoCoreRatio(row), g1 / th, g.backward() / g.forward(), g.bytes(), gf, npf, 100 * gf / c.peak(),
        100 * npf / c.peak()));
    return line.toString();
  }

  /** The results as a Markdown table for docs/performance.md (GFLOP/s left out on MNIST: zero-skipping is not work). */
  static String markdown(Map<Config, Map<String, Time>> results, List<Column> columns, String clock, String before,
      String after) {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "ms per step (%s time; two-core columns wall time), load average %s before, %s"
        + " after; ratio > 1 = generated slower%n%n", clock, before.split(" ")[0], after.split(" ")[0]));
    md.append("| config |");
    for (Column col : columns) md.append(' ').append(title(col.title())).append(" |");
    md.append(" gen / NumPy | gen 2 cores / NumPy | gen / PyTorch | backward / forward | bytes / step"
        + " | GFLOP/s gen (% of peak) | GFLOP/s NumPy (% of peak) |\n");
    md.append("|").append(" --- |".repeat(columns.size() + 8)).append('\n');
    for (Map.Entry<Config, Map<String, Time>> e : results.entrySet()) {
      Config c = e.getKey();
      Map<String, Time> row = e.getValue();
      md.append("| ").append(c.name()).append(" |");
      for (Column col : columns) md.append(' ').append(number(get(row, col.title()))).append(" |");
      Time g = row.get("gen 1t");
      double np = get(row, "numpy");
      md.append(String.format(Locale.ROOT, " **%.2f** | %s | %.2f | %.2f | %.0f |", g.step() / np,
          Double.isNaN(twoCoreRatio(row)) ? "—" : String.format(Locale.ROOT, "%.2f", twoCoreRatio(row)),
          g.step() / get(row, "torch"), g.backward() / g.forward(), g.bytes()));
      if (c.data.equals("mnist") && !c.model.equals("cnn")) {
        md.append(" — | — |\n");
      } else {
        double gf = c.flops() / g.step() / 1e6, npf = c.flops() / np / 1e6;
        md.append(String.format(Locale.ROOT, " %.1f (%.0f %%) | %.1f (%.0f %%) |%n", gf, 100 * gf / c.peak(), npf,
            100 * npf / c.peak()));
      }
    }
    md.append(String.format(Locale.ROOT, "%nPeak: %.1f GFLOP/s per core in float64, %.1f in float32 (f32 rows).%n",
        PEAK_GFLOPS, 2 * PEAK_GFLOPS));
    return md.toString();
  }

  private static String title(String column) {
    return switch (column) {
      case "gen 1t" -> "generated";
      case "gen 2t" -> "generated, 2 cores";
      case "old 1t" -> "old generated";
      case "old 2t" -> "old, 2 cores";
      case "hand 1t" -> "hand-written";
      case "hand 2t" -> "hand-written, 2 cores";
      case "numpy" -> "NumPy";
      case "np wall" -> "NumPy (wall)";
      case "torch" -> "PyTorch";
      default -> column;
    };
  }

  private static String number(double v) {
    if (Double.isNaN(v)) return "—";
    return String.format(Locale.ROOT, v >= 100 ? "%.1f" : v >= 1 ? "%.3f" : "%.4f", v);
  }

  static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }
}
