package dev.nnc.processor;

import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticRenderer;
import dev.nnc.diag.Source;
import dev.nnc.diag.Span;
import java.util.List;

/** The text of the messages the processor hands to javac's {@code Messager}. */
final class Messages {
  private Messages() {}

  /**
   * One nnc diagnostic as one javac message. javac already prints {@code Foo.java:12: error:} in front, so the
   * severity word is left out; the rest is what the CLI prints: {@code where:line:col: [code] message}, the
   * source line, the caret and the hint.
   */
  static String diagnostic(Source source, String where, Diagnostic d) {
    String rendered = DiagnosticRenderer.render(source, d);
    int firstLineEnd = rendered.indexOf('\n');
    String rest = firstLineEnd < 0 ? "" : rendered.substring(firstLineEnd + 1);
    Span s = d.span();
    StringBuilder out = new StringBuilder(where);
    if (s.line() > 0) out.append(':').append(s.line()).append(':').append(s.col());
    out.append(": [").append(d.code().id()).append("] ").append(d.message());
    if (!rest.isEmpty()) out.append('\n').append(stripTrailingNewline(rest));
    return out.toString();
  }

  static String missingFile(String path, String element, List<String> tried) {
    StringBuilder out = new StringBuilder();
    out.append('[').append(Code.CANNOT_READ.id()).append("] cannot find the model file '").append(path)
        .append("' named by @NnModel on ").append(element).append("; looked in:");
    for (String place : tried) out.append("\n  ").append(place);
    out.append("\n  hint: put the file in the package's folder under src/main/java or src/main/resources, or pass "
        + "-A" + NnProcessor.MODEL_PATH_OPTION + "=DIR to javac");
    return out.toString();
  }

  static String notExactlyOne(String element, boolean both) {
    return "[" + Code.BAD_ANNOTATION.id() + "] @NnModel on " + element + " gives " + (both ? "both" : "neither")
        + " of value (a .nn file) and source (the model text); give exactly one";
  }

  static String badPrecision(String precision, String element) {
    return "[" + Code.BAD_PRECISION.id() + "] @NnModel(precision = \"" + precision + "\") on " + element
        + ": not a precision; use " + dev.nnc.codegen.Precision.SPELLINGS;
  }

  static String badApi(String api, String element) {
    return "[" + Code.BAD_API.id() + "] @NnModel(api = \"" + api + "\") on " + element
        + ": not an API level; use full or core";
  }

  static String badPath(String path, String element, String problem) {
    return "[" + Code.BAD_ANNOTATION.id() + "] @NnModel(\"" + path + "\") on " + element + ": " + problem;
  }

  static String generatedTwice(String model, String element, String className, String earlierElement) {
    return "[" + Code.CLASS_CLASH.id() + "] the model " + model + " of @NnModel on " + element + " would generate "
        + className + ", which @NnModel on " + earlierElement + " already generates; rename one of the models";
  }

  static String classExists(String model, String element, String className, String javacSays) {
    return "[" + Code.CLASS_CLASH.id() + "] the model " + model + " of @NnModel on " + element + " would generate "
        + className + ", but javac refused: " + javacSays + "; a class of that name already exists, so rename the model";
  }

  static String internalError(String element, Throwable t) {
    StringBuilder out = new StringBuilder();
    out.append("nnc failed while compiling the model of @NnModel on ").append(element).append(": ")
        .append(t.getClass().getName());
    if (t.getMessage() != null) out.append(": ").append(t.getMessage());
    StackTraceElement[] where = t.getStackTrace();
    if (where.length > 0) out.append(" (at ").append(where[0]).append(')');
    out.append("\n  this is a bug in nnc; please report it together with the model");
    return out.toString();
  }

  private static String stripTrailingNewline(String s) {
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }
}
