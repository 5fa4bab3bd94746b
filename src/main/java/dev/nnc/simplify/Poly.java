package dev.nnc.simplify;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A polynomial over atoms with double coefficients: terms sorted by descending {@link Mono} order (leading term
 * first), no zero coefficients. Immutable; equality is structural and flat (no recursion).
 *
 * <p>Every operation that could grow without bound takes a term limit and answers null beyond it, so the
 * simplifier can treat an over-large expression as an opaque atom instead of expanding it.
 */
final class Poly implements Comparable<Poly> {
  static final Poly ZERO = new Poly(new Mono[0], new double[0]);
  static final Poly ONE = new Poly(new Mono[] {Mono.ONE}, new double[] {1});

  final Mono[] monos;
  final double[] coefs;
  private final int hash;

  private Poly(Mono[] monos, double[] coefs) {
    this.monos = monos;
    this.coefs = coefs;
    this.hash = 31 * Arrays.hashCode(monos) + Arrays.hashCode(coefs);
  }

  static Poly atom(int atom) {
    return new Poly(new Mono[] {Mono.atom(atom)}, new double[] {1});
  }

  static Poly constant(double c) {
    return c == 0 ? ZERO : new Poly(new Mono[] {Mono.ONE}, new double[] {c});
  }

  static Poly of(TreeMap<Mono, Double> terms) {
    int n = 0;
    for (double c : terms.values()) if (c != 0) n++;
    Mono[] m = new Mono[n];
    double[] c = new double[n];
    int k = 0;
    for (Map.Entry<Mono, Double> t : terms.descendingMap().entrySet()) {
      if (t.getValue() == 0) continue;
      m[k] = t.getKey();
      c[k++] = t.getValue() + 0.0; // normalises −0.0
    }
    return new Poly(m, c);
  }

  int size() {
    return monos.length;
  }

  /**
   * Whether no atom of this polynomial is in {@code atoms[0 … n)}: then a product with a polynomial over those atoms
   * has one term per pair of terms (each product monomial splits back into its two parts).
   */
  boolean avoidsAtoms(int[] atoms, int n) {
    for (Mono m : monos) {
      for (int a : m.atoms) {
        for (int k = 0; k < n; k++) if (atoms[k] == a) return false;
      }
    }
    return true;
  }

  /**
   * The least binary exponent of a coefficient ({@code |c| ≥ 2^e} for every one), or {@link Integer#MIN_VALUE} when one
   * is not a finite normal number: a bound that keeps products of coefficients away from zero.
   */
  int leastCoefExponent() {
    int least = Integer.MAX_VALUE;
    for (double c : coefs) {
      if (!(Math.abs(c) >= Double.MIN_NORMAL) || Double.isInfinite(c)) return Integer.MIN_VALUE;
      least = Math.min(least, Math.getExponent(c));
    }
    return least;
  }

  boolean isZero() {
    return monos.length == 0;
  }

  boolean isConstant() {
    return monos.length == 0 || (monos.length == 1 && monos[0].isOne());
  }

  /** The single atom this polynomial is ({@code 1·atom}), or -1. */
  int asAtom() {
    if (monos.length == 1 && coefs[0] == 1 && monos[0].atoms.length == 1 && monos[0].exps[0] == 1) {
      return monos[0].atoms[0];
    }
    return -1;
  }

  Poly plus(Poly o) {
    // A merge of the two sorted term lists (what a TreeMap of both would give, without one).
    Mono[] m = new Mono[monos.length + o.monos.length];
    double[] c = new double[m.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < monos.length || j < o.monos.length) {
      int order = i == monos.length ? -1 : j == o.monos.length ? 1 : monos[i].compareTo(o.monos[j]);
      Mono mono;
      double coef;
      if (order > 0) {
        mono = monos[i];
        coef = coefs[i++];
      } else if (order < 0) {
        mono = o.monos[j];
        coef = o.coefs[j++];
      } else {
        mono = monos[i];
        coef = coefs[i++] + o.coefs[j++];
      }
      if (coef == 0) continue;
      m[n] = mono;
      c[n++] = coef + 0.0; // normalises −0.0
    }
    return new Poly(n == m.length ? m : Arrays.copyOf(m, n), n == c.length ? c : Arrays.copyOf(c, n));
  }

