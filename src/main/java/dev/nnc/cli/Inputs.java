package dev.nnc.cli;

import dev.nnc.Result;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticRenderer;
import dev.nnc.diag.Source;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Shared by the commands: reading .nn files and printing diagnostics. */
final class Inputs {
  private Inputs() {}

  /** Reads a file as a {@link Source} named as the user gave it; prints an E0901 diagnostic and returns null on failure. */
  static Source read(Path file, PrintWriter err) {
    try {
      return Source.fromBytes(file.toString(), Files.readAllBytes(file));
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
}
