package dev.nnc.check;

import dev.nnc.diag.Source;
import dev.nnc.diag.Span;

/** Reading the file's own text back by span: right-hand sides for comments, and operator positions for carets. */
final class SourceText {
  private SourceText() {}

  /**
   * The text a span covers, as written; a span over several lines is joined with single spaces and loses its
   * comments (so it fits one comment line of generated code).
   */
  static String slice(Source source, Span span) {
    if (span == null || span.line() <= 0) return "";
    StringBuilder out = new StringBuilder();
    for (int line = span.line(); line <= span.endLine(); line++) {
      String text = source.line(line);
      int from = line == span.line() ? span.col() : 1;
      int to = line == span.endLine() ? span.endCol() : Integer.MAX_VALUE;
      String part = codePoints(text, from, to);
      if (span.line() != span.endLine()) part = stripComment(part).strip();
      if (part.isEmpty()) continue;
      if (out.length() > 0) out.append(' ');
      out.append(part);
    }
    return out.toString();
  }

  /** Code points {@code from} (inclusive, from 1) to {@code to} (exclusive) of a line. */
  private static String codePoints(String line, int from, int to) {
    StringBuilder out = new StringBuilder();
    int col = 1;
    for (int i = 0; i < line.length(); ) {
      int cp = line.codePointAt(i);
      if (col >= from && col < to) out.appendCodePoint(cp);
      i += Character.charCount(cp);
      col++;
    }
    return out.toString();
  }

  private static String stripComment(String s) {
    int hash = s.indexOf('#');
    int slashes = s.indexOf("//");
    int cut = hash < 0 ? slashes : slashes < 0 ? hash : Math.min(hash, slashes);
    return cut < 0 ? s : s.substring(0, cut);
  }

  /**
   * Where the binary operator between two operands is written: the first character after the left operand that is
   * not white space or a closing bracket. Juxtaposition has no operator; then (and whenever nothing is found) the
   * right operand's start is returned, which is where the reader's eye should go.
   */
  static Span operatorBetween(Source source, Span left, Span right) {
    if (left == null || right == null || left.line() <= 0 || right.line() <= 0) {
      return right == null ? Span.NONE : Span.point(right.line(), right.col());
    }
    int line = left.endLine();
    int col = left.endCol();
    while (line < right.line() || (line == right.line() && col < right.col())) {
      String text = source.line(line);
      int cp = codePointAt(text, col);
      if (cp < 0) {
        line++;
        col = 1;
        continue;
      }
      if (cp == '#' || (cp == '/' && codePointAt(text, col + 1) == '/')) {
        line++;
        col = 1;
        continue;
      }
      if (!Character.isWhitespace(cp) && cp != 0xA0 && cp != ')' && cp != ']') {
        if (cp == '(') break; // the right operand's own bracket: juxtaposition
        return Span.point(line, col);
      }
      col++;
    }
    return Span.point(right.line(), right.col());
  }

  /** The code point at column {@code col} (from 1), or -1 past the end. */
  static int codePointAt(String line, int col) {
    int c = 1;
    for (int i = 0; i < line.length(); ) {
      int cp = line.codePointAt(i);
      if (c == col) return cp;
      i += Character.charCount(cp);
      c++;
    }
    return -1;
  }
}
