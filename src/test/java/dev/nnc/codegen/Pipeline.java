package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.DiagnosticRenderer;
import dev.nnc.diag.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The whole compiler on .nn text, as the CLI runs it. */
final class Pipeline {
  private Pipeline() {}

  static Result compile(String name, String text, String packageName) {
    return compile(name, text, packageName, Api.FULL);
  }

  /**
   * With {@link Api#CORE}: the random-model suites check forward, backward and step against the interpreter, so they
   * compile the core classes (a third of the source for javac); the full API is compiled and run by the examples,
   * the name-hygiene and hostile-name tests, and the optimiser, .npz and aggregation tests.
   */
  static Result compile(String name, String text, String packageName, Api api) {
    Result r = Compiler.compile(Source.of(name, text), Compiler.Options.defaults().inPackage(packageName).withApi(api));
    StringBuilder msg = new StringBuilder();
    r.diagnostics().forEach(d -> msg.append(DiagnosticRenderer.render(r.source(), d)));
    assertFalse(r.hasErrors(), name + " has errors:\n" + msg + "\n" + text);
    return r;
  }

  static Result compile(Path file, String packageName) throws IOException {
    Result r = Compiler.compile(Source.fromBytes(file.toString(), Files.readAllBytes(file)),
        Compiler.Options.defaults().inPackage(packageName));
    StringBuilder msg = new StringBuilder();
    r.diagnostics().forEach(d -> msg.append(DiagnosticRenderer.render(r.source(), d)));
    assertFalse(r.hasErrors(), file + " has errors:\n" + msg);
    return r;
  }

  /** Compiles every generated file of the results with javac in one run and checks each model against the interpreter. */
  static int compileAndAgree(List<Result> results, long seed) throws Exception {
    List<GeneratedFile> files = new ArrayList<>();
    for (Result r : results) files.addAll(r.files());
    ClassLoader loader = Javac.compile(files);
    int compared = 0;
    for (Result r : results) {
      for (int i = 0; i < r.files().size(); i++) {
        Class<?> c = loader.loadClass(r.files().get(i).qualifiedName());
        compared += Agreement.check(r.derivatives().get(i), c, seed + i);
      }
    }
    return compared;
  }
}