  Poly scaled(double c) {
    if (c == 0) return ZERO;
    double[] s = new double[coefs.length];
    for (int k = 0; k < s.length; k++) s[k] = coefs[k] * c + 0.0;
    return new Poly(monos, s);
  }

  /** Every coefficient divided by {@code c} (exact when {@code c} is the {@link #content}). */
  Poly divided(double c) {
    double[] s = new double[coefs.length];
    for (int k = 0; k < s.length; k++) s[k] = coefs[k] / c + 0.0;
    return new Poly(monos, s);
  }

  Poly negated() {
    return scaled(-1);
  }

  /** The product, or null when it would have more than {@code maxTerms} terms or too high a degree. */
  Poly times(Poly o, int maxTerms, int maxDegree) {
    if ((long) monos.length * o.monos.length > (long) maxTerms * maxTerms) return null;
    if (o.monos.length == 1) return timesTerm(o.monos[0], o.coefs[0], maxTerms, maxDegree);
    if (monos.length == 1) return o.timesTerm(monos[0], coefs[0], maxTerms, maxDegree);
    if (o.monos.length == 2) return timesBinomial(o, maxTerms, maxDegree);
    if (monos.length == 2) return o.timesBinomial(this, maxTerms, maxDegree);
    // Every product of a term of this and a term of o, summed per monomial in the order this term by term, then o's:
    // the sums a table sorted by monomial would make, with a hash index instead of the tree (no boxing, no entries).
    int n = 0;
    Mono[] m = new Mono[monos.length * o.monos.length];
    double[] c = new double[m.length];
    java.util.HashMap<Mono, Integer> index = new java.util.HashMap<>(2 * m.length);
    for (int i = 0; i < monos.length; i++) {
      for (int j = 0; j < o.monos.length; j++) {
        Mono p = monos[i].times(o.monos[j]);
        if (p.degree() > maxDegree) return null;
        double v = coefs[i] * o.coefs[j];
        Integer k = index.putIfAbsent(p, n);
        if (k == null) {
          m[n] = p;
          c[n++] = v;
        } else {
          c[k] = c[k] + v;
        }
      }
    }
    Integer[] order = new Integer[n];
    for (int k = 0; k < n; k++) order[k] = k;
    java.util.Arrays.sort(order, (x, y) -> m[y].compareTo(m[x])); // leading (largest) monomial first
    int kept = 0;
    for (int k = 0; k < n; k++) if (c[order[k]] != 0) kept++;
    if (kept > maxTerms) return null;
    Mono[] pm = new Mono[kept];
    double[] pc = new double[kept];
    int t = 0;
    for (int k = 0; k < n; k++) {
      if (c[order[k]] == 0) continue;
      pm[t] = m[order[k]];
      pc[t++] = c[order[k]] + 0.0; // normalises −0.0
    }
    return new Poly(pm, pc);
  }

  /**
   * {@link #times} a polynomial of two terms: this times each term is already sorted, and their merge is the product.
   * Each monomial gets at most one product from each of the two terms (distinct terms of this stay distinct times one
   * monomial), and a sum of two numbers does not depend on their order: the same sums as the general case, in one
   * linear merge instead of a table (the expansions of a long chain's sums multiply by {@code 1 − v²} over and over).
   */
  private Poly timesBinomial(Poly o, int maxTerms, int maxDegree) {
    Poly a = timesTerm(o.monos[0], o.coefs[0], Integer.MAX_VALUE, maxDegree); // the sum is bounded, not the halves
    if (a == null) return null;
    Poly b = timesTerm(o.monos[1], o.coefs[1], Integer.MAX_VALUE, maxDegree);
    if (b == null) return null;
    Poly p = a.plus(b);
    return p.size() > maxTerms ? null : p;
  }

  /**
   * {@link #times} a single term {@code c·mono}: every term times it, in the same order (the monomial order is
   * compatible with multiplication, and distinct terms stay distinct), a product that underflows to zero dropped, or
   * null beyond the limits — the product {@link #times} would build, without its table. Sums of many independent
   * terms (a param's gradient in a long model) meet this case at every step.
   */
  private Poly timesTerm(Mono mono, double c, int maxTerms, int maxDegree) {
    Mono[] m = new Mono[monos.length];
    double[] s = new double[monos.length];
    int n = 0;
    for (int k = 0; k < monos.length; k++) {
      Mono product = monos[k].times(mono);
      if (product.degree() > maxDegree) return null;
      double v = coefs[k] * c;
      if (v == 0) continue;
      m[n] = product;
      s[n++] = v + 0.0;
    }
    if (n > maxTerms) return null;
    return new Poly(n == m.length ? m : Arrays.copyOf(m, n), n == s.length ? s : Arrays.copyOf(s, n));
  }

