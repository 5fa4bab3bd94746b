package dev.nnc.maven;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.codegen.GeneratedFile;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticRenderer;
import dev.nnc.diag.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;

/**
 * One incremental run of the plugin, independent of Maven: compiles the model files that changed since the last
 * successful run ({@link BuildState}) with {@link Compiler#compile}, deletes what models that are gone or renamed
 * generated, and leaves everything else untouched (same bytes, same timestamps, so javac has nothing to redo).
 *
 * <p>All or nothing, as {@code nnc compile}: when any model has an error, every diagnostic is reported, nothing is
 * written or deleted and the state is kept, so the next run sees the same changes again.
 */
final class ModelGenerator {
  /** @param packageName the package of every generated class; null to take it from the model file's folder */
  record Settings(Path sourceDirectory, Path outputDirectory, Path stateFile, String packageName,
      String fingerprint) {}

  /** What a run did, for the log and for tests. {@code errors} is 0 when the build may go on. */
  record Outcome(int errors, List<String> compiled, List<String> upToDate, List<String> written,
      List<String> removed) {}

  private final Settings settings;
  private final Reporter reporter;

  ModelGenerator(Settings settings, Reporter reporter) {
    this.settings = settings;
    this.reporter = reporter;
  }

  Outcome run() throws IOException {
    BuildState previous = BuildState.read(settings.stateFile());
    boolean sameSettings = previous.fingerprint().equals(settings.fingerprint());
    Map<String, BuildState.Entry> next = new TreeMap<>();
    Map<String, GeneratedFile> toWrite = new LinkedHashMap<>();
    List<String> compiled = new ArrayList<>();
    List<String> upToDate = new ArrayList<>();
    int errors = 0;

    String badPackage = settings.packageName() == null ? null : packageProblem(settings.packageName());
    if (badPackage != null) {
      reporter.error("error: [" + Code.BAD_PACKAGE.id() + "] <packageName>" + settings.packageName()
          + "</packageName> " + badPackage);
      return new Outcome(1, List.of(), List.of(), List.of(), List.of());
    }

    for (String model : modelFiles()) {
      Path file = settings.sourceDirectory().resolve(model);
      byte[] bytes;
      try {
        bytes = dev.nnc.diag.SourceFiles.read(file);
      } catch (dev.nnc.diag.SourceFiles.Refused e) {
        reporter.error(file + ": error: [" + e.code().id() + "] " + e.getMessage());
        errors++;
        continue;
      } catch (IOException e) {
        reporter.error(file + ": error: [" + Code.CANNOT_READ.id() + "] cannot read: " + e.getMessage());
        errors++;
        continue;
      }
      String hash = sha256(bytes);
      BuildState.Entry old = previous.sources().get(model);
      if (sameSettings && old != null && old.sourceHash().equals(hash) && outputsIntact(old)) {
        next.put(model, old);
        upToDate.add(model);
        continue;
      }
      String pkg = settings.packageName() != null ? settings.packageName() : folderPackage(model);
      String problem = packageProblem(pkg);
      if (problem != null) {
        reporter.error(file + ": error: [" + Code.BAD_PACKAGE.id() + "] the folder " + parentOf(model)
            + " gives the package " + pkg + ", which " + problem
            + "; rename the folder or set <packageName> in the plugin's configuration");
        errors++;
        continue;
      }
      errors += compile(model, file, bytes, hash, pkg, next, toWrite);
      compiled.add(model);
    }
    errors += clashes(next);
    if (errors > 0) return new Outcome(errors, compiled, upToDate, List.of(), List.of());

    List<String> written = write(toWrite);
    List<String> removed = removeStale(previous, next);
    new BuildState(settings.fingerprint(), next).write(settings.stateFile());
    return new Outcome(0, compiled, upToDate, written, removed);
  }

