package dev.nnc.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A copy of one project of src/it, built by real Maven runs (the Maven that runs this build, as
 * maven-invoker-plugin would start it) against target/it-repo, where maven-invoker-plugin's {@code install} put this
 * plugin and nnc. Everything else resolves from the outer build's local repository, then Maven Central.
 */
final class SampleBuild {
  /** One Maven run: its exit status and its whole output (also kept as build-N.log beside the project). */
  record Run(int exitCode, String log) {
    boolean succeeded() {
      return exitCode == 0;
    }
  }

  /** A file's bytes and timestamp: equal snapshots mean nothing rewrote the file. */
  record Stamp(String sha256, long modifiedNanos) {}

  private final Path project;
  private final Path settings;
  private int runs;

  private SampleBuild(Path project, Path settings) {
    this.project = project;
    this.settings = settings;
  }

  /** Copies src/it/NAME to target/its/NAME (afresh), with {@code @project.version@} filled in. */
  static SampleBuild of(String name) throws IOException {
    Path from = Path.of(property("nnc.it.projects")).resolve(name);
    Path work = Path.of(property("nnc.it.work"));
    Path to = work.resolve(name);
    deleteTree(to);
    copyTree(from, to);
    Path pom = to.resolve("pom.xml");
    Files.writeString(pom, Files.readString(pom, StandardCharsets.UTF_8)
        .replace("@project.version@", property("nnc.it.pluginVersion")), StandardCharsets.UTF_8);
    Path settings = work.resolve("settings.xml");
    Files.writeString(settings, settingsXml(Path.of(property("nnc.it.outerRepo")).toUri().toString()),
        StandardCharsets.UTF_8);
    return new SampleBuild(to, settings);
  }

  Path dir() {
    return project;
  }

  Path file(String relative) {
    return project.resolve(relative);
  }

  Run mvn(String... goals) throws IOException, InterruptedException {
    Path home = Path.of(property("nnc.it.mavenHome"));
    boolean windows = System.getProperty("os.name").startsWith("Windows");
    List<String> command = new ArrayList<>(List.of(home.resolve("bin").resolve(windows ? "mvn.cmd" : "mvn").toString(),
        "-B", "-ntp", "-s", settings.toString(), "-Dmaven.repo.local=" + property("nnc.it.repo")));
    command.addAll(List.of(goals));
    Path log = project.resolve("build-" + (++runs) + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // A short Maven run spends much of its CPU in the JIT's second tier; the first is enough (as mvnd does).
    builder.environment().put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1");
    Process process = builder.start();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("mvn " + String.join(" ", goals) + " did not finish in 10 minutes");
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Every regular file under {@code relative} (relative path with {@code /} → stamp); empty if it is missing. */
  Map<String, Stamp> stamps(String relative) throws IOException {
    Path root = project.resolve(relative);
    Map<String, Stamp> stamps = new TreeMap<>();
    if (!Files.isDirectory(root)) return stamps;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        long nanos = Files.getLastModifiedTime(p).to(TimeUnit.NANOSECONDS);
        stamps.put(root.relativize(p).toString().replace('\\', '/'),
            new Stamp(ModelGenerator.sha256(Files.readAllBytes(p)), nanos));
      }
    }
    return stamps;
  }

  void replace(String relative, String withStep) throws IOException {
    Files.copy(project.resolve(withStep), project.resolve(relative), StandardCopyOption.REPLACE_EXISTING);
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) throw new IllegalStateException(name + " is not set: run the *IT tests through failsafe (mvn verify)");
    return value;
  }

  private static String settingsXml(String outerRepo) {
    return """
        <settings>
          <profiles>
            <profile>
              <id>outer-repository</id>
              <activation><activeByDefault>true</activeByDefault></activation>
              <repositories>
                <repository><id>outer</id><url>%1$s</url><snapshots><enabled>false</enabled></snapshots></repository>
              </repositories>
              <pluginRepositories>
                <pluginRepository><id>outer</id><url>%1$s</url><snapshots><enabled>false</enabled></snapshots></pluginRepository>
              </pluginRepositories>
            </profile>
          </profiles>
        </settings>
        """.formatted(outerRepo);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) throw e;
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
