package dev.nnc.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The central-difference gradient of one parameter tensor (W2: 500 entries, two forward passes each) with the
 * generated class's forward. Multiply by 39,760 / 500 for the gradient of all parameters, which is what a training
 * step by numerical differentiation would cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class NumericalGradientBenchmark {
  public static final int ALL_PARAMS = 784 * 50 + 50 + 50 * 10 + 10;

  @Param({"generated"})
  public String impl;

  @Param({"W2"})
  public String tensor;

  private Fixture data;
  private Net net;
  private double[] gradient;

  @Setup
  public void setup() {
    data = new Fixture();
    net = Fixture.create(impl);
    gradient = new double[net.param(tensor).length];
  }

  @Benchmark
  public double[] centralDifferences() {
    return numericalGradient(net, net.param(tensor), data.x[0], data.t[0], gradient);
  }

  /** ∂L/∂w[i] ≈ (L(w + h·eᵢ) − L(w − h·eᵢ)) / 2h for every entry of {@code w}, with h = 1e-5. */
  public static double[] numericalGradient(Net net, double[] w, double[] x, double[] t, double[] out) {
    double h = 1e-5;
    for (int i = 0; i < w.length; i++) {
      double saved = w[i];
      w[i] = saved + h;
      double plus = net.forward(x, t);
      w[i] = saved - h;
      double minus = net.forward(x, t);
      w[i] = saved;
      out[i] = (plus - minus) / (2 * h);
    }
    return out;
  }
}