  /** Every {@code *.nn} under the source directory, as sorted relative paths with {@code /}. */
  private List<String> modelFiles() throws IOException {
    Path root = settings.sourceDirectory();
    if (!Files.isDirectory(root)) return List.of();
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".nn"))
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }

  /** Compiles one model file; its files go to {@code toWrite} and its entry to {@code next}. Returns errors. */
  private int compile(String model, Path file, byte[] bytes, String hash, String pkg,
      Map<String, BuildState.Entry> next, Map<String, GeneratedFile> toWrite) {
    // Named relative to the source directory: the generated code says where it came from, never where the
    // checkout happens to be (the same project builds the same bytes anywhere).
    Source source = Source.fromBytes(model, bytes);
    Result result = Compiler.compile(source, Compiler.Options.defaults().inPackage(pkg));
    // Diagnostics name the file as it is on disk, so a terminal or IDE can open it at file:line:col.
    Source shown = Source.fromBytes(file.toString(), bytes);
    int errors = 0;
    for (Diagnostic d : result.diagnostics()) {
      for (String line : DiagnosticRenderer.render(shown, d).split("\n")) {
        if (d.isError()) reporter.error(line);
        else reporter.warn(line);
      }
      if (d.isError()) errors++;
    }
    if (errors > 0) return errors;
    Map<String, String> outputs = new TreeMap<>();
    for (GeneratedFile g : result.files()) {
      outputs.put(g.relativePath(), sha256(g.content().getBytes(StandardCharsets.UTF_8)));
      toWrite.put(g.relativePath(), g);
    }
    next.put(model, new BuildState.Entry(hash, outputs));
    return 0;
  }

  /** Two model files that generate the same class (case-insensitively: macOS and Windows file systems). */
  private int clashes(Map<String, BuildState.Entry> next) {
    Map<String, String> owner = new HashMap<>();
    int errors = 0;
    for (Map.Entry<String, BuildState.Entry> e : next.entrySet()) {
      for (String output : e.getValue().outputs().keySet()) {
        String earlier = owner.putIfAbsent(output.toLowerCase(Locale.ROOT), e.getKey());
        if (earlier != null) {
          reporter.error(settings.sourceDirectory().resolve(e.getKey()) + ": error: [" + Code.CLASS_CLASH.id()
              + "] generates " + output + ", which " + earlier + " also generates; rename one of the models");
          errors++;
        }
      }
    }
    return errors;
  }

  /** Writes each file whose bytes differ from what is there; an unchanged file keeps its timestamp. */
  private List<String> write(Map<String, GeneratedFile> files) throws IOException {
    List<String> written = new ArrayList<>();
    for (GeneratedFile g : files.values()) {
      Path target = settings.outputDirectory().resolve(g.relativePath());
      byte[] bytes = g.content().getBytes(StandardCharsets.UTF_8);
      if (Files.isRegularFile(target) && MessageDigest.isEqual(Files.readAllBytes(target), bytes)) continue;
      Files.createDirectories(target.getParent());
      Files.write(target, bytes);
      written.add(g.relativePath());
    }
    return written;
  }

  /** Deletes what the previous run generated and this one did not (deleted or renamed models). */
  private List<String> removeStale(BuildState previous, Map<String, BuildState.Entry> next) throws IOException {
    java.util.Set<String> kept = new java.util.HashSet<>();
    for (BuildState.Entry e : next.values()) kept.addAll(e.outputs().keySet());
    List<String> removed = new ArrayList<>();
    for (BuildState.Entry e : previous.sources().values()) {
      for (String output : e.outputs().keySet()) {
        if (kept.contains(output)) continue;
        Path target = settings.outputDirectory().resolve(output);
        if (Files.deleteIfExists(target)) removed.add(output);
        deleteEmptyFolders(target.getParent());
      }
    }
    return removed;
  }

  private void deleteEmptyFolders(Path folder) throws IOException {
    Path root = settings.outputDirectory();
    while (folder != null && folder.startsWith(root) && !folder.equals(root) && Files.isDirectory(folder)) {
      try (Stream<Path> children = Files.list(folder)) {
        if (children.findAny().isPresent()) return;
      }
      Files.delete(folder);
      folder = folder.getParent();
    }
  }

  private boolean outputsIntact(BuildState.Entry entry) throws IOException {
    for (Map.Entry<String, String> o : entry.outputs().entrySet()) {
      Path target = settings.outputDirectory().resolve(o.getKey());
      if (!Files.isRegularFile(target) || !sha256(Files.readAllBytes(target)).equals(o.getValue())) return false;
    }
    return true;
  }

  /** {@code com/example/models/b.nn} → {@code com.example.models}; a file at the top → the unnamed package. */
  static String folderPackage(String model) {
    return parentOf(model).replace('/', '.');
  }

  private static String parentOf(String model) {
    int slash = model.lastIndexOf('/');
    return slash < 0 ? "" : model.substring(0, slash);
  }

  /** Why {@code pkg} is not a Java package name, or null if it is one ("" is the unnamed package). */
  static String packageProblem(String pkg) {
    if (pkg.isEmpty() || SourceVersion.isName(pkg)) return null;
    return "is not a Java package name (dot-separated identifiers that are not keywords, e.g. com.example.models)";
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
