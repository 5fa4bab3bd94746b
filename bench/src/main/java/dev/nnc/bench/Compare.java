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
 * One command, one interleaved run, ratios printed: for every model × batch × data kind, one SGD step of each
 * implementation, timed in turn by worker processes that stay up for the whole run: {@link Worker} on one processor
 * ({@code -XX:ActiveProcessorCount=1}, common fork-join pool without workers) and on all of them, and bench/twins.py
 * (NumPy on one OpenBLAS thread, PyTorch with torch.set_num_threads(1)). See docs/performance.md for the command.
 *
 * <p>System properties: {@code seconds} per measurement (1), {@code rounds} (1; the median is reported),
 * {@code clock} {@code wall} (default) or {@code cpu} (each one-thread implementation's thread CPU time: for a
 * machine shared with other work; the parallel columns, wall time, are then left out unless {@code parallel} is
 * true), {@code configs} a regular expression over config names such as {@code two-50 b100 dense} (all), {@code nnc.python}
 * (/usr/bin/python3), {@code nnc.baselineJar} (an older nnc jar: its generated classes are measured as
 * {@code baseline}).
 */
public final class Compare {
  private Compare() {}

  /** Nominal FP64 peak of one core here: AVX2 (4 doubles) × 2 FMA pipes × 2 flops × 2.45 GHz (see /proc/cpuinfo). */
  static final double PEAK_GFLOPS = 4 * 2 * 2 * 2.45;
  static final Path WORK = Path.of("bench/target/compare");

  record Config(String model, int hidden, int batch, String data) {
    String name() {
      return model + "-" + hidden + " b" + batch + " " + data;
    }

    /** Multiply-adds of one step's products (forward and backward), ×2 = FLOPs. */
    double flops() {
      double b = batch, i = 784, h = hidden, o = 10;
      return 2 * (model.equals("two") ? b * (2 * i * h + 3 * h * o) : b * (2 * i * h + 3 * h * h + 3 * h * o));
    }
  }

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

    double time(String impl, Config c, Path data, int batches, double seconds) throws IOException {
      to.write(impl + " " + c.model + " " + c.hidden + " " + c.batch + " " + batches + " " + data.toAbsolutePath() + " "
          + seconds + "\n");
      to.flush();
      String line = from.readLine();
      if (line == null) throw new IOException(name + " " + impl + " died on " + c.name());
      return Double.parseDouble(line.trim());
    }

