package dev.nnc.train;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Minibatch SGD on a generated model class: a seeded permutation splits the data into a training and a test set,
 * each epoch walks a fresh permutation of the training set in batches, and each step is the generated
 * {@code forward}, {@code backward}, then {@code step(learningRate)} or the optimiser named in the options
 * ({@link ModelInstance#useOptimizer}). Accuracy is the fraction of rows whose output
 * argmax is the label.
 */
public final class Trainer {
  /** @param trainSize number of training items; the rest is the test set */
  public record Options(int iterations, int batch, double learningRate, long seed, int trainSize, String optimizer,
      Schedule schedule) {
    /** Plain SGD. */
    public Options(int iterations, int batch, double learningRate, long seed, int trainSize) {
      this(iterations, batch, learningRate, seed, trainSize, "sgd");
    }

    /** A constant learning rate. */
    public Options(int iterations, int batch, double learningRate, long seed, int trainSize, String optimizer) {
      this(iterations, batch, learningRate, seed, trainSize, optimizer, Schedule.CONSTANT);
    }

    /** The learning rate of step {@code it} (0-based) of {@link #iterations}. */
    public double learningRateAt(int it) {
      return schedule.factor(it, iterations) * learningRate;
    }
  }

  /** How the learning rate changes over the run. */
  public enum Schedule {
    /** The same rate at every step. */
    CONSTANT,
    /**
     * Cosine annealing from the rate down to 0 over the run, as {@code torch.optim.lr_scheduler.CosineAnnealingLR}
     * with {@code T_max} = the number of steps and {@code eta_min = 0}: step t uses {@code lr·(1 + cos(π t/N))/2}.
     * Large steps early, small ones at the end, where a constant rate keeps the weights jittering around a minimum.
     */
    COSINE;

    double factor(int it, int iterations) {
      return this == CONSTANT ? 1.0 : 0.5 * (1.0 + Math.cos(Math.PI * it / iterations));
    }
  }

  /** Accuracy is NaN when the model has no output that fits the targets. */
  public record Evaluation(double accuracy, double loss) {}

  public record EpochReport(
      int epoch, int epochs, int iteration, double trainLoss, Evaluation train, Evaluation test) {}

  /**
   * @param trainNanos time spent in forward + backward + step only
   * @param wallNanos the whole run including batching and evaluation
   */
  public record Summary(
      int iterations, EpochReport last, long trainNanos, long wallNanos, boolean diverged) {
    public double msPerStep() {
      return trainNanos / 1e6 / Math.max(1, iterations);
    }
  }

  /** Called from the training thread; implementations print. */
  public interface Listener {
    default void progress(int iteration, int iterations, double runningLoss) {}

    default void epoch(EpochReport report) {}
  }

  private final Binding binding;
  private final Class<?> modelClass;
  private final Options options;
  private final Dataset train;
  private final Dataset test;
  private ModelInstance trained;

  public Trainer(Binding binding, Class<?> modelClass, Dataset data, Options options) {
    if (options.trainSize() < options.batch() || options.trainSize() > data.size()) {
      throw new IllegalArgumentException("train size " + options.trainSize() + " must be between the batch size "
          + options.batch() + " and the data size " + data.size());
    }
    this.binding = binding;
    this.modelClass = modelClass;
    this.options = options;
    int[] perm = permutation(data.size(), new SplittableRandom(options.seed()));
    this.train = data.select(perm, 0, options.trainSize());
    this.test = data.select(perm, options.trainSize(), data.size());
  }

  /** The model of the last {@link #run} (its params as trained), or null before. */
  public ModelInstance trained() {
    return trained;
  }

  public Dataset trainSet() {
    return train;
  }

  public Dataset testSet() {
    return test;
  }

  public int stepsPerEpoch() {
    return train.size() / options.batch();
  }

  public int epochs() {
    return (options.iterations() + stepsPerEpoch() - 1) / stepsPerEpoch();
  }

  public Summary run(Listener listener) {
    long wallStart = System.nanoTime();
    int b = options.batch();
    int f = binding.featureWidth();
    int w = binding.targetWidth();
    ModelInstance net = ModelInstance.create(binding.spec(), modelClass, binding.constructorArgs(b), options.seed());
    if (!options.optimizer().equals("sgd")) net.useOptimizer(options.optimizer());
    trained = net;
    Evaluator evaluator = new Evaluator(net);
    double[] xb = binding.perExample() ? null : new double[b * f];
    double[] tb = binding.perExample() ? null : new double[b * w];
    Object[] args = binding.perExample() ? binding.exampleArgs() : binding.forwardArgs(xb, tb);
    Object gradients = binding.perExample() ? net.flatGradients() : null;
    // The epoch shuffles use their own stream, split off the seed, so they do not depend on the split's draws.
    SplittableRandom shuffles = new SplittableRandom(options.seed()).split();
    int[] order = new int[train.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    int perEpoch = stepsPerEpoch();
    long trainNanos = 0;
    double lossSum = 0;
    int lossCount = 0;
    EpochReport last = null;
    for (int it = 0; it < options.iterations(); it++) {
      int pos = it % perEpoch;
      if (pos == 0) shuffle(order, shuffles);
      double loss;
      long t0;
      if (binding.perExample()) {
        t0 = System.nanoTime();
        loss = exampleStep(net, args, gradients, order, pos * b, b);
      } else {
        for (int r = 0; r < b; r++) {
          int item = order[pos * b + r];
          binding.put(train.features(), item, xb, r, b);
          java.util.Arrays.fill(tb, r * w, (r + 1) * w, 0.0);
          tb[r * w + train.labels()[item]] = 1.0;
        }
        t0 = System.nanoTime();
        loss = net.forward(args);
        net.backward();
      }
      net.step(options.learningRateAt(it));
      trainNanos += System.nanoTime() - t0;
      if (!Double.isFinite(loss)) {
        return new Summary(it + 1, last, trainNanos, System.nanoTime() - wallStart, true);
      }
      lossSum += loss;
      lossCount++;
      listener.progress(it + 1, options.iterations(), lossSum / lossCount);
      if (pos == perEpoch - 1 || it == options.iterations() - 1) {
        last = new EpochReport(it / perEpoch + 1, epochs(), it + 1, lossSum / lossCount,
            evaluator.evaluate(train), evaluator.evaluate(test));
        listener.epoch(last);
        lossSum = 0;
        lossCount = 0;
      }
    }
    return new Summary(options.iterations(), last, trainNanos, System.nanoTime() - wallStart, false);
  }

  /**
   * One batch of a model that takes one example per forward: forward and backward per example, the gradients summed
   * with weight 1/b (the batch's mean, as a batched loss {@code … / B} gives it) through the generated flat views, then
   * set as the gradients the step applies. Returns the batch's mean loss.
   */
  private double exampleStep(ModelInstance net, Object[] args, Object gradients, int[] order, int first, int b) {
    if (gradients instanceof double[] d) java.util.Arrays.fill(d, 0.0);
    else java.util.Arrays.fill((float[]) gradients, 0f);
    double loss = 0;
    for (int r = 0; r < b; r++) {
      int item = order[first + r];
      binding.putExample(train.features(), item, train.labels()[item], args);
      loss += net.forward(args);
      net.backward();
      net.addGradientsTo(gradients, 1.0 / b);
    }
    net.gradientsFrom(gradients);
    return loss / b;
  }

  /** Forward passes over a data set in chunks, with model objects sized for the chunks and the trained params. */
  private final class Evaluator {
    private static final int CHUNK = 1000;
    private final ModelInstance trained;
    private final Map<Integer, ModelInstance> bySize = new HashMap<>();

    Evaluator(ModelInstance trained) {
      this.trained = trained;
    }

    Evaluation evaluate(Dataset d) {
      if (d.size() == 0) return new Evaluation(Double.NaN, Double.NaN);
      if (binding.perExample()) return evaluateExamples(d);
      int w = binding.targetWidth();
      ModelSpec.Tensor output = binding.output();
      int correct = 0;
      double lossSum = 0;
      for (int start = 0; start < d.size(); start += CHUNK) {
        int rows = Math.min(CHUNK, d.size() - start);
        ModelInstance m = bySize.computeIfAbsent(rows, r ->
            ModelInstance.create(binding.spec(), modelClass, binding.constructorArgs(r), options.seed()));
        m.copyParamsFrom(trained);
        double[] x = binding.batch(d.features(), start, rows);
        double[] t = new double[rows * w];
        d.oneHot(start, rows, w, t);
        lossSum += m.forward(binding.forwardArgs(x, t)) * rows;
        if (output != null) correct += countCorrect(m.tensor(output), d.labels(), start, rows, w);
      }
      double accuracy = output == null ? Double.NaN : (double) correct / d.size();
      return new Evaluation(accuracy, lossSum / d.size());
    }

    /**
     * One forward per example, on the trained object itself (forward leaves the params alone). The predicted class is
     * the argmax of a vector output, or 1 when a scalar output (a probability, σ) is above 0.5.
     */
    private Evaluation evaluateExamples(Dataset d) {
      ModelSpec.Tensor output = binding.output();
      Object[] args = binding.exampleArgs();
      int correct = 0;
      double lossSum = 0;
      double[] one = new double[1];
      for (int item = 0; item < d.size(); item++) {
        binding.putExample(d.features(), item, d.labels()[item], args);
        lossSum += trained.forward(args);
        if (output == null) continue;
        boolean scalar = output.rank() == 0;
        if (scalar) one[0] = trained.scalar(output);
        double[] y = scalar ? one : trained.tensor(output);
        if (predictedClass(y, 0, y.length, scalar) == d.labels()[item]) correct++;
      }
      return new Evaluation(output == null ? Double.NaN : (double) correct / d.size(), lossSum / d.size());
    }
  }

  static int countCorrect(double[] out, int[] labels, int start, int rows, int width) {
    int correct = 0;
    for (int r = 0; r < rows; r++) if (predictedClass(out, r * width, width, false) == labels[start + r]) correct++;
    return correct;
  }

  /**
   * The class an output predicts, as train's accuracy and {@code nnc predict} count it: the argmax of
   * {@code y[from, from + width)} (the first of equal maxima), or for a scalar output read as a probability
   * ({@code probability}: {@code y[from]} alone) 1 when it is above 0.5, else 0.
   */
  public static int predictedClass(double[] y, int from, int width, boolean probability) {
    if (probability) return y[from] > 0.5 ? 1 : 0;
    int best = 0;
    for (int j = 1; j < width; j++) if (y[from + j] > y[from + best]) best = j;
    return best;
  }

  static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    shuffle(p, rng);
    return p;
  }

  private static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
