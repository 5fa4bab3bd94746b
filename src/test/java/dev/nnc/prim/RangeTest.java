package dev.nnc.prim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.UnaryOp;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Range} is sound: for random intervals, every sampled value of every registry function (and of the binary
 * operations) lies in the computed image, and 0 is never a value when the image says it is excluded.
 */
class RangeTest {
  private static final double[] ENDS = {Double.NEGATIVE_INFINITY, -800, -30, -2, -1, -0.5, 0, 0.5, 1, 2, 30, 800,
      Double.POSITIVE_INFINITY};

  private static Range random(Random r) {
    double a = ENDS[r.nextInt(ENDS.length)];
    double b = ENDS[r.nextInt(ENDS.length)];
    while (a == b && Double.isInfinite(a)) b = ENDS[r.nextInt(ENDS.length)]; // a range holds some real
    boolean nonzero = r.nextInt(4) == 0;
    return new Range(Math.min(a, b), Math.max(a, b), nonzero);
  }

  /** A value of the range: an end, or a point inside (never 0 when 0 is excluded), clipped to finite. */
  private static double sample(Random r, Range x) {
    double lo = Math.max(x.lo(), -1e6);
    double hi = Math.min(x.hi(), 1e6);
    for (int tries = 0; tries < 100; tries++) {
      double v = switch (r.nextInt(4)) {
        case 0 -> lo;
        case 1 -> hi;
        default -> lo + r.nextDouble() * (hi - lo);
      };
      if (Double.isFinite(v) && !(x.nonzero() && v == 0)) return v;
    }
    return Double.NaN;
  }

  private static void inside(Range image, double y, String what) {
    if (Double.isNaN(y)) return; // outside the function's domain: that is the hazard, not the image
    double slack = 1e-12 * Math.max(1, Math.abs(y));
    assertTrue(y >= image.lo() - slack && y <= image.hi() + slack, what + " = " + y + " outside " + image);
    if (image.nonzero()) assertTrue(y != 0 || Math.abs(y) < Double.MIN_NORMAL, what + " is 0 but " + image + " excludes 0");
  }

  @Test
  void everyRegistryFunctionStaysInsideItsImage() {
    Random r = new Random(11);
    int known = 0;
    for (UnaryPrim p : Prims.unaries()) {
      if (!Range.knows(p.op())) continue;
      known++;
      double param = p.param() == null ? 0 : p.param().defaultValue();
      for (int i = 0; i < 400; i++) {
        Range x = random(r);
        Range image = Range.unary(p.op(), param, x);
        for (int k = 0; k < 8; k++) {
          double v = sample(r, x);
          if (Double.isNaN(v)) continue;
          double y = p.forward().apply(v, param);
          if (Double.isInfinite(y) || y == 0 && Math.abs(v) > 0 && image.nonzero()) continue; // rounding at the extremes
          inside(image, y, p.op() + "(" + v + ") for " + x);
        }
      }
    }
    assertTrue(known >= 15, "functions with an image: " + known);
  }

  @Test
  void binaryOperationsStayInsideTheirImages() {
    Random r = new Random(12);
    for (BinaryOp op : BinaryOp.values()) {
      for (int i = 0; i < 2000; i++) {
        Range a = random(r);
        Range b = r.nextInt(3) == 0 ? Range.point(ENDS[1 + r.nextInt(ENDS.length - 2)]) : random(r);
        Range image = Range.binary(op, a, b);
        double x = sample(r, a);
        double y = sample(r, b);
        if (Double.isNaN(x) || Double.isNaN(y)) continue;
        double v = Prims.of(op).forward().apply(x, y);
        if (Double.isInfinite(v)) continue;
        inside(image, v, x + " " + op + " " + y + " for " + a + ", " + b);
      }
    }
  }

  @Test
  void whatTheWarningsRelyOn() {
    Range any = Range.ALL;
    assertTrue(Range.unary(UnaryOp.EXP, 0, any).positive(), "exp > 0");
    assertTrue(Range.unary(UnaryOp.SIGMOID, 0, any).positive());
    assertTrue(Range.point(1).sub(Range.unary(UnaryOp.SIGMOID, 0, any)).positive(), "σ never reaches 1: 1 − σ > 0");
    assertTrue(Range.point(1).sub(Range.unary(UnaryOp.TANH, 0, any)).positive(), "nor does tanh");
    assertTrue(Range.point(1).sub(Range.unary(UnaryOp.SIGMOID, 0, Range.of(-1, 2))).positive());
    assertTrue(Range.point(1).sub(Range.unary(UnaryOp.RELU, 0, any)).mayBeNonPositive());
    assertTrue(Range.point(1).add(Range.unary(UnaryOp.EXP, 0, any)).positive(), "1 + exp > 0");
    assertFalse(any.mul(any).add(Range.point(1e-8)).positive(), "w·w of unrelated factors is any real");
    assertTrue(any.pow(Range.point(2)).add(Range.point(1e-8)).positive(), "w² + ε > 0");
    assertTrue(any.pow(Range.point(2)).sumOfSome().mayBeZero(), "Σ w² can be 0");
    assertEquals(Double.POSITIVE_INFINITY, Range.unary(UnaryOp.of("TANH"), 0, any).hi() + Double.POSITIVE_INFINITY);
    assertEquals(1, Range.unary(UnaryOp.TANH, 0, any).hi());
  }
}
