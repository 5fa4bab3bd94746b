package dev.nnc.check;

import java.util.Collection;
import java.util.Locale;

/** Near-miss suggestions for misspelt names ("did you mean 'W1'?"). */
final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate closest to {@code wrong}, or null if none is close. Close means: equal after ignoring case and
   * underscores ({@code w_1} for {@code w1}, {@code W1} for {@code w1}), or an edit distance (with transpositions)
   * of at most 1 for names of 2–4 code points and 2 for longer ones (none for one-letter names).
   */
  static String nearest(String wrong, Collection<String> candidates) {
    String best = null;
    int bestScore = Integer.MAX_VALUE;
    String wrongKey = loose(wrong);
    for (String c : candidates) {
      if (c.equals(wrong)) continue;
      int score;
      if (loose(c).equals(wrongKey)) {
        score = 0;
      } else {
        // The distance is at least the length difference; checking that first keeps a huge name from costing a
        // huge table.
        int lengthGap = Math.abs(wrong.codePointCount(0, wrong.length()) - c.codePointCount(0, c.length()));
        if (lengthGap > 2 || wrong.length() > 64 || c.length() > 64) continue;
        int d = distance(wrong.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
        int wrongLength = wrong.codePointCount(0, wrong.length());
        int longer = Math.max(wrongLength, c.codePointCount(0, c.length()));
        // A one-letter name is one edit from every other one-letter name: suggesting any of them would be noise.
        int limit = wrongLength >= 5 ? 2 : wrongLength >= 2 ? 1 : 0;
        if (d > limit || d >= longer) continue;
        score = d;
      }
      if (score < bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return best;
  }

  private static String loose(String s) {
    return s.replace("_", "").toLowerCase(Locale.ROOT);
  }

  /** Optimal-string-alignment distance over code points. */
  static int distance(String a, String b) {
    int[] x = a.codePoints().toArray();
    int[] y = b.codePoints().toArray();
    int[][] d = new int[x.length + 1][y.length + 1];
    for (int i = 0; i <= x.length; i++) d[i][0] = i;
    for (int j = 0; j <= y.length; j++) d[0][j] = j;
    for (int i = 1; i <= x.length; i++) {
      for (int j = 1; j <= y.length; j++) {
        int cost = x[i - 1] == y[j - 1] ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[x.length][y.length];
  }
}
