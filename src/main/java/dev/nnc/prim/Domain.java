package dev.nnc.prim;

import java.util.List;

/**
 * Where a primitive is tested: the open interval its operand is drawn from in gradient checks and random models,
 * and the points where its derivative jumps (kinks), which gradient checks stay away from. An infinite end means
 * "all reals"; samplers then draw from {@link #sampleLow()} … {@link #sampleHigh()}.
 */
public record Domain(double lo, double hi, List<Double> kinks) {
  /** How far samplers go on an unbounded side. */
  public static final double SAMPLE_RANGE = 3;

  public static final Domain REAL = new Domain(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, List.of());

  public Domain {
    kinks = List.copyOf(kinks);
    if (!(lo < hi)) throw new IllegalArgumentException("empty domain (" + lo + ", " + hi + ")");
  }

  public static Domain of(double lo, double hi) {
    return new Domain(lo, hi, List.of());
  }

  /** The reals, with a kink at each given point. */
  public static Domain kinked(double... at) {
    List<Double> k = new java.util.ArrayList<>();
    for (double a : at) k.add(a);
    return new Domain(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, k);
  }

  public double sampleLow() {
    return Math.max(lo, -SAMPLE_RANGE);
  }

  public double sampleHigh() {
    return Math.min(hi, SAMPLE_RANGE);
  }

  public boolean contains(double x) {
    return x > lo && x < hi;
  }

  /** Distance from {@code x} to the nearest kink (infinite when there is none). */
  public double distanceToKink(double x) {
    double d = Double.POSITIVE_INFINITY;
    for (double k : kinks) d = Math.min(d, Math.abs(x - k));
    return d;
  }
}
