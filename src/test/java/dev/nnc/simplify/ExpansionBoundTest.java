package dev.nnc.simplify;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link Rational#certainlyTooLarge} lets a sum skip expanding its summands: it must say "too large" only when
 * {@link Rational#expand} of the same factors is null (or the simplifier's output would change). Random factor lists
 * mix what it counts (binomials over new atoms, atoms) with what it must not be fooled by: repeated binomials, binomials
 * sharing atoms (whose products merge terms), tiny coefficients (whose products underflow to zero).
 */
class ExpansionBoundTest {
  @Test
  void tooLargeOnlyWhenTheExpansionIsNull() {
    Random r = new Random(7);
    Rational.Limits lim = new Rational.Limits(48, 16, 16);
    int tooLarge = 0;
    int nullsMissed = 0;
    for (int trial = 0; trial < 6000; trial++) {
      int n = 4 + r.nextInt(10);
      int atoms = trial % 2 == 0 ? 12 : 60;
      Poly[] f = new Poly[n];
      int[] e = new int[n];
      for (int t = 0; t < n; t++) {
        f[t] = r.nextInt(3) == 0 ? Poly.atom(r.nextInt(atoms)) : binomial(r, atoms);
        e[t] = r.nextInt(8) == 0 ? 2 : r.nextInt(8) == 0 ? 0 : 1;
      }
      double coef = r.nextInt(6) == 0 ? 1e-300 : 1 + r.nextInt(3);
      boolean claimed = Rational.certainlyTooLarge(coef, f, e, n, lim);
      Poly expanded = Rational.expand(coef, f, e, n, lim);
      if (claimed) {
        tooLarge++;
        assertNull(expanded, () -> java.util.Arrays.toString(f));
      } else if (expanded == null) {
        nullsMissed++;
      }
    }
    assertTrue(tooLarge > 100, "claims: " + tooLarge);
    assertTrue(nullsMissed > 10, "the bound must leave the undecidable cases to the expansion: " + nullsMissed);
  }

  /** c₁·a^k + c₂ (or + c₂·b) over few atoms, so that factors often share atoms; sometimes a tiny coefficient. */
  private static Poly binomial(Random r, int atoms) {
    TreeMap<Mono, Double> t = new TreeMap<>();
    Mono a = Mono.atom(r.nextInt(atoms));
    if (r.nextBoolean()) a = a.times(a);
    Mono b = r.nextBoolean() ? Mono.ONE : Mono.atom(r.nextInt(atoms));
    if (b.equals(a)) b = Mono.ONE; // a factor is never 0 (a − a)
    t.merge(a, 1.0, Double::sum);
    t.merge(b, r.nextInt(10) == 0 ? 1e-170 : -(1 + r.nextInt(2)), Double::sum);
    return Poly.of(t);
  }
}
