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
 * One SGD step of the 784-50-10 network at batch 100 (forward + backward + step), and forward and backward alone,
 * for each implementation. Each invocation takes the next of 20 real MNIST batches.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class StepBenchmark {
  /** generated: nnc's class; serial/parallel: the careful hand-written one on 1 or 2 threads; naive*: i-k-j. */
  @Param({"generated", "serial", "parallel", "naiveFlat", "naiveRows"})
  public String impl;

  private Fixture data;
  private Net net;
  private int next;

  @Setup
  public void setup() {
    data = new Fixture();
    net = Fixture.create(impl);
    net.forward(data.x[0], data.t[0]);
  }

  @Benchmark
  public double step() {
    int k = next;
    next = k + 1 == Fixture.BATCHES ? 0 : k + 1;
    double loss = net.forward(data.x[k], data.t[k]);
    net.backward();
    net.step(Fixture.LEARNING_RATE);
    return loss;
  }

  @Benchmark
  public double forward() {
    int k = next;
    next = k + 1 == Fixture.BATCHES ? 0 : k + 1;
    return net.forward(data.x[k], data.t[k]);
  }

  /** The reverse pass alone, repeated for the last forward (it reads the kept forward values, writes gradients). */
  @Benchmark
  public Net backward() {
    net.backward();
    return net;
  }
}
