package dev.nnc.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.nnc.Result;
import dev.nnc.codegen.GeneratedFile;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Source;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;

/** Helpers shared by the processor tests: sources, the javac run, canned compiler answers and golden files. */
final class ProcessorTesting {
  private ProcessorTesting() {}

  static final Path GOLDENS = Path.of("src", "test", "resources", "processor-goldens");

  /** {@code -Dnnc.updateGoldens=true} rewrites the golden files instead of comparing (review the diff!). */
  static boolean updatingGoldens() {
    return Boolean.getBoolean("nnc.updateGoldens");
  }

  static JavaFileObject java(String qualifiedName, String... lines) {
    return JavaFileObjects.forSourceString(qualifiedName, String.join("\n", lines) + "\n");
  }

  /**
   * javac with the processor, as a strict build runs it: {@code -Xlint:all -Werror}, so any warning javac or the
   * processor causes (such as "No processor claimed any of these annotations" for the generated classes'
   * {@code @Generated}) fails the compilation. Tests of models that warn on purpose use {@link #lenientJavac}.
   */
  static com.google.testing.compile.Compiler javac(NnProcessor processor, Object... options) {
    List<Object> all = new ArrayList<>(List.of("-Xlint:all", "-Werror"));
    all.addAll(List.of(options));
    return com.google.testing.compile.Compiler.javac().withProcessors(processor).withOptions(all);
  }

  /** javac with the processor and without {@code -Werror}, for models whose nnc warnings the test looks at. */
  static com.google.testing.compile.Compiler lenientJavac(NnProcessor processor, Object... options) {
    return com.google.testing.compile.Compiler.javac().withProcessors(processor).withOptions(options);
  }

  /** The test JVM's class path (it holds dev.nnc.NnModel) plus extra folders. */
  static List<File> classPathPlus(Path... extra) {
    List<File> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) entries.add(new File(e));
    for (Path p : extra) entries.add(p.toFile());
    return entries;
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String generated(Compilation compilation, String qualifiedName) {
    JavaFileObject file = compilation.generatedSourceFile(qualifiedName)
        .orElseThrow(() -> new AssertionError("no generated source " + qualifiedName + "; generated: "
            + compilation.generatedSourceFiles() + "; diagnostics: " + compilation.diagnostics()));
    try {
      return file.getCharContent(false).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs javac with only annotation processing, generated sources going to {@code out} — unlike compile-testing,
   * this shows what was generated even when the compilation failed. Returns javac's diagnostics.
   */
  static List<javax.tools.Diagnostic<? extends JavaFileObject>> processOnly(
      Path out, NnProcessor processor, JavaFileObject... sources) {
    try {
      Files.createDirectories(out);
      javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
      javax.tools.DiagnosticCollector<JavaFileObject> diagnostics = new javax.tools.DiagnosticCollector<>();
      javax.tools.JavaCompiler.CompilationTask task = javac.getTask(null, null, diagnostics,
          List.of("-proc:only", "-s", out.toString(), "-classpath", System.getProperty("java.class.path")),
          null, List.of(sources));
      task.setProcessors(List.of(processor));
      task.call();
      return diagnostics.getDiagnostics();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compares with (or, when updating, rewrites) {@code processor-goldens/<name>}. */
  static void assertMatchesGolden(String name, String actual) {
    Path golden = GOLDENS.resolve(name);
    try {
      if (updatingGoldens()) {
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, actual, StandardCharsets.UTF_8);
        return;
      }
      assertWithMessage("golden file %s is missing; run with -Dnnc.updateGoldens=true", golden)
          .that(Files.exists(golden)).isTrue();
      assertWithMessage("generated code differs from %s (rerun with -Dnnc.updateGoldens=true if intended)", golden)
          .that(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A stand-in compiler for tests of the processor's own behaviour (lookup, messages, isolation): it generates
   * one class per line {@code class Name} of the model text, whose constants hold the Source's name and text;
   * a line {@code throw} makes it throw, and {@code diagnostics} adds the given diagnostics.
   */
  static NnProcessor.ModelCompiler echoCompiler(List<Diagnostic> diagnostics) {
    return (Source source, String pkg, dev.nnc.codegen.Precision precision, dev.nnc.codegen.Api api) -> {
      List<GeneratedFile> files = new ArrayList<>();
      for (String line : source.text().split("\n")) {
        String l = line.strip();
        if (l.equals("throw")) throw new IllegalStateException("boom in " + source.name());
        if (l.startsWith("class ")) {
          String name = l.substring("class ".length());
          String content = (pkg.isEmpty() ? "" : "package " + pkg + ";\n\n")
              + "public final class " + name + " {\n"
              + "  public static final String SOURCE_NAME = \"" + escape(source.name()) + "\";\n"
              + "  public static final String TEXT = \"" + escape(source.text()) + "\";\n"
              + "}\n";
          files.add(new GeneratedFile(pkg, name, content));
        }
      }
      boolean errors = diagnostics.stream().anyMatch(Diagnostic::isError);
      return new Result(source, diagnostics, null, List.of(), List.of(), errors ? List.of() : files);
    };
  }

  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
