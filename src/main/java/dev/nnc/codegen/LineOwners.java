package dev.nnc.codegen;

import java.util.ArrayList;
import java.util.List;

/**
 * A generated file with, for each of its lines in {@code forward} and {@code backward}, the model name the line
 * belongs to: the {@code .nn} statement it computes (forward) or the value or param whose adjoint it computes
 * (backward), as a model id of the {@link dev.nnc.ir.NameTable}. Built by {@link JavaGenerator#generateWithOwners}.
 *
 * @param file the generated file, the same bytes as {@link JavaGenerator#generate} gives
 * @param lines one entry per owned line, in file order
 */
public record LineOwners(GeneratedFile file, List<Line> lines) {
  /** Private-use characters that no generated text contains: they delimit a statement's index on its lines. */
  private static final char OPEN = '\uE000';
  private static final char CLOSE = '\uE001';

  /**
   * @param number the line's number in {@link #file()}, from 1
   * @param owner the model id it belongs to
   * @param forward whether it is in the forward pass (or predict, which repeats it) rather than backward
   */
  public record Line(int number, String owner, boolean forward) {}

  record Owner(String name, boolean forward) {}

  public LineOwners {
    lines = List.copyOf(lines);
  }

  static String marker(int index) {
    return OPEN + Integer.toString(index) + CLOSE;
  }

  /** The file without its markers, and the owner of every marked line. */
  static LineOwners unmark(GeneratedFile marked, List<Owner> owners) {
    String text = marked.content();
    StringBuilder clean = new StringBuilder(text.length());
    List<Line> lines = new ArrayList<>();
    int number = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == OPEN) {
        int end = text.indexOf(CLOSE, i);
        Owner o = owners.get(Integer.parseInt(text.substring(i + 1, end)));
        lines.add(new Line(number, o.name(), o.forward()));
        i = end;
        continue;
      }
      clean.append(c);
      if (c == '\n') number++;
    }
    return new LineOwners(new GeneratedFile(marked.packageName(), marked.className(), clean.toString()), lines);
  }
}
