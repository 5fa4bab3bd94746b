package dev.nnc.simplify;

import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Shape;
import dev.nnc.ir.UnaryOp;
import dev.nnc.simplify.Terms.Term;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * Turns a {@link Rational} normal form back into an expression ({@link Term}) of a given shape:
 * {@code coef · numerator factors / denominator factors}, each polynomial as its positive terms followed by
 * subtractions ({@code a − y}, not {@code −y + a}), a negative coefficient absorbed by flipping a sum, squares as
 * products, constants as multipliers (division-free where the form allows). Scalar atoms inside a tensor island
 * are broadcast. Sub-forms that an existing node already computes are reused.
 */
final class Renderer {
  private final Terms terms;
  private final IntFunction<Term> atoms;
  private final BiFunction<Rational, Shape, Expr> known;

  Renderer(Terms terms, IntFunction<Term> atoms, BiFunction<Rational, Shape, Expr> known) {
    this.terms = terms;
    this.atoms = atoms;
    this.known = known;
  }

  Term render(Rational r, Shape shape) {
    if (r.isZero()) return terms.constant(0, shape);
    Expr existing = known.apply(r, shape);
    if (existing != null) return terms.ref(existing);
    // Factors an existing node computes are reused, in whichever orientation exists (1 − a for a − 1).
    double coef = r.coef;
    Map<Poly, Term> reused = new java.util.HashMap<>();
    List<Map.Entry<Poly, Integer>> factors = new ArrayList<>(r.factorCount());
    for (int i = 0; i < r.factorCount(); i++) factors.add(Map.entry(r.factor(i), r.exponent(i)));
    for (Map.Entry<Poly, Integer> e : factors) {
      if (known.apply(Rational.ofFactor(1, e.getKey()), shape) != null) continue;
      Expr flippedNode = known.apply(Rational.ofFactor(-1, e.getKey()), shape);
      if (flippedNode == null) continue;
      reused.put(e.getKey(), terms.ref(flippedNode));
      if (e.getValue() % 2 != 0) coef = -coef;
    }
    List<Map.Entry<Poly, Integer>> num = new ArrayList<>();
    List<Map.Entry<Poly, Integer>> den = new ArrayList<>();
    for (Map.Entry<Poly, Integer> e : factors) (e.getValue() > 0 ? num : den).add(e);
    // In a tensor island, scalar factors first: m·A·(1 − A) reads as the scalar times the tensor expression.
    num.sort((x, y) -> Boolean.compare(!scalar(x.getKey()), !scalar(y.getKey())));
    den.sort((x, y) -> Boolean.compare(!scalar(x.getKey()), !scalar(y.getKey())));
    // A denominator reads better with a positive constant term (1 − a, not a − 1); the sign moves up.
    Set<Poly> flippedDen = new HashSet<>();
    for (Map.Entry<Poly, Integer> e : den) {
      Poly p = e.getKey();
      if (reused.containsKey(p) || p.size() < 2 || !p.monos[p.size() - 1].isOne() || p.coefs[p.size() - 1] > 0) continue;
      flippedDen.add(p);
      if (e.getValue() % 2 != 0) coef = -coef;
    }
    Poly flipped = null;
    if (coef < 0) {
      for (Map.Entry<Poly, Integer> e : num) {
        if (e.getValue() == 1 && e.getKey().size() >= 2 && !reused.containsKey(e.getKey())) {
          flipped = e.getKey();
          coef = -coef;
          break;
        }
      }
    }
    Term numerator = null;
    if (coef != 1 && coef != -1) numerator = terms.constant(coef, shape);
    for (Map.Entry<Poly, Integer> e : num) {
      Term f = reused.containsKey(e.getKey()) ? reused.get(e.getKey()) : poly(e.getKey(), e.getKey() == flipped, shape);
      numerator = times(numerator, power(f, e.getValue(), shape));
    }
    if (numerator == null) numerator = terms.constant(coef == -1 ? -1 : 1, shape);
    else if (coef == -1) numerator = terms.unary(UnaryOp.NEG, numerator);
    Term denominator = null;
    for (Map.Entry<Poly, Integer> e : den) {
      Poly p = e.getKey();
      Term f = reused.containsKey(p) ? reused.get(p) : poly(p, flippedDen.contains(p), shape);
      denominator = times(denominator, power(f, -e.getValue(), shape));
    }
    return denominator == null ? numerator : terms.binary(BinaryOp.DIV, numerator, denominator);
  }

  private Term poly(Poly p, boolean negate, Shape shape) {
    Expr existing = known.apply(Rational.ofFactor(negate ? -1 : 1, p), shape);
    if (existing != null) return terms.ref(existing);
    int atom = p.asAtom();
    if (atom >= 0 && !negate) return atom(atom, shape);
    List<Term> plus = new ArrayList<>();
    List<Term> minus = new ArrayList<>();
    for (int k = 0; k < p.size(); k++) {
      double c = negate ? -p.coefs[k] : p.coefs[k];
      Mono m = p.monos[k];
      double size = Math.abs(c);
      Term t;
      if (m.isOne()) t = terms.constant(size, shape);
      else if (size == 1) t = mono(m, shape);
      else t = terms.binary(BinaryOp.MUL, terms.constant(size, shape), mono(m, shape));
      (c > 0 ? plus : minus).add(t);
    }
    Term sum = null;
    for (Term t : plus) sum = sum == null ? t : terms.binary(BinaryOp.ADD, sum, t);
    for (Term t : minus) sum = sum == null ? terms.unary(UnaryOp.NEG, t) : terms.binary(BinaryOp.SUB, sum, t);
    return sum;
  }

  private Term mono(Mono m, Shape shape) {
    Term product = null;
    for (boolean scalarPass : new boolean[] {true, false}) {
      for (int k = 0; k < m.atoms.length; k++) {
        if (atoms.apply(m.atoms[k]).shape.isScalar() != scalarPass) continue;
        product = times(product, power(atom(m.atoms[k], shape), m.exps[k], shape));
      }
    }
    return product;
  }

  /** Whether every atom of {@code p} is a scalar (broadcast into a tensor island). */
  private boolean scalar(Poly p) {
    for (Mono m : p.monos) for (int a : m.atoms) if (!atoms.apply(a).shape.isScalar()) return false;
    return true;
  }

  private Term atom(int id, Shape shape) {
    return terms.broadcast(atoms.apply(id), shape);
  }

  private Term power(Term t, int k, Shape shape) {
    if (k == 1) return t;
    if (k == 2) return terms.binary(BinaryOp.MUL, t, t);
    return terms.binary(BinaryOp.POW, t, terms.constant(k, shape));
  }

  private Term times(Term acc, Term t) {
    return acc == null ? t : terms.binary(BinaryOp.MUL, acc, t);
  }
}
