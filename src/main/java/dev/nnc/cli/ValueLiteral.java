package dev.nnc.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The value of one {@code NAME=VALUE} argument of {@code nnc eval}: a number, or nested brackets of numbers
 * ({@code [1, 2]}, {@code [[1, 2], [3, 4]]}) whose nesting depth is the rank and whose rows all have one length.
 * A real parser, not a split on commas: {@code [1, 2} (unclosed), {@code [1,,2]}, {@code 1,2} and ragged rows are
 * errors whose caret points into the argument.
 */
record ValueLiteral(double[] data, int[] extents) {

  /** Parses {@code text}, which starts at column {@code offset} (0-based) of {@code argument}. */
  static ValueLiteral parse(String argument, int offset) throws ModelValues.BadValue {
    Parser p = new Parser(argument, offset);
    p.skipSpace();
    if (p.atEnd()) throw p.error("no value after '='");
    List<Double> data = new ArrayList<>();
    int[] extents = p.value(data, 0);
    p.skipSpace();
    if (!p.atEnd()) {
      throw p.error(p.peek() == ',' ? "a tensor is written in brackets: [1, 2]" : "unexpected '" + p.peek() + "'");
    }
    double[] flat = new double[data.size()];
    for (int i = 0; i < flat.length; i++) flat[i] = data.get(i);
    return new ValueLiteral(flat, extents);
  }

  int rank() {
    return extents.length;
  }

  /** {@code a number}, {@code a vector of 3}, {@code a 2×3 matrix}, {@code a 2×3×4 tensor}. */
  String describe() {
    if (extents.length == 0) return "a number";
    if (extents.length == 1) return "a vector of " + extents[0];
    StringBuilder sb = new StringBuilder("a ");
    for (int i = 0; i < extents.length; i++) sb.append(i > 0 ? "×" : "").append(extents[i]);
    return sb.append(extents.length == 2 ? " matrix" : " tensor").toString();
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s, int pos) {
      this.s = s;
      this.pos = pos;
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    char peek() {
      return s.charAt(pos);
    }

    void skipSpace() {
      while (!atEnd() && Character.isWhitespace(peek())) pos++;
    }

    ModelValues.BadValue error(String message) {
      return error(message, pos);
    }

    ModelValues.BadValue error(String message, int at) {
      return new ModelValues.BadValue(message + " (in " + s + ")", "  " + s + "\n  " + " ".repeat(at) + "^");
    }

    /** A number or a bracketed list; returns the extents of what it read. */
    int[] value(List<Double> out, int depth) throws ModelValues.BadValue {
      skipSpace();
      if (atEnd()) throw error(depth == 0 ? "no value" : "expected a number or '[', found the end (a ']' is missing)");
      if (peek() != '[') {
        out.add(number());
        return new int[0];
      }
      int open = pos++;
      skipSpace();
      if (!atEnd() && peek() == ']') throw error("an empty list has no numbers");
      int[] row = null;
      int count = 0;
      while (true) {
        int start = pos;
        int[] item = value(out, depth + 1);
        if (row == null) row = item;
        else if (!java.util.Arrays.equals(row, item)) {
          throw error("ragged: this entry has shape " + shape(item) + " but the first has " + shape(row), start);
        }
        count++;
        skipSpace();
        if (atEnd()) throw error("the '[' at column " + (open + 1) + " is not closed: expected ',' or ']'");
        char c = peek();
        if (c == ']') {
          pos++;
          break;
        }
        if (c != ',') throw error("expected ',' or ']', found '" + c + "'");
        pos++;
        skipSpace();
        if (!atEnd() && (peek() == ',' || peek() == ']')) throw error("expected a number between the commas");
      }
      int[] extents = new int[row.length + 1];
      extents[0] = count;
      System.arraycopy(row, 0, extents, 1, row.length);
      return extents;
    }

    private static String shape(int[] extents) {
      if (extents.length == 0) return "a number";
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < extents.length; i++) sb.append(i > 0 ? ", " : "").append(extents[i]);
      return sb.append(']').toString();
    }

    /** One number token: everything up to white space, ',', '[' or ']'. */
    private double number() throws ModelValues.BadValue {
      int start = pos;
      while (!atEnd() && !Character.isWhitespace(peek()) && ",[]".indexOf(peek()) < 0) pos++;
      String token = s.substring(start, pos);
      if (token.isEmpty()) throw error("expected a number, found '" + peek() + "'");
      String text = token.replace('−', '-');
      boolean plain = text.matches("[+-]?(\\d+(\\.\\d+)?|\\.\\d+)([eE][+-]?\\d+)?")
          || text.matches("[+-]?(Infinity|NaN)");
      if (!plain) throw error("'" + token + "' is not a number", start);
      return Double.parseDouble(text);
    }
  }
}
