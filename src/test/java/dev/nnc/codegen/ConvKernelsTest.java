package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Source;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The generated convolutions (im2col into the product kernels: conv2d, conv2d_weight, conv_transpose2d) against the
 * definition written here as naive loops, at sizes where each image's product is packed (above the kernels' plain-loop
 * threshold) and where it is split over cores, with odd sizes, strides and padding — also a padding wider than the
 * kernel, whose edge windows lie wholly in the padding — in float64 and float32. The small random cases of
 * ConvPoolGradientTest run the kernels' plain loops; these run the packed ones.
 */
class ConvKernelsTest {
  /** X[b, c, h, w], K[f, c, kh, kw], stride, padding. */
  record Geometry(int b, int c, int h, int w, int f, int kh, int kw, int s, int p) {
    int oh() {
      return (h + 2 * p - kh) / s + 1;
    }

    int ow() {
      return (w + 2 * p - kw) / s + 1;
    }

    String source(String name) {
      String geometry = (s == 1 ? "" : ", stride=" + s) + (p == 0 ? "" : ", padding=" + p);
      return "model " + name + " {\n  input R[" + b + ", " + f + ", " + oh() + ", " + ow() + "]\n  param X[" + b + ", "
          + c + ", " + h + ", " + w + "] ~ normal(0, 1), K[" + f + ", " + c + ", " + kh + ", " + kw
          + "] ~ normal(0, 1)\n  Y = conv2d(X, K" + geometry + ")\n  L = sum(Y * R)\n  output Y\n}\n";
    }
  }

  static final List<Geometry> GEOMETRIES = List.of(
      new Geometry(3, 5, 17, 13, 7, 3, 4, 2, 1), // odd everything, stride 2
      new Geometry(2, 3, 11, 9, 4, 5, 5, 1, 2), // "same" padding
      new Geometry(2, 8, 12, 12, 16, 5, 5, 1, 0), // mnist_cnn's second layer: 204,800 multiply-adds per image
      new Geometry(2, 8, 28, 28, 16, 5, 5, 1, 0), // over MatmulKernels.PARALLEL_WORK per image: split over the cores
      new Geometry(2, 2, 16, 19, 3, 4, 2, 3, 0), // stride 3, the last columns unused
      new Geometry(1, 4, 9, 10, 6, 2, 3, 2, 3), // padding wider than the kernel: whole windows in the padding
      new Geometry(4, 1, 28, 28, 8, 5, 5, 1, 0)); // mnist_cnn's first layer

  /** Y, ∂L/∂X and ∂L/∂K of L = Σ conv2d(X, K) ⊙ R by the definition, and Σ|terms| of each entry (for rounding). */
  static double[][] reference(Geometry g, double[] x, double[] k, double[] r) {
    int oh = g.oh(), ow = g.ow();
    double[] y = new double[g.b() * g.f() * oh * ow], dx = new double[x.length], dk = new double[k.length];
    double[] ya = new double[y.length], dxa = new double[x.length], dka = new double[k.length];
    for (int b = 0; b < g.b(); b++) {
      for (int f = 0; f < g.f(); f++) {
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            int yi = ((b * g.f() + f) * oh + i) * ow + j;
            for (int c = 0; c < g.c(); c++) {
              for (int u = 0; u < g.kh(); u++) {
                for (int v = 0; v < g.kw(); v++) {
                  int h = i * g.s() + u - g.p(), w = j * g.s() + v - g.p();
                  if (h < 0 || h >= g.h() || w < 0 || w >= g.w()) continue;
                  int xi = ((b * g.c() + c) * g.h() + h) * g.w() + w, ki = ((f * g.c() + c) * g.kh() + u) * g.kw() + v;
                  y[yi] += x[xi] * k[ki];
                  ya[yi] += Math.abs(x[xi] * k[ki]);
                  dx[xi] += r[yi] * k[ki];
                  dxa[xi] += Math.abs(r[yi] * k[ki]);
                  dk[ki] += r[yi] * x[xi];
                  dka[ki] += Math.abs(r[yi] * x[xi]);
                }
              }
            }
          }
        }
      }
    }
    return new double[][] {y, dx, dk, ya, dxa, dka};
  }

  @Test
  void float64AgreesWithTheDefinition() throws Exception {
    check(Precision.FLOAT64, 1e-14); // seen: 4e-16
  }

  @Test
  void float32AgreesWithTheDefinition() throws Exception {
    check(Precision.FLOAT32, 2e-6); // seen: 1.2e-7
  }

  /** Each entry within {@code tolerance} × Σ|terms| of the definition (a bound on any order of summation). */
  private static void check(Precision precision, double tolerance) throws Exception {
    List<GeneratedFile> files = new ArrayList<>();
    for (int i = 0; i < GEOMETRIES.size(); i++) {
      Result result = Compiler.compile(Source.of("conv" + i + ".nn", GEOMETRIES.get(i).source("Conv" + i)),
          Compiler.Options.defaults().inPackage("t").withPrecision(precision).withApi(Api.CORE));
      assertTrue(!result.hasErrors(), result.diagnostics().toString());
      files.addAll(result.files());
    }
    ClassLoader loader = Javac.compile(files);
    boolean f32 = precision == Precision.FLOAT32;
    int compared = 0;
    for (int i = 0; i < GEOMETRIES.size(); i++) {
      Geometry g = GEOMETRIES.get(i);
      Class<?> c = loader.loadClass("t.Conv" + i);
      Object model = c.getConstructor().newInstance();
      SplittableRandom rng = new SplittableRandom(31 + i);
      double[] x = random(rng, g.b() * g.c() * g.h() * g.w(), f32);
      double[] k = random(rng, g.f() * g.c() * g.kh() * g.kw(), f32);
      double[] r = random(rng, g.b() * g.f() * g.oh() * g.ow(), f32);
      set(c.getField("X").get(model), x);
      set(c.getField("K").get(model), k);
      Class<?> array = f32 ? float[].class : double[].class;
      c.getMethod("forward", array).invoke(model, f32 ? floats(r) : r);
      c.getMethod("backward").invoke(model);
      double[][] ref = reference(g, x, k, r);
      String[] fields = {"Y", "dX", "dK"};
      for (int which = 0; which < 3; which++) {
        Object got = c.getField(fields[which]).get(model);
        for (int e = 0; e < ref[which].length; e++) {
          double actual = ((Number) Array.get(got, e)).doubleValue();
          if (Math.abs(actual - ref[which][e]) > tolerance * ref[which + 3][e]) {
            fail(g + " " + precision + " " + fields[which] + "[" + e + "]: definition " + ref[which][e] + ", generated "
                + actual + " (Σ|terms| " + ref[which + 3][e] + ")");
          }
          compared++;
        }
      }
    }
    assertTrue(compared > 30_000, "compared " + compared);
  }

  /** Uniform in [−1, 1), rounded to float for a float32 class (so both compute from the same numbers). */
  private static double[] random(SplittableRandom rng, int n, boolean f32) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) a[i] = f32 ? (float) rng.nextDouble(-1, 1) : rng.nextDouble(-1, 1);
    return a;
  }

  private static float[] floats(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
    return f;
  }

  private static void set(Object field, double[] v) {
    for (int i = 0; i < v.length; i++) {
      if (field instanceof float[] f) f[i] = (float) v[i];
      else ((double[]) field)[i] = v[i];
    }
  }
}
