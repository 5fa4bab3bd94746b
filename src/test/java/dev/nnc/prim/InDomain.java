package dev.nnc.prim;

import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.UnaryOp;
import java.util.SplittableRandom;

/** Test support: puts random operands inside a registry entry's test domain. */
public final class InDomain {
  private InDomain() {}

  /**
   * {@code e} mapped into {@code d}: {@code lo + (hi − lo)·σ(e)} for a bounded domain, {@code lo + softplus(e)} or
   * {@code hi − softplus(e)} for a half-bounded one, {@code e} itself for the reals.
   */
  public static Expr map(Graph g, Domain d, Expr e) {
    boolean low = Double.isFinite(d.lo());
    boolean high = Double.isFinite(d.hi());
    if (low && high) {
      Expr s = g.unary(UnaryOp.SIGMOID, e);
      return g.add(g.constant(d.lo(), e.shape()), g.mul(g.constant(d.hi() - d.lo(), e.shape()), s));
    }
    if (low) return g.add(g.constant(d.lo(), e.shape()), g.unary(UnaryOp.SOFTPLUS, e));
    if (high) return g.sub(g.constant(d.hi(), e.shape()), g.unary(UnaryOp.SOFTPLUS, e));
    return e;
  }

  /** A point of {@code d} within its sample range, at least 0.05 from every kink. */
  public static double point(Domain d, SplittableRandom r) {
    double lo = d.sampleLow();
    double hi = d.sampleHigh();
    double margin = 0.02 * (hi - lo);
    while (true) {
      double x = r.nextDouble(lo + margin, hi - margin);
      if (d.distanceToKink(x) > 0.05) return x;
    }
  }

  /** The numeric argument tests give a function that takes one (its default), or 0. */
  public static double param(UnaryPrim p) {
    return p.param() == null ? 0 : p.param().defaultValue();
  }

  /** .nn text of {@code x} mapped into {@code d}, as {@link #map} does in the IR. */
  public static String text(Domain d, String x) {
    boolean low = Double.isFinite(d.lo());
    boolean high = Double.isFinite(d.hi());
    if (low && high) return "(" + number(d.lo()) + " + " + number(d.hi() - d.lo()) + "·σ(" + x + "))";
    if (low) return "(" + number(d.lo()) + " + softplus(" + x + "))";
    if (high) return "(" + number(d.hi()) + " − softplus(" + x + "))";
    return x;
  }

  private static String number(double v) {
    String s = dev.nnc.ir.Numbers.format(Math.abs(v));
    return v < 0 ? "(−" + s + ")" : s;
  }

  /** Every elementwise function that has a name in .nn. */
  public static java.util.List<UnaryPrim> named() {
    return Prims.unaries().stream().filter(p -> !p.spellings().isEmpty()).toList();
  }

  /**
   * A call of a random named elementwise function of the registry (any of its spellings) on {@code x} mapped
   * into its test domain; a function with a numeric argument sometimes gets one.
   */
  public static String call(java.util.Random r, String x) {
    java.util.List<UnaryPrim> named = named();
    UnaryPrim p = named.get(r.nextInt(named.size()));
    String spelling = p.spellings().get(r.nextInt(p.spellings().size()));
    String arg = text(p.domain(), x);
    if (p.param() != null && r.nextBoolean()) return spelling + "(" + arg + ", " + p.param().example() + ")";
    return spelling + "(" + arg + ")";
  }
}
