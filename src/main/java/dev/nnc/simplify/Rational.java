package dev.nnc.simplify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A rational function in factored form: {@code coef · Π factorᵢ^expᵢ}, each factor a canonical polynomial
 * (no monomial content except a lone atom, content normalised so that {@code 1 − a} and {@code a − 1} are one
 * factor), each exponent a nonzero integer (negative = denominator). Keeping factors apart is what lets
 * {@code (a − y)/(a(1 − a)) · a(1 − a)} cancel to {@code a − y} without multivariate gcds; sums put their terms
 * over the common denominator and try exact division of the new numerator by each denominator factor.
 *
 * <p>Operations answer null when a result would exceed the {@link Limits}: the caller then treats the
 * expression as an opaque atom.
 */
final class Rational {
  record Limits(int maxTerms, int maxDegree, int maxFactors) {
    static final Limits DEFAULT = new Limits(48, 16, 16);
  }

  static final Rational ZERO = new Rational(0, new TreeMap<>());
  static final Rational ONE = new Rational(1, new TreeMap<>());

  final double coef;
  /** Sorted (deterministic); never contains a zero exponent or a constant polynomial. */
  final TreeMap<Poly, Integer> factors;

  private Rational(double coef, TreeMap<Poly, Integer> factors) {
    this.coef = coef + 0.0;
    this.factors = coef == 0 ? new TreeMap<>() : factors;
  }

  static Rational constant(double c) {
    return new Rational(c, new TreeMap<>());
  }

  static Rational atom(int atom) {
    TreeMap<Poly, Integer> f = new TreeMap<>();
    f.put(Poly.atom(atom), 1);
    return new Rational(1, f);
  }

  /** {@code coef · p} for a polynomial already in canonical factor form (a factor of some rational). */
  static Rational ofFactor(double coef, Poly p) {
    TreeMap<Poly, Integer> f = new TreeMap<>();
    f.put(p, 1);
    return new Rational(coef, f);
  }

  boolean isZero() {
    return coef == 0;
  }

  boolean isConstant() {
    return factors.isEmpty();
  }

  /** The lone atom this is ({@code 1·atom¹}), or -1. */
  int asAtom() {
    if (coef != 1 || factors.size() != 1) return -1;
    Map.Entry<Poly, Integer> e = factors.firstEntry();
    return e.getValue() == 1 ? e.getKey().asAtom() : -1;
  }

  boolean hasDenominator() {
    for (int e : factors.values()) if (e < 0) return true;
    return false;
  }

  Rational negated() {
    return new Rational(-coef, factors);
  }

  Rational times(Rational o, Limits lim) {
    Rational p = product(o, lim);
    return p == null ? null : p.cancel(lim);
  }

  /** The product with exponents merged (identical factors cancel) but no polynomial division. */
  private Rational product(Rational o, Limits lim) {
    if (isZero() || o.isZero()) return ZERO;
    TreeMap<Poly, Integer> f = new TreeMap<>(factors);
    for (Map.Entry<Poly, Integer> e : o.factors.entrySet()) f.merge(e.getKey(), e.getValue(), Integer::sum);
    f.values().removeIf(v -> v == 0);
    if (f.size() > lim.maxFactors() || tooHigh(f, lim)) return null;
    return new Rational(coef * o.coef, f);
  }

  /** {@code this / o}; null when {@code o} is zero or the result is too large. */
  Rational dividedBy(Rational o, Limits lim) {
    Rational inv = o.pow(-1, lim);
    return inv == null ? null : times(inv, lim);
  }

  Rational pow(int k, Limits lim) {
    if (k == 0) return ONE;
    if (isZero()) return k > 0 ? ZERO : null;
    if (Math.abs(k) > lim.maxDegree()) return null;
    TreeMap<Poly, Integer> f = new TreeMap<>();
    for (Map.Entry<Poly, Integer> e : factors.entrySet()) f.put(e.getKey(), e.getValue() * k);
    if (tooHigh(f, lim)) return null;
    double c = Math.pow(coef, k);
    if (!Double.isFinite(c) || c == 0) return null;
    return new Rational(c, f);
  }

  private static boolean tooHigh(TreeMap<Poly, Integer> f, Limits lim) {
    for (int e : f.values()) if (Math.abs(e) > lim.maxDegree()) return true;
    return false;
  }

