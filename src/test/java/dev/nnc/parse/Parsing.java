package dev.nnc.parse;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.ast.AstDump;
import dev.nnc.ast.AstPrinter;
import dev.nnc.ast.SourceFile;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticRenderer;
import dev.nnc.diag.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Test helpers: parse through the real driver (big-stack thread), dump shapes, read resources. */
final class Parsing {
  private Parsing() {}

  static Result parse(String name, String text) {
    return Compiler.compile(Source.of(name, text), Compiler.Options.defaults().stopAfter(Compiler.Stage.PARSE));
  }

  static Result parse(String name, byte[] bytes) {
    return Compiler.compile(Source.fromBytes(name, bytes),
        Compiler.Options.defaults().stopAfter(Compiler.Stage.PARSE));
  }

  /** Parses text that must be free of errors and returns the tree; fails with the rendered diagnostics otherwise. */
  static SourceFile parseClean(String name, String text) {
    Result r = parse(name, text);
    if (r.hasErrors() || r.ast() == null) throw new AssertionError("unexpected diagnostics for " + name + ":\n"
        + rendered(r) + "\n--- input ---\n" + text);
    return r.ast();
  }

  static String rendered(Result r) {
    return r.diagnostics().stream().map((Diagnostic d) -> DiagnosticRenderer.render(r.source(), d))
        .collect(Collectors.joining());
  }

  /** The s-expression of the value of the single statement {@code y = EXPR}. */
  static String exprShape(String expr) {
    SourceFile f = parseClean("t.nn", "y = " + expr + "\n");
    String dump = AstDump.file(f, false);
    String line = dump.lines().skip(1).findFirst().orElseThrow().trim();
    String prefix = "(assign y ";
    if (!line.startsWith(prefix)) throw new AssertionError(dump);
    return line.substring(prefix.length(), line.length() - 1);
  }

  static String roundTrip(SourceFile f, AstPrinter.Spelling spelling, String name) {
    String printed = AstPrinter.print(f, spelling);
    SourceFile again = parseClean(name, printed);
    return AstDump.file(again, true);
  }

  static Path resource(String dir) {
    try {
      return Path.of(Parsing.class.getResource("/" + dir).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
