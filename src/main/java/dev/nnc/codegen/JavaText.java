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
    if (!needsJavadocEscapes(text)) return text; // the usual case: nothing to replace, nothing to copy
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

  private static boolean needsJavadocEscapes(String text) {
    return text.indexOf('&') >= 0 || text.indexOf('<') >= 0 || text.indexOf('>') >= 0 || text.indexOf('@') >= 0
        || text.indexOf('\\') >= 0 || text.indexOf('\r') >= 0 || text.contains("*/");
  }

  /** Javadoc text that must also stay on one line. */
  static String javadocLine(String text) {
    return javadoc(truncate(oneLine(text), 400));
  }

  /**
   * The text with every line break replaced by a space: LF and CR (Java's own line ends) and also VT, FF, NEL,
   * U+2028 and U+2029, since JavaPoet splits emitted code into lines on all of them (regex {@code \R}); a file name
   * holding one used to end a {@code //} comment early and turn the rest of the line into code.
   */
  static String oneLine(String text) {
    int first = 0;
    while (first < text.length() && !isLineBreak(text.charAt(first))) first++;
    if (first == text.length()) return text; // the usual case: nothing to replace, nothing to copy
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(isLineBreak(c) ? ' ' : c);
    }
    return out.toString();
  }

  /** The characters regex {@code \R} (and so JavaPoet) breaks lines at. */
  static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r' || c == '\u000B' || c == '\u000C' || c == '\u0085' || c == '\u2028'
        || c == '\u2029';
  }

  static String truncate(String text, int max) {
    // no more code points than chars: a short text needs no count (the count is a pass over every char)
    if (text.length() <= max || text.codePointCount(0, text.length()) <= max) return text;
    return text.substring(0, text.offsetByCodePoints(0, max)) + "…";
  }

  /** A Java {@code double} literal that reads back as exactly {@code v}. */
  static String literal(double v) {
    if (Double.isNaN(v)) return "Double.NaN";
    if (v == Double.POSITIVE_INFINITY) return "Double.POSITIVE_INFINITY";
    if (v == Double.NEGATIVE_INFINITY) return "Double.NEGATIVE_INFINITY";
    return Double.toString(v);
  }

  /**
   * True when generated {@code expression} needs no parentheses after a cast: a name, an array element or a call,
   * with no operator or space outside brackets (a leading minus counts as an operator).
   */
  static boolean isPrimary(String expression) {
    int depth = 0;
    for (int k = 0; k < expression.length(); k++) {
      char c = expression.charAt(k);
      if (c == '(' || c == '[') depth++;
      else if (c == ')' || c == ']') depth--;
      else if (depth == 0 && " +-*/%?:<>=&|!~^".indexOf(c) >= 0) return false;
    }
    return !expression.isEmpty();
  }

  /** The file name without directories, so generated text does not depend on where the compiler was run. */
  static String baseName(String sourceName) {
    if (sourceName == null) return "model.nn";
    String s = sourceName.replace('\\', '/');
    int slash = s.lastIndexOf('/');
    return slash >= 0 ? s.substring(slash + 1) : s;
  }

  /** A Java string literal for any text: quotes, backslashes and control characters escaped (unicode escapes only for U+2028/U+2029, never for a character javac would read as a line end). */
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
          if (c < 0x20 || c == 0x7f || c == 0x85) {
            out.append(String.format("\\%03o", (int) c));
          } else if (c == '\u2028' || c == '\u2029') {
            // Not a line end to javac, but JavaPoet would break the literal there; javac reads the escape back as
            // the character itself, which a string literal may hold.
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