  /** The sum over the common denominator, with the new numerator's common factors cancelled; null if too large. */
  Rational plus(Rational o, Limits lim) {
    if (isZero()) return o;
    if (o.isZero()) return this;
    // g: every factor at the lower of its two exponents — the common numerator factors and the lcm of the
    // denominators. Both summands divided by g are polynomials.
    TreeMap<Poly, Integer> g = new TreeMap<>();
    for (Poly p : union(factors, o.factors)) {
      int e = Math.min(factors.getOrDefault(p, 0), o.factors.getOrDefault(p, 0));
      if (e != 0) g.put(p, e);
    }
    Poly a = expand(coef, factors, g, lim);
    Poly b = expand(o.coef, o.factors, g, lim);
    if (a == null || b == null) return null;
    Poly sum = a.plus(b);
    if (sum.isZero()) return ZERO;
    if (sum.size() > lim.maxTerms()) return null;
    Rational result = new Rational(1, g).product(fromPoly(sum), lim);
    return result == null ? null : result.cancel(lim);
  }

  /** A polynomial as coefficient · atoms · canonical rest. */
  static Rational fromPoly(Poly p) {
    if (p.isZero()) return ZERO;
    Mono content = p.monomialContent();
    Poly rest = content.isOne() ? p : p.dividedBy(content);
    double c = rest.content();
    if (c != 1) rest = rest.divided(c);
    TreeMap<Poly, Integer> f = new TreeMap<>();
    for (int k = 0; k < content.atoms.length; k++) f.put(Poly.atom(content.atoms[k]), content.exps[k]);
    double coef = c;
    if (rest.isConstant()) coef *= rest.isZero() ? 0 : rest.coefs[0];
    else f.merge(rest, 1, Integer::sum);
    return new Rational(coef, f);
  }

  /**
   * Cancels a multi-term numerator factor against a multi-term denominator factor where one divides the other
   * exactly ({@code (x² − y²)/(x − y)} → {@code x + y}). Repeats until nothing more cancels.
   */
  private Rational cancel(Limits lim) {
    Rational r = this;
    for (boolean changed = true; changed; ) {
      changed = false;
      search:
      for (Map.Entry<Poly, Integer> num : r.factors.entrySet()) {
        if (num.getValue() <= 0 || num.getKey().size() < 2) continue;
        for (Map.Entry<Poly, Integer> den : r.factors.entrySet()) {
          if (den.getValue() >= 0 || den.getKey().size() < 2) continue;
          Poly q = num.getKey().exactQuotient(den.getKey(), lim.maxTerms() * 4);
          int sign = 1;
          if (q == null) {
            q = den.getKey().exactQuotient(num.getKey(), lim.maxTerms() * 4);
            sign = -1;
          }
          if (q == null) continue;
          TreeMap<Poly, Integer> f = new TreeMap<>(r.factors);
          f.merge(num.getKey(), -1, Integer::sum);
          f.merge(den.getKey(), 1, Integer::sum);
          f.values().removeIf(v -> v == 0);
          Rational quotient = fromPoly(q).pow(sign, lim);
          Rational next = quotient == null ? null : new Rational(r.coef, f).product(quotient, lim);
          if (next == null) break search;
          r = next;
          changed = true;
          break search;
        }
      }
    }
    return r;
  }

  /** coef · Π f^(e − g(f)) expanded (all exponents non-negative by construction of g). */
  private static Poly expand(double coef, TreeMap<Poly, Integer> factors, TreeMap<Poly, Integer> g, Limits lim) {
    Poly p = Poly.constant(coef);
    for (Poly f : union(factors, g)) {
      int e = factors.getOrDefault(f, 0) - g.getOrDefault(f, 0);
      for (int k = 0; k < e; k++) {
        p = p.times(f, lim.maxTerms(), lim.maxDegree());
        if (p == null) return null;
      }
    }
    return p;
  }

  /** The keys of both maps in their (shared) order, each once: a merge of the two sorted key sets. */
  private static List<Poly> union(TreeMap<Poly, Integer> a, TreeMap<Poly, Integer> b) {
    List<Poly> u = new ArrayList<>(a.size() + b.size());
    java.util.Iterator<Poly> i = a.keySet().iterator();
    java.util.Iterator<Poly> j = b.keySet().iterator();
    Poly x = i.hasNext() ? i.next() : null;
    Poly y = j.hasNext() ? j.next() : null;
    while (x != null || y != null) {
      int order = x == null ? 1 : y == null ? -1 : x.compareTo(y);
      if (order <= 0) {
        u.add(x);
        x = i.hasNext() ? i.next() : null;
        if (order == 0) y = j.hasNext() ? j.next() : null;
      } else {
        u.add(y);
        y = j.hasNext() ? j.next() : null;
      }
    }
    return u;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rational r && Double.compare(coef, r.coef) == 0 && factors.equals(r.factors);
  }

  /** Cached: forms are map keys (the simplifier's known forms) and the factor map is hashed entry by entry. */
  private int hash;

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Objects.hash(coef, factors);
      hash = h == 0 ? 1 : h;
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(coef);
    for (Map.Entry<Poly, Integer> e : factors.entrySet()) sb.append(" · (").append(e.getKey()).append(")^").append(e.getValue());
    return sb.toString();
  }
}
