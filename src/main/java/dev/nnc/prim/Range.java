package dev.nnc.prim;

import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.UnaryOp;
import java.util.Map;

/**
 * A set of reals known to hold every value of a node, for the numeric-hazard warnings: the interval
 * {@code [lo, hi]} (ends may be infinite), and {@code nonzero} when 0 is known not to be in it ({@code exp(x)} is in
 * {@code [0, ∞]} without 0: it is {@code (0, ∞)}). Ranges are sound in real arithmetic — a value is always inside —
 * and coarse: a function the table below does not know maps to all reals, which can only cause a warning, never
 * hide one.
 *
 * <p>The images of elementwise functions are here, beside their registry entries: a monotone function's image is
 * its registry forward at the ends ({@link Prims#of(UnaryOp)}), plus what is known about 0; {@code RangeTest}
 * samples every entry to check the images contain the function's values.
 */
public record Range(double lo, double hi, boolean loOpen, boolean hiOpen, boolean nonzero) {
  public static final Range ALL = new Range(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false);
  /** Where {@code exp} overflows in double: a range reaching above this makes {@code exp} of it a hazard. */
  public static final double EXP_OVERFLOW = 709.78;

  public Range {
    if (Double.isNaN(lo) || Double.isNaN(hi) || lo > hi) {
      lo = Double.NEGATIVE_INFINITY;
      hi = Double.POSITIVE_INFINITY;
      nonzero = false;
    }
    loOpen |= lo == Double.NEGATIVE_INFINITY || lo == Double.POSITIVE_INFINITY; // an infinite end is a limit
    hiOpen |= hi == Double.NEGATIVE_INFINITY || hi == Double.POSITIVE_INFINITY;
    if (lo > 0 || hi < 0 || lo == 0 && loOpen || hi == 0 && hiOpen) nonzero = true;
  }

  /** Closed at both (finite) ends. */
  public Range(double lo, double hi, boolean nonzero) {
    this(lo, hi, false, false, nonzero);
  }

  public static Range point(double c) {
    return new Range(c, c, c != 0);
  }

  public static Range of(double lo, double hi) {
    return new Range(lo, hi, false);
  }

  /** Every value is > 0. */
  public boolean positive() {
    return lo > 0 || lo == 0 && nonzero;
  }

  /** Every value is < 0. */
  public boolean negative() {
    return hi < 0 || hi == 0 && nonzero;
  }

  /** Some value may be 0. */
  public boolean mayBeZero() {
    return !nonzero;
  }

  /** Some value may be 0 or negative (where log and sqrt are hazards). */
  public boolean mayBeNonPositive() {
    return !positive();
  }

  public Range neg() {
    return new Range(-hi, -lo, hiOpen, loOpen, nonzero);
  }

  public Range add(Range b) {
    double l = lo + b.lo;
    double h = hi + b.hi;
    return new Range(l, h, loOpen || b.loOpen, hiOpen || b.hiOpen, false);
  }

  public Range sub(Range b) {
    return add(b.neg());
  }

  public Range mul(Range b) {
    double[] xs = {lo, lo, hi, hi};
    boolean[] xo = {loOpen, loOpen, hiOpen, hiOpen};
    double[] ys = {b.lo, b.hi, b.lo, b.hi};
    boolean[] yo = {b.loOpen, b.hiOpen, b.loOpen, b.hiOpen};
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    boolean minOpen = true;
    boolean maxOpen = true;
    for (int i = 0; i < 4; i++) {
      double p = xs[i] == 0 || ys[i] == 0 ? 0 : xs[i] * ys[i]; // 0·∞ = 0: a bound, as a limit
      boolean attained = !xo[i] && !yo[i] || xs[i] == 0 && !xo[i] || ys[i] == 0 && !yo[i];
      if (p < min) {
        min = p;
        minOpen = !attained;
      } else if (p == min) {
        minOpen &= !attained;
      }
      if (p > max) {
        max = p;
        maxOpen = !attained;
      } else if (p == max) {
        maxOpen &= !attained;
      }
    }
    return new Range(min, max, minOpen, maxOpen, !mayBeZero() && !b.mayBeZero());
  }

