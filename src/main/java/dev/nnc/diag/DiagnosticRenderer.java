package dev.nnc.diag;

/**
 * Renders a diagnostic the way compilers do:
 * <pre>
 * model.nn:3:7: error: [E0201] undefined name 'wx'
 *   z = wx + b
 *       ^
 *   hint: did you mean 'w'?
 * </pre>
 * The caret sits under the span's first code point; tabs in the source line are kept so the caret lines up.
 */
public final class DiagnosticRenderer {
  private DiagnosticRenderer() {}

  public static String render(Source source, Diagnostic d) {
    StringBuilder out = new StringBuilder();
    Span s = d.span();
    out.append(source.name());
    if (s.line() > 0) out.append(':').append(s.line()).append(':').append(s.col());
    out.append(": ").append(d.severity().label()).append(": [").append(d.code().id()).append("] ")
        .append(d.message()).append('\n');
    if (s.line() > 0) {
      String line = source.line(s.line());
      out.append("  ").append(visible(line)).append('\n');
      out.append("  ").append(caretPad(line, s.col())).append('^').append('\n');
    }
    if (d.hint() != null && !d.hint().isEmpty()) out.append("  hint: ").append(d.hint()).append('\n');
    return out.toString();
  }

  /**
   * The line with every control character but tab, and U+2028/U+2029, shown as U+FFFD, one for one: printed raw, a
   * vertical tab, form feed, NEL or line separator would break the line on a terminal and the caret would point into
   * the wrong row.
   */
  static String visible(String line) {
    StringBuilder out = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      int type = Character.getType(c);
      boolean hidden = c != '\t' && (type == Character.CONTROL || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR);
      if (hidden && out == null) out = new StringBuilder(line.substring(0, i));
      if (out != null) out.append(hidden ? '\uFFFD' : c);
    }
    return out == null ? line : out.toString();
  }

  private static String caretPad(String line, int col) {
    StringBuilder pad = new StringBuilder();
    int i = 0;
    for (int c = 1; c < col && i < line.length(); c++) {
      int cp = line.codePointAt(i);
      pad.append(cp == '\t' ? '\t' : ' ');
      i += Character.charCount(cp);
    }
    for (int c = pad.length(); c < col - 1; c++) pad.append(' ');
    return pad.toString();
  }
}
