package dev.nnc.bench;

import java.util.Locale;

/**
 * Before timing anything: every implementation must compute the same loss and gradients as the naive one, and
 * the naive one must match central differences. Run:
 * {@code java -cp bench/target/benchmarks.jar dev.nnc.bench.Agreement [impl…]}; exits 1 on a mismatch.
 */
public final class Agreement {
  public static void main(String[] args) {
    String[] impls = args.length > 0 ? args : new String[] {"serial", "parallel", "naiveRows", "generated"};
    Fixture data = new Fixture();
    Net reference = Fixture.create("naiveFlat");
    double loss = reference.forward(data.x[3], data.t[3]);
    reference.backward();
    boolean ok = true;
    double[] numeric = NumericalGradientBenchmark.numericalGradient(reference, reference.param("b2"), data.x[3], data.t[3],
        new double[10]);
    reference.forward(data.x[3], data.t[3]);
    double numericError = maxRelative(numeric, reference.grad("b2"));
    System.out.println(String.format(Locale.ROOT, "naiveFlat  ∂L/∂b2 vs central differences: max relative error %.1e", numericError));
    ok &= numericError < 1e-6;
    for (String impl : impls) {
      Net net = Fixture.create(impl);
      if (impl.equals("generated")) { // its initialiser draws differently: start it from the reference's params
        for (String p : new String[] {"W1", "b1", "W2", "b2"}) {
          System.arraycopy(reference.param(p), 0, net.param(p), 0, reference.param(p).length);
        }
      }
      double l = net.forward(data.x[3], data.t[3]);
      net.backward();
      double worst = Math.abs(l - loss) / Math.abs(loss);
      for (String p : new String[] {"W1", "b1", "W2", "b2"}) worst = Math.max(worst, maxRelative(net.grad(p), reference.grad(p)));
      System.out.println(String.format(Locale.ROOT, "%-10s loss %.12f, max relative difference from naiveFlat %.1e", impl, l, worst));
      ok &= worst < 1e-9;
    }
    if (!ok) {
      System.out.println("MISMATCH");
      System.exit(1);
    }
  }

  static double maxRelative(double[] a, double[] b) {
    double scale = 0;
    for (double v : b) scale = Math.max(scale, Math.abs(v));
    double worst = 0;
    for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
    return worst;
  }
}