  /** {@code 1/x}; all reals when x may be 0 (that division is the hazard, reported where it is made). */
  public Range reciprocal() {
    if (mayBeZero()) return ALL;
    if (positive() || negative()) {
      return new Range(1 / hi, 1 / lo, hiOpen || hi == 0, loOpen || lo == 0, true);
    }
    return new Range(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, true);
  }

  public Range div(Range b) {
    return mul(b.reciprocal());
  }

  public Range max(Range b) {
    return new Range(Math.max(lo, b.lo), Math.max(hi, b.hi), end(lo, loOpen, b.lo, b.loOpen, true),
        end(hi, hiOpen, b.hi, b.hiOpen, true), positive() || b.positive() || negative() && b.negative());
  }

  public Range min(Range b) {
    return new Range(Math.min(lo, b.lo), Math.min(hi, b.hi), end(lo, loOpen, b.lo, b.loOpen, false),
        end(hi, hiOpen, b.hi, b.hiOpen, false), negative() || b.negative() || positive() && b.positive());
  }

  /** Whether the max (or min) of two ends is open: that of the winning end; both open when they tie. */
  private static boolean end(double a, boolean aOpen, double b, boolean bOpen, boolean max) {
    if (a == b) return aOpen && bOpen;
    return (a > b) == max ? aOpen : bOpen;
  }

  /** A sum of one or more terms in this range (how many is not known). */
  public Range sumOfSome() {
    if (lo >= 0) return new Range(lo, Double.POSITIVE_INFINITY, loOpen, true, nonzero);
    if (hi <= 0) return new Range(Double.NEGATIVE_INFINITY, hi, true, hiOpen, nonzero);
    return ALL;
  }

  /** {@code a ^ b} for a constant exponent {@code b}; else positive bases stay positive, anything else is unknown. */
  public Range pow(Range b) {
    if (b.lo == b.hi) {
      double c = b.lo;
      if (c == 0) return point(1);
      if (c == Math.rint(c) && Math.abs(c) <= 1 << 20) {
        boolean even = c % 2 == 0;
        Range m = c < 0 ? reciprocal() : this;
        double e = Math.abs(c);
        double a = Math.pow(m.lo, e);
        double z = Math.pow(m.hi, e);
        if (!even) return new Range(a, z, m.loOpen, m.hiOpen, m.nonzero);
        if (m.lo >= 0) return new Range(a, z, m.loOpen, m.hiOpen, m.nonzero);
        if (m.hi <= 0) return new Range(z, a, m.hiOpen, m.loOpen, m.nonzero);
        return new Range(0, Math.max(a, z), false, false, !m.mayBeZero());
      }
      if (lo >= 0) { // x^c of a non-negative base, c not an integer: monotone
        if (c < 0 && mayBeZero()) return new Range(0, Double.POSITIVE_INFINITY, true, true, true);
        Range m = c < 0 ? reciprocal() : this;
        double e = Math.abs(c);
        return new Range(Math.pow(m.lo, e), Math.pow(m.hi, e), m.loOpen, m.hiOpen, m.positive());
      }
      return ALL;
    }
    if (positive()) return new Range(0, Double.POSITIVE_INFINITY, true, true, true);
    return ALL;
  }

  public static Range binary(BinaryOp op, Range a, Range b) {
    return switch (op) {
      case ADD -> a.add(b);
      case SUB -> a.sub(b);
      case MUL -> a.mul(b);
      case DIV -> a.div(b);
      case POW -> a.pow(b);
      case MAX -> a.max(b);
      case MIN -> a.min(b);
      case GE -> of(0, 1);
    };
  }

  /** What is known of an elementwise function beyond its registry forward. */
  private enum Shape {
    /** non-decreasing: the image is the forward at the ends */
    INCREASING,
    /** non-decreasing and positive everywhere (exp, σ, softplus) */
    INCREASING_POSITIVE,
    /** non-decreasing, 0 only at 0 (tanh, atan, expm1, leaky_relu, elu, log1p) */
    INCREASING_ZERO_AT_ZERO,
    /** values in [−1, 1] (sin, cos, sign) */
    UNIT,
  }

