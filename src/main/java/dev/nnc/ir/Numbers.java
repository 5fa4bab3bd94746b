package dev.nnc.ir;

/** Numbers as people write them: the shortest form {@link Double#toString} gives, without a needless ".0". */
public final class Numbers {
  private Numbers() {}

  /**
   * {@code 33}, {@code 2.2}, {@code 0.1}, {@code 220.00000000000003}, {@code 1e-7}, {@code -2.5}: reads back exactly
   * with {@link Double#parseDouble} (and as a .nn literal when non-negative and finite).
   */
  public static String format(double v) {
    if (Double.isNaN(v)) return "NaN";
    if (Double.isInfinite(v)) return v > 0 ? "Infinity" : "-Infinity";
    if (v == 0) return (1 / v < 0) ? "-0" : "0";
    String s = Double.toString(v);
    String mantissa = s;
    String exponent = "";
    int e = s.indexOf('E');
    if (e >= 0) {
      mantissa = s.substring(0, e);
      exponent = "e" + s.substring(e + 1);
    }
    if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
    return mantissa + exponent;
  }
}