    @Override
    public void close() throws IOException {
      to.close();
      process.destroy();
    }
  }

  static Path modelFile(String model, int hidden) throws IOException {
    if (model.equals("deep")) return Path.of("bench/models/deep_relu.nn");
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

  static void baselineSources(Path jar, List<Config> configs, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    for (Config c : configs) {
      Path target = dir.resolve(c.model + "-" + c.hidden + ".java");
      if (Files.exists(target)) continue;
      Path out = Files.createTempDirectory(WORK, "baseline");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p = new ProcessBuilder(java, "-jar", jar.toString(), "compile", modelFile(c.model, c.hidden).toString(),
          "-d", out.toString()).inheritIO().start();
      if (p.waitFor() != 0) throw new IllegalStateException("baseline nnc failed on " + c.name());
      try (var files = Files.walk(out)) {
        Path src = files.filter(f -> f.toString().endsWith(".java")).findFirst().orElseThrow();
        Files.move(src, target);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    double seconds = Double.parseDouble(System.getProperty("seconds", "1"));
    String clock = System.getProperty("clock", "wall");
    int rounds = Integer.getInteger("rounds", 1);
    String filter = System.getProperty("configs", ".*");
    String baselineJar = System.getProperty("nnc.baselineJar");
    List<Config> configs = new ArrayList<>();
    for (String data : new String[] {"dense", "mnist"}) {
      for (int batch : new int[] {1, 100, 1000}) {
        for (int hidden : new int[] {50, 256, 1024}) configs.add(new Config("two", hidden, batch, data));
        configs.add(new Config("deep", 256, batch, data));
      }
    }
    configs.removeIf(c -> !c.name().matches(filter));
    Path baselineDir = WORK.resolve("baseline-src");
    if (baselineJar != null) baselineSources(Path.of(baselineJar), configs, baselineDir);

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    List<String> one = List.of(java, "-Dclock=" + clock, "-XX:ActiveProcessorCount=1",
        "-Djava.util.concurrent.ForkJoinPool.common.parallelism=0", "-Dnnc.baseline=" + baselineDir, "-cp", cp,
        "dev.nnc.bench.Worker");
    List<String> all = List.of(java, "-Dnnc.baseline=" + baselineDir, "-cp", cp, "dev.nnc.bench.Worker");
    Map<String, String> pyEnv = Map.of("NNC_CLOCK", clock, "OPENBLAS_NUM_THREADS", "1", "OMP_NUM_THREADS", "1",
        "MKL_NUM_THREADS", "1", "MALLOC_MMAP_THRESHOLD_", "33554432", "MALLOC_TRIM_THRESHOLD_", "1073741824");
    List<String> pyUnset = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");
    String python = System.getProperty("nnc.python", "/usr/bin/python3");
    Dataset mnist = Dataset.loadIdx(System.getProperty("nnc.data", "examples/data/mnist10k"));

    // wall time of the parallel versions means nothing on a machine shared with other work: with the CPU clock they
    // are left out unless asked for
    boolean parallel = clock.equals("wall") || Boolean.getBoolean("parallel");
    List<String[]> impls = new ArrayList<>(); // {peer, impl, column}
    impls.add(new String[] {"1cpu", "generated", "gen 1t"});
    if (parallel) impls.add(new String[] {"all", "generated", "gen 2t"});
    if (baselineJar != null) {
      impls.add(new String[] {"1cpu", "baseline", "old 1t"});
      if (parallel) impls.add(new String[] {"all", "baseline", "old 2t"});
    }
    impls.add(new String[] {"1cpu", "hand", "hand 1t"});
    if (parallel) impls.add(new String[] {"all", "hand", "hand 2t"});
    impls.add(new String[] {"py", "numpy", "numpy"});
    impls.add(new String[] {"py", "torch", "torch"});

    System.out.printf(Locale.ROOT, "clock: %s (parallel columns: wall)%n", clock);
    System.out.printf(Locale.ROOT, "load average before: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    Map<String, Map<String, double[]>> results = new LinkedHashMap<>();
    try (Peer p1 = new Peer("java 1 cpu", one, Map.of(), List.of());
        Peer pAll = new Peer("java", all, Map.of(), List.of());
        Peer py = new Peer("python", List.of(python, "bench/twins.py"), pyEnv, pyUnset)) {
      Map<String, Peer> peers = Map.of("1cpu", p1, "all", pAll, "py", py);
      StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-22s", "ms / step"));
      for (String[] impl : impls) header.append(String.format(Locale.ROOT, "%10s", impl[2]));
      header.append("   gen1t/np  gen2t/np  gen1t/torch  GFLOP/s gen1t np  (% of 1-core peak)");
      System.out.println(header);
      for (Config c : configs) {
        Path data = data(c.data, c.batch, mnist);
        Map<String, double[]> row = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
          for (String[] impl : impls) {
            if (impl[1].equals("hand") && !c.model.equals("two")) continue;
            double ms = peers.get(impl[0]).time(impl[1], c, data, batches(c.batch), seconds);
            row.computeIfAbsent(impl[2], k -> new double[rounds])[round] = ms;
          }
        }
        results.put(c.name(), row);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s", c.name()));
        for (String[] impl : impls) {
          double[] v = row.get(impl[2]);
          line.append(v == null ? String.format(Locale.ROOT, "%10s", "-") : String.format(Locale.ROOT, "%10.4f", median(v)));
        }
        double g1 = median(row.get("gen 1t")), g2 = row.containsKey("gen 2t") ? median(row.get("gen 2t")) : Double.NaN;
        double np = median(row.get("numpy")), th = median(row.get("torch"));
        double gf = c.flops() / g1 / 1e6, npf = c.flops() / np / 1e6;
        line.append(String.format(Locale.ROOT, "   %8.2f  %8.2f  %11.2f  %7.1f %5.1f  (%.0f %% / %.0f %%)", g1 / np,
            g2 / np, g1 / th, gf, npf, 100 * gf / PEAK_GFLOPS, 100 * npf / PEAK_GFLOPS));
        System.out.println(line);
      }
    }
    System.out.printf(Locale.ROOT, "load average after: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
  }

  static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }
}
