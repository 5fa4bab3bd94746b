package dev.nnc.simplify;


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

  private static final Poly[] NO_POLYS = new Poly[0];
  private static final int[] NO_EXPS = new int[0];

  static final Rational ZERO = new Rational(0, NO_POLYS, NO_EXPS);
  static final Rational ONE = new Rational(1, NO_POLYS, NO_EXPS);

  final double coef;
  /**
   * The factors, sorted by {@link Poly#compareTo} (deterministic), each once, with their exponents in {@link #exps};
   * never a zero exponent or a constant polynomial. Sorted arrays rather than a {@code TreeMap}: every sum and
   * product of the simplifier merges two of them (issue 11: a long model's param gradients are chains of thousands).
   */
  private final Poly[] polys;
  private final int[] exps;

  private Rational(double coef, Poly[] polys, int[] exps) {
    this.coef = coef + 0.0;
    this.polys = coef == 0 ? NO_POLYS : polys;
    this.exps = coef == 0 ? NO_EXPS : exps;
  }

  static Rational constant(double c) {
    return new Rational(c, NO_POLYS, NO_EXPS);
  }

  static Rational atom(int atom) {
    return new Rational(1, new Poly[] {Poly.atom(atom)}, new int[] {1});
  }

  /** {@code coef · p} for a polynomial already in canonical factor form (a factor of some rational). */
  static Rational ofFactor(double coef, Poly p) {
    return new Rational(coef, new Poly[] {p}, new int[] {1});
  }

  /** How many factors. */
  int factorCount() {
    return polys.length;
  }

  /** Factor {@code i}, in the sorted order. */
  Poly factor(int i) {
    return polys[i];
  }

  /** The exponent of factor {@code i} (negative: a denominator). */
  int exponent(int i) {
    return exps[i];
  }

  boolean isZero() {
    return coef == 0;
  }

  boolean isConstant() {
    return polys.length == 0;
  }

  /** The lone atom this is ({@code 1·atom¹}), or -1. */
  int asAtom() {
    if (coef != 1 || polys.length != 1) return -1;
    return exps[0] == 1 ? polys[0].asAtom() : -1;
  }

  boolean hasDenominator() {
    for (int e : exps) if (e < 0) return true;
    return false;
  }

  Rational negated() {
    return new Rational(-coef, polys, exps);
  }

  Rational times(Rational o, Limits lim) {
    Rational p = product(o, lim);
    return p == null ? null : p.cancel(lim);
  }

  /** The product with exponents merged (identical factors cancel) but no polynomial division. */
  private Rational product(Rational o, Limits lim) {
    if (isZero() || o.isZero()) return ZERO;
    Poly[] p = new Poly[polys.length + o.polys.length];
    int[] e = new int[p.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < polys.length || j < o.polys.length) {
      int order = i == polys.length ? 1 : j == o.polys.length ? -1 : polys[i].compareTo(o.polys[j]);
      Poly f;
      int x;
      if (order < 0) {
        f = polys[i];
        x = exps[i++];
      } else if (order > 0) {
        f = o.polys[j];
        x = o.exps[j++];
      } else {
        f = polys[i];
        x = exps[i++] + o.exps[j++];
      }
      if (x == 0) continue;
      if (Math.abs(x) > lim.maxDegree()) return null;
      p[n] = f;
      e[n++] = x;
    }
    if (n > lim.maxFactors()) return null;
    return new Rational(coef * o.coef, trim(p, n), trim(e, n));
  }

  private static Poly[] trim(Poly[] a, int n) {
    return n == a.length ? a : java.util.Arrays.copyOf(a, n);
  }

  private static int[] trim(int[] a, int n) {
    return n == a.length ? a : java.util.Arrays.copyOf(a, n);
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
    int[] e = new int[exps.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = exps[i] * k;
      if (Math.abs(e[i]) > lim.maxDegree()) return null;
    }
    double c = Math.pow(coef, k);
    if (!Double.isFinite(c) || c == 0) return null;
    return new Rational(c, polys, e);
  }

  /** The sum over the common denominator, with the new numerator's common factors cancelled; null if too large. */
  Rational plus(Rational o, Limits lim) {
    if (isZero()) return o;
    if (o.isZero()) return this;
    // g: every factor at the lower of its two exponents — the common numerator factors and the lcm of the
    // denominators. Both summands divided by g are polynomials. Then each summand's expansion: coef · Π f^(e − g(f)),
    // the factors multiplied in their sorted order.
    Poly[] gp = new Poly[polys.length + o.polys.length];
    int[] ge = new int[gp.length];
    int[] ea = new int[gp.length];
    int[] eb = new int[gp.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < polys.length || j < o.polys.length) {
      int order = i == polys.length ? 1 : j == o.polys.length ? -1 : polys[i].compareTo(o.polys[j]);
      Poly f;
      int x = 0;
      int y = 0;
      if (order < 0) {
        f = polys[i];
        x = exps[i++];
      } else if (order > 0) {
        f = o.polys[j];
        y = o.exps[j++];
      } else {
        f = polys[i];
        x = exps[i++];
        y = o.exps[j++];
      }
      int m = Math.min(x, y);
      gp[n] = f;
      ge[n] = m;
      ea[n] = x - m;
      eb[n++] = y - m;
    }
    // Either expansion certainly beyond the limits: the sum is null, so neither needs building (a long model's sums
    // meet products of many (1 − v²) factors whose expansion doubles at each one).
    if (certainlyTooLarge(coef, gp, ea, n, lim) || certainlyTooLarge(o.coef, gp, eb, n, lim)) return null;
    Poly a = expand(coef, gp, ea, n, lim);
    Poly b = expand(o.coef, gp, eb, n, lim);
    if (a == null || b == null) return null;
    Poly sum = a.plus(b);
    if (sum.isZero()) return ZERO;
    if (sum.size() > lim.maxTerms()) return null;
    int k = 0;
    for (int t = 0; t < n; t++) {
      if (ge[t] == 0) continue;
      gp[k] = gp[t];
      ge[k++] = ge[t];
    }
    Rational result = new Rational(1, trim(gp, k), trim(ge, k)).product(fromPoly(sum), lim);
    return result == null ? null : result.cancel(lim);
  }

  /** A polynomial as coefficient · atoms · canonical rest. */
  static Rational fromPoly(Poly p) {
    if (p.isZero()) return ZERO;
    Mono content = p.monomialContent();
    Poly rest = content.isOne() ? p : p.dividedBy(content);
    double c = rest.content();
    if (c != 1) rest = rest.divided(c);
    double coef = c;
    boolean restIsFactor = !rest.isConstant();
    if (!restIsFactor) coef *= rest.isZero() ? 0 : rest.coefs[0];
    int n = content.atoms.length + (restIsFactor ? 1 : 0);
    Poly[] f = new Poly[n];
    int[] e = new int[n];
    for (int k = 0; k < content.atoms.length; k++) {
      f[k] = Poly.atom(content.atoms[k]);
      e[k] = content.exps[k];
    }
    if (restIsFactor) {
      f[n - 1] = rest; // two terms or more: none of the single atoms
      e[n - 1] = 1;
    }
    sort(f, e);
    return new Rational(coef, f, e);
  }

  /** Sorts the factors (few: insertion sort), keeping each exponent with its factor. */
  private static void sort(Poly[] f, int[] e) {
    for (int i = 1; i < f.length; i++) {
      Poly p = f[i];
      int x = e[i];
      int k = i;
      while (k > 0 && f[k - 1].compareTo(p) > 0) {
        f[k] = f[k - 1];
        e[k] = e[k - 1];
        k--;
      }
      f[k] = p;
      e[k] = x;
    }
  }

  /**
   * Cancels a multi-term numerator factor against a multi-term denominator factor where one divides the other
   * exactly ({@code (x² − y²)/(x − y)} → {@code x + y}). Repeats until nothing more cancels.
   */
  private Rational cancel(Limits lim) {
    boolean sumBelow = false; // only a sum in the denominator can cancel (most products have no denominator at all)
    for (int b = 0; b < polys.length && !sumBelow; b++) sumBelow = exps[b] < 0 && polys[b].size() >= 2;
    if (!sumBelow) return this;
    Rational r = this;
    for (boolean changed = true; changed; ) {
      changed = false;
      search:
      for (int a = 0; a < r.polys.length; a++) {
        Poly num = r.polys[a];
        if (r.exps[a] <= 0 || num.size() < 2) continue;
        for (int b = 0; b < r.polys.length; b++) {
          Poly den = r.polys[b];
          if (r.exps[b] >= 0 || den.size() < 2) continue;
          Poly q = num.exactQuotient(den, lim.maxTerms() * 4);
          int sign = 1;
          if (q == null) {
            q = den.exactQuotient(num, lim.maxTerms() * 4);
            sign = -1;
          }
          if (q == null) continue;
          int[] e = r.exps.clone();
          e[a] -= 1;
          e[b] += 1;
          Poly[] p = r.polys.clone();
          int n = 0;
          for (int t = 0; t < p.length; t++) {
            if (e[t] == 0) continue;
            p[n] = p[t];
            e[n++] = e[t];
          }
          Rational quotient = fromPoly(q).pow(sign, lim);
          Rational next = quotient == null ? null : new Rational(r.coef, trim(p, n), trim(e, n)).product(quotient, lim);
          if (next == null) break search;
          r = next;
          changed = true;
          break search;
        }
      }
    }
    return r;
  }

  /**
   * Whether {@link #expand} of these factors certainly answers null, found by counting terms instead of multiplying.
   * It multiplies in order; while each factor with several terms has atoms the product so far does not (and is
   * multiplied in once), the product of a {@code p}-term polynomial by an {@code f}-term factor has exactly {@code p·f}
   * terms — each product monomial splits back into its two parts — and a one-term factor keeps the count. No term
   * vanishes while every product of coefficients stays a normal number (checked with their binary exponents). Once
   * that exact count passes the term limit, the product at that step is null and so is the expansion. False when the
   * count cannot be told this way (the expansion then decides).
   */
  static boolean certainlyTooLarge(double coef, Poly[] f, int[] e, int n, Limits lim) {
    // The count is at most the product of the sizes: most expansions are small enough to tell at once.
    long most = 1;
    for (int t = 0; t < n && most <= lim.maxTerms(); t++) {
      for (int k = 0; k < e[t] && most <= lim.maxTerms(); k++) most *= f[t].size();
    }
    if (most <= lim.maxTerms()) return false;
    if (!(Math.abs(coef) >= Double.MIN_NORMAL) || Double.isInfinite(coef)) return false;
    int scale = Math.getExponent(coef);
    long count = 1;
    int[] atoms = null;
    int seen = 0;
    for (int t = 0; t < n; t++) {
      if (e[t] == 0) continue;
      Poly p = f[t];
      if (p.isZero()) return false; // (never a factor of a rational; the product would be 0)
      if (p.size() > 1 && e[t] > 1) return false; // (1 − a)² shares its atoms with itself
      int least = p.leastCoefExponent();
      if (least == Integer.MIN_VALUE) return false;
      scale += least * e[t]; // one-term factors are atoms: coefficient 1, any exponent
      if (scale < -1000) return false;
      if (p.size() > 1) {
        if (atoms != null && !p.avoidsAtoms(atoms, seen)) return false;
        count *= p.size();
        if (count > lim.maxTerms()) return true;
      }
      for (Mono m : p.monos) {
        for (int a : m.atoms) {
          if (atoms == null) atoms = new int[16];
          if (contains(atoms, seen, a)) continue;
          if (seen == atoms.length) atoms = java.util.Arrays.copyOf(atoms, 2 * seen);
          atoms[seen++] = a;
        }
      }
    }
    return false;
  }

  private static boolean contains(int[] a, int n, int x) {
    for (int k = 0; k < n; k++) if (a[k] == x) return true;
    return false;
  }

  /** coef · Π f^e over the first {@code n} factors (all exponents non-negative by construction), in their order. */
  static Poly expand(double coef, Poly[] f, int[] e, int n, Limits lim) {
    Poly p = Poly.constant(coef);
    for (int t = 0; t < n; t++) {
      for (int k = 0; k < e[t]; k++) {
        p = p.times(f[t], lim.maxTerms(), lim.maxDegree());
        if (p == null) return null;
      }
    }
    return p;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rational r && Double.compare(coef, r.coef) == 0 && java.util.Arrays.equals(exps, r.exps)
        && java.util.Arrays.equals(polys, r.polys);
  }

  /** Cached: forms are map keys (the simplifier's known forms) and the factor map is hashed entry by entry. */
  private int hash;

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = (Double.hashCode(coef) * 31 + java.util.Arrays.hashCode(polys)) * 31 + java.util.Arrays.hashCode(exps);
      hash = h == 0 ? 1 : h;
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(coef);
    for (int i = 0; i < polys.length; i++) sb.append(" · (").append(polys[i]).append(")^").append(exps[i]);
    return sb.toString();
  }
}