  private static final Map<String, Shape> SHAPES = Map.ofEntries(
      Map.entry("EXP", Shape.INCREASING_POSITIVE),
      Map.entry("SIGMOID", Shape.INCREASING_POSITIVE),
      Map.entry("SOFTPLUS", Shape.INCREASING_POSITIVE),
      Map.entry("TANH", Shape.INCREASING_ZERO_AT_ZERO),
      Map.entry("ATAN", Shape.INCREASING_ZERO_AT_ZERO),
      Map.entry("EXPM1", Shape.INCREASING_ZERO_AT_ZERO),
      Map.entry("ELU", Shape.INCREASING_ZERO_AT_ZERO),
      Map.entry("LEAKY_RELU", Shape.INCREASING_ZERO_AT_ZERO),
      Map.entry("LOG1P", Shape.INCREASING_ZERO_AT_ZERO),
      Map.entry("LOG", Shape.INCREASING),
      Map.entry("SQRT", Shape.INCREASING),
      Map.entry("RELU", Shape.INCREASING),
      Map.entry("STEP", Shape.INCREASING),
      Map.entry("SIN", Shape.UNIT),
      Map.entry("COS", Shape.UNIT),
      Map.entry("SIGN", Shape.UNIT));

  /** Whether the table knows {@code op} (an unknown op maps to all reals). */
  public static boolean knows(UnaryOp op) {
    return SHAPES.containsKey(op.name()) || op == UnaryOp.NEG || op == UnaryOp.ABS;
  }

  /** The image of {@code x} under {@code op} (with its numeric parameter, e.g. leaky_relu's slope). */
  public static Range unary(UnaryOp op, double param, Range x) {
    if (op == UnaryOp.NEG) return x.neg();
    if (op == UnaryOp.ABS) {
      if (x.lo >= 0) return x;
      if (x.hi <= 0) return x.neg();
      return new Range(0, Math.max(-x.lo, x.hi), !x.mayBeZero());
    }
    Shape shape = SHAPES.get(op.name());
    if (shape == null) return ALL;
    if (shape == Shape.UNIT) return new Range(-1, 1, false);
    if (op == UnaryOp.LOG && x.hi <= 0 || op == UnaryOp.SQRT && x.hi < 0) return ALL; // nowhere defined
    if ((op.name().equals("LEAKY_RELU") || op.name().equals("ELU")) && param < 0) return ALL; // not monotone
    Pieces.UnaryForward f = Prims.of(op).forward();
    double l = at(f, op, x.lo, param);
    double h = at(f, op, x.hi, param);
    boolean nonzero = switch (shape) {
      case INCREASING_POSITIVE -> true;
      case INCREASING_ZERO_AT_ZERO -> !x.mayBeZero() && !(op.name().equals("LEAKY_RELU") && param == 0 && !x.positive());
      default -> false;
    };
    if (op == UnaryOp.SQRT || op == UnaryOp.RELU) nonzero = x.positive();
    // a strictly increasing function keeps an end open (σ never reaches 1); a flat one (relu, step) may attain it
    boolean strict = op != UnaryOp.RELU && op != UnaryOp.STEP && !(op.name().equals("LEAKY_RELU") && param == 0);
    boolean belowDomain = op == UnaryOp.SQRT && x.lo < 0; // √ of the negative part: 0 at the edge, attained
    return new Range(l, h, strict && x.loOpen && !belowDomain, strict && x.hiOpen, nonzero);
  }

  /** The forward at an end; below a function's domain (log of a negative end), its limit at the domain's edge. */
  private static double at(Pieces.UnaryForward f, UnaryOp op, double x, double param) {
    if (op == UnaryOp.LOG && x <= 0) return Double.NEGATIVE_INFINITY;
    if (op == UnaryOp.SQRT && x < 0) return 0;
    if (op.name().equals("LOG1P") && x <= -1) return Double.NEGATIVE_INFINITY;
    return f.apply(x, param);
  }
}
