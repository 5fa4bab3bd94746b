package dev.nnc.maven;

import dev.nnc.Compiler;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * {@code nnc:generate}: compiles every {@code .nn} file under {@link #sourceDirectory} into Java sources under
 * {@link #outputDirectory} and adds that folder to the compile source roots, so javac compiles the generated
 * classes with the project's own code. Incremental: only model files whose bytes changed are compiled again, and
 * the classes of deleted models are deleted (see {@link ModelGenerator}). A model error fails the build with the
 * compiler's diagnostic: {@code file:line:col}, code, source line and caret.
 *
 * <p>This class only turns Maven parameters into {@link ModelGenerator.Settings} and its report into log lines;
 * every model is compiled by {@link Compiler#compile}, as by {@code nnc compile}.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {
  /** Where the {@code .nn} files are; their folders below it give the Java package (unless packageName is set). */
  @Parameter(property = "nnc.sourceDirectory", defaultValue = "${project.basedir}/src/main/nn", required = true)
  private File sourceDirectory;

  /** Where the generated {@code .java} files go; added to the project's compile source roots. */
  @Parameter(property = "nnc.outputDirectory", defaultValue = "${project.build.directory}/generated-sources/nnc",
      required = true)
  private File outputDirectory;

  /** The Java package of every generated class; when not set, the model file's folder path gives it. */
  @Parameter(property = "nnc.packageName")
  private String packageName;

  /**
   * The element type of the generated classes: {@code float64} ({@code double[]}, the default) or {@code float32}
   * ({@code float[]}), as {@code nnc compile --precision}.
   */
  @Parameter(property = "nnc.precision", defaultValue = "float64")
  private String precision;

  /**
   * {@code full} (the default): classes with flat views, gradient aggregation, optimisers and .npz save/load;
   * {@code core}: only the constructor, initialize, forward, predict, backward and step (as {@code nnc compile --api}).
   */
  @Parameter(property = "nnc.api", defaultValue = "full")
  private String api;

  /** Skips the goal (the generated sources are neither made nor added). */
  @Parameter(property = "nnc.skip", defaultValue = "false")
  private boolean skip;

  /** Where each execution keeps what it generated last, to know what changed. */
  @Parameter(defaultValue = "${project.build.directory}/nnc-maven-plugin", readonly = true, required = true)
  private File stateDirectory;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
  private MojoExecution execution;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    Log log = getLog();
    if (skip) {
      log.info("nnc: skipped (nnc.skip)");
      return;
    }
    Path source = sourceDirectory.toPath();
    Path output = outputDirectory.toPath();
    ModelGenerator.Settings settings = new ModelGenerator.Settings(source, output,
        stateDirectory.toPath().resolve(execution.getExecutionId() + ".state"), emptyToNull(packageName),
        fingerprint(), emptyToNull(precision), emptyToNull(api));
    ModelGenerator.Outcome outcome;
    try {
      outcome = new ModelGenerator(settings, new MavenReporter(log)).run();
    } catch (IOException e) {
      throw new MojoExecutionException("nnc: " + e, e);
    }
    if (outcome.errors() > 0) {
      throw new MojoFailureException("nnc: " + plural(outcome.errors(), "error") + " in the models under "
          + project.getBasedir().toPath().relativize(source) + " (see above)");
    }
    for (String path : outcome.written()) log.info("nnc: wrote " + path);
    for (String path : outcome.removed()) log.info("nnc: removed " + path + " (its model is gone)");
    log.info("nnc: " + plural(outcome.compiled().size() + outcome.upToDate().size(), "model file") + ", "
        + outcome.compiled().size() + " compiled, " + outcome.upToDate().size() + " up to date");
    if (Files.isDirectory(output)) project.addCompileSourceRoot(output.toString());
  }

  /**
   * Everything besides the model files that the generated code depends on: the nnc jar (a new compiler may
   * generate other code) and the package setting. A change regenerates every model.
   */
  private String fingerprint() throws MojoExecutionException {
    try {
      Path jar = Path.of(Compiler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      byte[] compiler = Files.isRegularFile(jar) ? Files.readAllBytes(jar) : jar.toString().getBytes();
      return ModelGenerator.sha256(compiler) + " package=" + (packageName == null ? "" : packageName);
    } catch (IOException | URISyntaxException | RuntimeException e) {
      throw new MojoExecutionException("nnc: cannot read the nnc jar to fingerprint it: " + e, e);
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static String plural(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  /** Maven's log, one call per line so that every line of a diagnostic carries the same prefix. */
  private record MavenReporter(Log log) implements Reporter {
    @Override
    public void info(String line) {
      log.info(line);
    }

    @Override
    public void warn(String line) {
      log.warn(line);
    }

    @Override
    public void error(String line) {
      log.error(line);
    }
  }
}
