package dev.nnc.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Feature rows from a CSV file, for {@code nnc predict --csv}: one example per line, numbers separated by commas
 * (spaces around them are ignored). Blank lines are skipped; a first line that is not all numbers is a header and
 * is skipped too. Every row must have as many numbers as the first. Values are used as written (no scaling).
 *
 * @param values {@code rows × width} numbers, row-major
 */
public record CsvRows(int rows, int width, double[] values) {

  /** A line that is not a row of numbers like the others; {@code line} is 1-based, 0 for the file as a whole. */
  public static final class CsvException extends IOException {
    private final int line;
    private final String detail;

    public CsvException(int line, String detail) {
      super(line > 0 ? "line " + line + ": " + detail : detail);
      this.line = line;
      this.detail = detail;
    }

    public int line() {
      return line;
    }

    public String detail() {
      return detail;
    }
  }

  public static CsvRows read(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  static CsvRows parse(List<String> lines) throws CsvException {
    List<double[]> rows = new ArrayList<>();
    int width = -1;
    boolean first = true;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty()) continue;
      String[] cells = line.split(",", -1);
      double[] row = new double[cells.length];
      int bad = -1;
      for (int c = 0; c < cells.length && bad < 0; c++) {
        try {
          row[c] = Double.parseDouble(cells[c].strip());
        } catch (NumberFormatException e) {
          bad = c;
        }
      }
      if (bad >= 0) {
        if (first) { // a header
          first = false;
          continue;
        }
        throw new CsvException(n + 1, "value " + (bad + 1) + " is '" + cells[bad].strip() + "', not a number");
      }
      first = false;
      if (width < 0) width = row.length;
      if (row.length != width) {
        throw new CsvException(n + 1, row.length + " values, but the first row has " + width);
      }
      rows.add(row);
    }
    // An empty file has no line to point at, so the error names the file alone (line 0), not a line 0 that is not there.
    if (rows.isEmpty()) throw new CsvException(lines.isEmpty() ? 0 : lines.size(), "no rows of numbers");
    double[] values = new double[rows.size() * width];
    for (int r = 0; r < rows.size(); r++) System.arraycopy(rows.get(r), 0, values, r * width, width);
    return new CsvRows(rows.size(), width, values);
  }
}
