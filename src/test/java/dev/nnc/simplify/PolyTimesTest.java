package dev.nnc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link Poly#times} against the product written the plain way: every pair of terms merged into a table sorted by
 * monomial, each monomial's products summed in the order (this term, then o term). Its shortcuts (a product by a
 * binomial as one merge, a hash index instead of the table) must give the same terms with the same coefficient bits,
 * and answer null exactly when the plain product is beyond the limits — the simplifier's output depends on both.
 */
class PolyTimesTest {
  @Test
  void agreesBitForBitWithThePlainProduct() {
    Random r = new Random(11);
    int nonNull = 0;
    for (int trial = 0; trial < 4000; trial++) {
      Poly a = random(r, 1 + r.nextInt(trial % 3 == 0 ? 2 : 9));
      Poly b = random(r, 1 + r.nextInt(trial % 2 == 0 ? 2 : 9));
      int maxTerms = 4 + r.nextInt(40);
      int maxDegree = 2 + r.nextInt(10);
      Poly expected = plainTimes(a, b, maxTerms, maxDegree);
      Poly actual = a.times(b, maxTerms, maxDegree);
      if (expected == null) {
        assertNull(actual, () -> a + " × " + b);
        continue;
      }
      nonNull++;
      assertNotNull(actual, () -> a + " × " + b);
      assertEquals(expected.size(), actual.size(), () -> a + " × " + b);
      for (int k = 0; k < expected.size(); k++) {
        assertEquals(expected.monos[k], actual.monos[k]);
        assertEquals(Double.doubleToRawLongBits(expected.coefs[k]), Double.doubleToRawLongBits(actual.coefs[k]),
            () -> a + " × " + b);
      }
    }
    // the trials must reach both answers, and products that cancel terms (1 − a)(1 + a)
    assertEquals(true, nonNull > 1000, "non-null products: " + nonNull);
  }

  @Test
  void aBinomialProductCancelsLikeTerms() {
    TreeMap<Mono, Double> p = new TreeMap<>();
    p.put(Mono.ONE, 1.0);
    p.put(Mono.atom(3), -1.0);
    TreeMap<Mono, Double> q = new TreeMap<>();
    q.put(Mono.ONE, 1.0);
    q.put(Mono.atom(3), 1.0);
    Poly product = Poly.of(p).times(Poly.of(q), 48, 16); // (1 − a)(1 + a) = 1 − a²
    assertEquals(2, product.size());
    assertEquals(Mono.atom(3).times(Mono.atom(3)), product.monos[0]);
    assertEquals(-1.0, product.coefs[0]);
    assertEquals(Mono.ONE, product.monos[1]);
    assertEquals(1.0, product.coefs[1]);
  }

  /** Random polynomial: few atoms (so products share monomials), coefficients small integers or inexact fractions. */
  private static Poly random(Random r, int terms) {
    TreeMap<Mono, Double> t = new TreeMap<>();
    for (int k = 0; k < terms; k++) {
      Mono m = Mono.ONE;
      int atoms = r.nextInt(3);
      for (int i = 0; i < atoms; i++) m = m.times(Mono.atom(r.nextInt(4)));
      double c = r.nextBoolean() ? r.nextInt(7) - 3 : (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(5) - 2);
      t.merge(m, c, Double::sum);
    }
    return Poly.of(t);
  }

  /** The product as a table sorted by monomial (the reference the fast paths must match). */
  private static Poly plainTimes(Poly a, Poly b, int maxTerms, int maxDegree) {
    if ((long) a.size() * b.size() > (long) maxTerms * maxTerms) return null;
    TreeMap<Mono, Double> t = new TreeMap<>();
    for (int i = 0; i < a.size(); i++) {
      for (int j = 0; j < b.size(); j++) {
        Mono m = a.monos[i].times(b.monos[j]);
        if (m.degree() > maxDegree) return null;
        t.merge(m, a.coefs[i] * b.coefs[j], Double::sum);
      }
    }
    Poly p = Poly.of(t);
    return p.size() > maxTerms ? null : p;
  }
}