  /** Every term divided by the monomial {@code m} (which must divide every term). */
  Poly dividedBy(Mono m) {
    Mono[] q = new Mono[monos.length];
    for (int k = 0; k < q.length; k++) q[k] = monos[k].dividedBy(m);
    return new Poly(q, coefs.clone()); // dividing every term by one monomial keeps the order
  }

  /**
   * The exact quotient {@code this / d}, or null when {@code d} does not divide this exactly (with exactly
   * representable coefficients). Multivariate division by leading terms; bounded by {@code maxSteps}.
   */
  Poly exactQuotient(Poly d, int maxSteps) {
    if (d.isZero()) return null;
    TreeMap<Mono, Double> rest = terms();
    TreeMap<Mono, Double> quotient = new TreeMap<>();
    for (int step = 0; !rest.isEmpty(); step++) {
      if (step > maxSteps) return null;
      Mono lead = rest.lastKey();
      double lc = rest.get(lead);
      Mono qm = lead.dividedBy(d.monos[0]);
      if (qm == null) return null;
      double qc = lc / d.coefs[0];
      if (qc * d.coefs[0] != lc) return null;
      quotient.merge(qm, qc, Double::sum);
      for (int k = 0; k < d.monos.length; k++) {
        Mono m = qm.times(d.monos[k]);
        double v = rest.getOrDefault(m, 0.0) - qc * d.coefs[k];
        if (v == 0) rest.remove(m);
        else rest.put(m, v);
      }
      if (rest.containsKey(lead)) return null; // inexact cancellation of the leading term
    }
    return of(quotient);
  }

  /** The monomial dividing every term (the common atoms at their lowest power). */
  Mono monomialContent() {
    if (monos.length == 0) return Mono.ONE;
    Mono g = monos[0];
    for (int k = 1; k < monos.length && !g.isOne(); k++) g = g.gcd(monos[k]);
    return g;
  }

  /**
   * The number {@code c} to divide by so that the polynomial is in canonical form: for integer coefficients
   * their gcd with the sign of the leading term; otherwise the leading coefficient when every quotient is exact,
   * else just the sign. So {@code 2 − 2a} and {@code a − 1} both normalise to {@code 1 − a} (times a number).
   */
  double content() {
    if (monos.length == 0) return 1;
    double lead = coefs[0];
    boolean integers = true;
    for (double c : coefs) if (c != Math.rint(c) || Math.abs(c) > 1e15) integers = false;
    if (integers) {
      long g = 0;
      for (double c : coefs) g = gcd(g, (long) Math.abs(c));
      return Math.signum(lead) * g;
    }
    for (double c : coefs) if ((c / lead) * lead != c) return Math.signum(lead);
    return lead;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  TreeMap<Mono, Double> terms() {
    TreeMap<Mono, Double> t = new TreeMap<>();
    for (int k = 0; k < monos.length; k++) t.put(monos[k], coefs[k]);
    return t;
  }

  @Override
  public int compareTo(Poly o) {
    if (o == this) return 0;
    if (monos.length != o.monos.length) return Integer.compare(monos.length, o.monos.length);
    for (int k = 0; k < monos.length; k++) {
      int c = monos[k].compareTo(o.monos[k]);
      if (c != 0) return -c; // the polynomial with the larger leading monomial sorts first
    }
    for (int k = 0; k < coefs.length; k++) {
      int c = Double.compare(coefs[k], o.coefs[k]);
      if (c != 0) return c;
    }
    return 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Poly p && hash == p.hash && Arrays.equals(monos, p.monos) && Arrays.equals(coefs, p.coefs);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    if (monos.length == 0) return "0";
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < monos.length; k++) {
      if (k > 0) sb.append(coefs[k] < 0 ? " - " : " + ");
      else if (coefs[k] < 0) sb.append('-');
      double c = Math.abs(coefs[k]);
      if (c != 1 || monos[k].isOne()) sb.append(c).append(monos[k].isOne() ? "" : "·");
      if (!monos[k].isOne()) sb.append(monos[k]);
    }
    return sb.toString();
  }
}
