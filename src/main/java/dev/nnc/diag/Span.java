package dev.nnc.diag;

/**
 * A region of a source file. Lines and columns count from 1; columns count Unicode code points.
 * The end is exclusive ({@code endCol} is the column just after the last code point).
 * Spans live on the AST and in diagnostics, never in IR equality.
 */
public record Span(int line, int col, int endLine, int endCol) {
  public static final Span NONE = new Span(0, 0, 0, 0);

  public static Span point(int line, int col) {
    return new Span(line, col, line, col + 1);
  }

  /** The smallest span covering both. */
  public Span to(Span other) {
    if (this == NONE) return other;
    if (other == NONE) return this;
    boolean thisFirst = line < other.line || (line == other.line && col <= other.col);
    Span first = thisFirst ? this : other;
    boolean thisLast = endLine > other.endLine || (endLine == other.endLine && endCol >= other.endCol);
    Span last = thisLast ? this : other;
    return new Span(first.line, first.col, last.endLine, last.endCol);
  }

  @Override
  public String toString() {
    return line + ":" + col;
  }
}
