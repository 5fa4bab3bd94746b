package dev.nnc.diag;

/**
 * One finding about a model. {@code hint} is optional (null when absent) and is printed after the caret line.
 */
public record Diagnostic(Severity severity, Code code, Span span, String message, String hint) {
  public static Diagnostic error(Code code, Span span, String message) {
    return new Diagnostic(Severity.ERROR, code, span, message, null);
  }

  public static Diagnostic warning(Code code, Span span, String message) {
    return new Diagnostic(Severity.WARNING, code, span, message, null);
  }

  public Diagnostic withHint(String newHint) {
    return new Diagnostic(severity, code, span, message, newHint);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }
}
