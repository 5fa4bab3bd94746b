package dev.nnc.codegen;

/**
 * Makes text from a {@code .nn} file safe inside generated Java. Java translates {@code \}{@code u} escapes before
 * it sees comments or strings, so a {@code .nn} line could otherwise end a comment early or smuggle code in; a
 * {@code *}{@code /} would close a Javadoc. Everything that reaches a comment goes through here.
 */
final class JavaText {
  private JavaText() {}

  /** Text for a {@code //} comment: one line, no unicode escapes (every backslash doubled), bounded length. */
  static String lineComment(String text) {
    return truncate(oneLine(text).replace("\\", "\\\\"), 400);
  }

  /** Text for a Javadoc comment (HTML): no {@code *}{@code /}, no unicode escapes, no tags, no markup. */
  static String javadoc(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '@' -> out.append("&#64;");
        case '\\' -> out.append("&#92;");
        case '/' -> out.append(i > 0 && text.charAt(i - 1) == '*' ? "&#47;" : "/");
        case '\r' -> { }
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Javadoc text that must also stay on one line. */
  static String javadocLine(String text) {
    return javadoc(truncate(oneLine(text), 400));
  }

  static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' ? ' ' : c);
    }
    return out.toString();
  }

  static String truncate(String text, int max) {
    if (text.codePointCount(0, text.length()) <= max) return text;
    return text.substring(0, text.offsetByCodePoints(0, max)) + "…";
  }

  /** A Java {@code double} literal that reads back as exactly {@code v}. */
  static String literal(double v) {
    if (Double.isNaN(v)) return "Double.NaN";
    if (v == Double.POSITIVE_INFINITY) return "Double.POSITIVE_INFINITY";
    if (v == Double.NEGATIVE_INFINITY) return "Double.NEGATIVE_INFINITY";
    return Double.toString(v);
  }

  /** The file name without directories, so generated text does not depend on where the compiler was run. */
  static String baseName(String sourceName) {
    if (sourceName == null) return "model.nn";
    String s = sourceName.replace('\\', '/');
    int slash = s.lastIndexOf('/');
    return slash >= 0 ? s.substring(slash + 1) : s;
  }

  /** A Java string literal for any text: quotes, backslashes and control characters escaped (never as unicode escapes). */
  static String string(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) out.append(String.format("\\%03o", (int) c));
          else out.append(c);
        }
      }
    }
    return out.append('"').toString();
  }
}
