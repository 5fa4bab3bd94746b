package dev.nnc.simplify;

import java.util.Arrays;

/**
 * A monomial over atoms: {@code Π atomᵢ^expᵢ} with atoms identified by the id of the IR node they stand for,
 * sorted ascending, every exponent positive. The empty monomial is the constant 1.
 *
 * <p>Ordered lexicographically with the smallest atom id most significant (a proper monomial order, so exact
 * polynomial division by leading terms is valid).
 */
final class Mono implements Comparable<Mono> {
  static final Mono ONE = new Mono(new int[0], new int[0]);

  final int[] atoms;
  final int[] exps;
  private final int hash;
  private final int degree;

  private Mono(int[] atoms, int[] exps) {
    this.atoms = atoms;
    this.exps = exps;
    this.hash = 31 * Arrays.hashCode(atoms) + Arrays.hashCode(exps);
    int d = 0;
    for (int e : exps) d += e;
    this.degree = d;
  }

  static Mono atom(int atom) {
    return new Mono(new int[] {atom}, new int[] {1});
  }

  boolean isOne() {
    return atoms.length == 0;
  }

  int degree() {
    return degree;
  }

  int exponentOf(int atom) {
    int i = Arrays.binarySearch(atoms, atom);
    return i >= 0 ? exps[i] : 0;
  }

  Mono times(Mono o) {
    if (o.isOne()) return this;
    if (isOne()) return o;
    return combine(o, 1);
  }

  /** {@code this / o}, or null when {@code o} does not divide this. */
  Mono dividedBy(Mono o) {
    for (int k = 0; k < o.atoms.length; k++) if (exponentOf(o.atoms[k]) < o.exps[k]) return null;
    return combine(o, -1);
  }

  /** The greatest common divisor (minimum exponent of each shared atom). */
  Mono gcd(Mono o) {
    if (o == this) return this;
    if (isOne() || o.isOne()) return ONE;
    // One merge of the two sorted atom lists; first only counting (a polynomial's content is mostly 1 or one of its
    // own monomials): no arrays for those.
    int shared = 0;
    boolean all = true; // every atom of this at least as high in o: the gcd is this
    for (int i = 0, j = 0; i < atoms.length; ) {
      if (j == o.atoms.length || atoms[i] < o.atoms[j]) {
        all = false;
        i++;
      } else if (atoms[i] > o.atoms[j]) {
        j++;
      } else {
        shared++;
        if (o.exps[j] < exps[i]) all = false;
        i++;
        j++;
      }
    }
    if (shared == 0) return ONE;
    if (all) return this;
    int[] a = new int[shared];
    int[] e = new int[shared];
    int n = 0;
    for (int i = 0, j = 0; i < atoms.length && j < o.atoms.length; ) {
      if (atoms[i] < o.atoms[j]) {
        i++;
      } else if (atoms[i] > o.atoms[j]) {
        j++;
      } else {
        a[n] = atoms[i];
        e[n++] = Math.min(exps[i], o.exps[j]);
        i++;
        j++;
      }
    }
    return new Mono(a, e);
  }

  private Mono combine(Mono o, int sign) {
    int[] a = new int[atoms.length + o.atoms.length];
    int[] e = new int[a.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < atoms.length || j < o.atoms.length) {
      int ai = i < atoms.length ? atoms[i] : Integer.MAX_VALUE;
      int aj = j < o.atoms.length ? o.atoms[j] : Integer.MAX_VALUE;
      int atom;
      int exp;
      if (ai < aj) {
        atom = ai;
        exp = exps[i++];
      } else if (aj < ai) {
        atom = aj;
        exp = sign * o.exps[j++];
      } else {
        atom = ai;
        exp = exps[i++] + sign * o.exps[j++];
      }
      if (exp != 0) {
        a[n] = atom;
        e[n++] = exp;
      }
    }
    return new Mono(n == a.length ? a : Arrays.copyOf(a, n), n == e.length ? e : Arrays.copyOf(e, n));
  }

  @Override
  public int compareTo(Mono o) {
    int i = 0;
    while (i < atoms.length && i < o.atoms.length) {
      if (atoms[i] != o.atoms[i]) return atoms[i] < o.atoms[i] ? 1 : -1; // this has the smaller atom: larger
      if (exps[i] != o.exps[i]) return Integer.compare(exps[i], o.exps[i]);
      i++;
    }
    return Integer.compare(atoms.length, o.atoms.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Mono m && hash == m.hash && Arrays.equals(atoms, m.atoms) && Arrays.equals(exps, m.exps);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    if (isOne()) return "1";
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < atoms.length; k++) {
      if (k > 0) sb.append('·');
      sb.append('#').append(atoms[k]);
      if (exps[k] != 1) sb.append('^').append(exps[k]);
    }
    return sb.toString();
  }
}
