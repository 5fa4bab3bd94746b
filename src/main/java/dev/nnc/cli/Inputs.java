package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticRenderer;
import dev.nnc.diag.Source;
import dev.nnc.diag.SourceFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Shared by the commands: reading .nn files and printing diagnostics. */
final class Inputs {
  private Inputs() {}

  /**
   * Reads a file as a {@link Source} named as the user gave it; prints a diagnostic (E0901, or E0925/E0926 for a file
   * too large or not a regular file, refused before reading) and returns null on failure.
   */
  static Source read(Path file, PrintWriter err) {
    try {
      return Source.fromBytes(file.toString(), SourceFiles.read(file));
    } catch (SourceFiles.Refused e) {
      err.println(file + ": error: [" + e.code().id() + "] " + e.getMessage());
    } catch (NoSuchFileException e) {
      err.println(file + ": error: [" + Code.CANNOT_READ.id() + "] no such file");
    } catch (IOException e) {
      err.println(file + ": error: [" + Code.CANNOT_READ.id() + "] cannot read: " + e.getMessage());
    }
    return null;
  }

  /** Prints every diagnostic of a result; returns true if any is an error. */
  static boolean report(Result result, PrintWriter err) {
    for (Diagnostic d : result.diagnostics()) err.print(DiagnosticRenderer.render(result.source(), d));
    err.flush();
    return result.hasErrors();
  }

  /**
   * Reads and compiles a file as far as {@code options} says and prints its diagnostics; null when the file cannot be
   * read or the model has errors (the caller exits with {@link Main#MODEL_ERRORS}).
   */
  static Result compile(Path file, Compiler.Options options, PrintWriter err) {
    Source source = read(file, err);
    if (source == null) return null;
    Result result = Compiler.compile(source, options);
    return report(result, err) ? null : result;
  }
}
