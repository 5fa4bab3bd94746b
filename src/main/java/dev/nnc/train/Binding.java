package dev.nnc.train;

import dev.nnc.ir.Dim;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a data set meets a model: which input gets the feature rows and which the one-hot targets, which free dim is
 * the batch, the sizes of the other free dims, and which output (if any) is argmax'ed for accuracy.
 *
 * <p>A model without a batch axis ({@link #perExample()}: {@code batchDim} null) takes one example per {@code forward}:
 * its features are one vector input {@code x[784]} or as many scalar inputs as the data has features
 * ({@code x0, …, x783}, in declaration order: {@code scalarFeatures}), its targets a one-hot vector {@code T[10]} or,
 * for two classes, a scalar label. The trainer then sums each batch's gradient over its examples.
 *
 * @param outputIndex index in {@code spec.outputs()} of the output used for accuracy, or −1 if none fits
 * @param scalarFeatures the indices of the scalar inputs that take the features, in the data's order, or empty
 */
public record Binding(
    ModelSpec spec,
    int featuresIndex,
    int targetsIndex,
    String batchDim,
    Map<String, Integer> otherDims,
    int featureWidth,
    int targetWidth,
    int outputIndex,
    int steps,
    List<Integer> scalarFeatures) {

  /** The model and the data do not fit together; the message says how and what to change. */
  public static final class BindingException extends Exception {
    public BindingException(String message) {
      super(message);
    }
  }

  public Binding {
    otherDims = Map.copyOf(otherDims);
    scalarFeatures = List.copyOf(scalarFeatures);
  }

  /** A batched binding over a sequence or rows. */
  public Binding(ModelSpec spec, int featuresIndex, int targetsIndex, String batchDim, Map<String, Integer> otherDims,
      int featureWidth, int targetWidth, int outputIndex, int steps) {
    this(spec, featuresIndex, targetsIndex, batchDim, otherDims, featureWidth, targetWidth, outputIndex, steps,
        List.of());
  }

  /** A binding of rows as they are (no sequence reordering: {@code steps} = 0). */
  public Binding(ModelSpec spec, int featuresIndex, int targetsIndex, String batchDim, Map<String, Integer> otherDims,
      int featureWidth, int targetWidth, int outputIndex) {
    this(spec, featuresIndex, targetsIndex, batchDim, otherDims, featureWidth, targetWidth, outputIndex, 0);
  }

  /**
   * Binds {@code features} (or the first input when null) to the data's feature rows and {@code targets} (or the
   * second input) to the one-hot labels.
   */
  public static Binding of(ModelSpec spec, Dataset data, String features, String targets) throws BindingException {
    List<ModelSpec.Tensor> inputs = spec.inputs();
    if (features == null && targets == null && inputs.size() < 2) {
      throw new BindingException("model " + spec.name() + " has " + inputs.size()
          + " input(s); training needs two: the features (e.g. X[B, 784]) and the one-hot targets (e.g. T[B, 10])");
    }
    if (ExampleBinding.applies(spec)) return ExampleBinding.of(spec, data, features, targets);
    int fi = index(spec, features, 0, "--features");
    int ti = index(spec, targets, 1, "--targets");
    if (fi == ti) throw new BindingException("--features and --targets both name input " + inputs.get(fi).name());
    for (int i = 0; i < inputs.size(); i++) {
      if (i != fi && i != ti) {
        throw new BindingException("input " + inputs.get(i).name() + " of model " + spec.name()
            + " would get no data: nnc train binds exactly two inputs, the features and the one-hot targets");
      }
    }
    ModelSpec.Tensor x = inputs.get(fi);
    ModelSpec.Tensor t = inputs.get(ti);
    if (x.rank() == 3 && !x.axes().get(0).isFree() && x.axes().get(1).isFree()) {
      return sequenceBinding(spec, data, fi, ti, x, t);
    }
    if (x.rank() > 2) return imageBinding(spec, data, fi, ti, x, t);
    requireRank2(x, "features", "X[B, " + data.featureCount() + "]");
    requireRank2(t, "targets", "T[B, " + data.classCount() + "]");
    Dim batch = x.axes().get(0);
    if (!batch.isFree()) {
      throw new BindingException("the first axis of features input " + x.name() + x.shapeText()
          + " must be a free dim (the batch size, chosen by --batch), not " + batch);
    }
    if (!batch.sameExtent(t.axes().get(0))) {
      throw new BindingException("features " + x.name() + x.shapeText() + " and targets " + t.name() + t.shapeText()
          + " must share their first axis (the batch)");
    }
    Map<String, Integer> sizes = new HashMap<>();
    bindWidth(x, data.featureCount(), "each item has " + data.featureCount() + " features", batch, sizes, true);
    bindWidth(t, data.classCount(), "the labels go up to " + (data.classCount() - 1), batch, sizes, false);
    for (String d : spec.freeDims()) {
      if (!d.equals(batch.name()) && !sizes.containsKey(d)) {
        throw new BindingException("free dim " + d + " of model " + spec.name()
            + " is not fixed by the data (only the batch and the widths of the features and targets are)");
      }
    }
    int featureWidth = width(x.axes().get(1), sizes);
    int targetWidth = width(t.axes().get(1), sizes);
    int out = -1;
    for (int i = 0; i < spec.outputs().size() && out < 0; i++) {
      ModelSpec.Tensor o = spec.outputs().get(i);
      if (o.rank() == 2 && batch.sameExtent(o.axes().get(0)) && width(o.axes().get(1), sizes) == targetWidth) out = i;
    }
    return new Binding(spec, fi, ti, batch.name(), sizes, featureWidth, targetWidth, out);
  }

  /**
   * Features of rank ≥ 3 ({@code X[B, 1, 28, 28]} for a CNN): each data row, row-major, is one example's entries, so
   * the rows are bound as they are (a [B, 784] buffer is a [B, 1, 28, 28] one) when the fixed sizes after the batch
   * multiply to the number of features. The targets and the other dims bind as for a matrix of features.
   */
  private static Binding imageBinding(ModelSpec spec, Dataset data, int fi, int ti, ModelSpec.Tensor x,
      ModelSpec.Tensor t) throws BindingException {
    Dim batch = x.axes().get(0);
    if (!batch.isFree()) {
      throw new BindingException("the first axis of features input " + x.name() + x.shapeText()
          + " must be a free dim (the batch size, chosen by --batch), not " + batch);
    }
    long width = 1;
    for (Dim d : x.axes().subList(1, x.rank())) {
      if (d.isFree()) {
        throw new BindingException("features " + x.name() + x.shapeText() + ": every axis after the batch must have a "
            + "fixed size (e.g. X[B, 1, 28, 28] for " + data.featureCount() + " features), but " + d + " is free");
      }
      width *= d.size();
    }
    if (width != data.featureCount()) {
      throw new BindingException("features " + x.name() + x.shapeText() + " hold " + width + " entries per example but "
          + "each item has " + data.featureCount() + " features");
    }
    requireRank2(t, "targets", "T[B, " + data.classCount() + "]");
    if (!batch.sameExtent(t.axes().get(0))) {
      throw new BindingException("features " + x.name() + x.shapeText() + " and targets " + t.name() + t.shapeText()
          + " must share their first axis (the batch)");
    }
    Map<String, Integer> sizes = new HashMap<>();
    bindWidth(t, data.classCount(), "the labels go up to " + (data.classCount() - 1), batch, sizes, false);
    for (String d : spec.freeDims()) {
      if (!d.equals(batch.name()) && !sizes.containsKey(d)) {
        throw new BindingException("free dim " + d + " of model " + spec.name()
            + " is not fixed by the data (only the batch and the widths of the features and targets are)");
      }
    }
    int targetWidth = width(t.axes().get(1), sizes);
    int out = -1;
    for (int i = 0; i < spec.outputs().size() && out < 0; i++) {
      ModelSpec.Tensor o = spec.outputs().get(i);
      if (o.rank() == 2 && batch.sameExtent(o.axes().get(0)) && width(o.axes().get(1), sizes) == targetWidth) out = i;
    }
    return new Binding(spec, fi, ti, batch.name(), sizes, (int) width, targetWidth, out);
  }

  /**
   * Features over the steps of a recurrence, {@code X[T, B, I]} with the steps T and the width I fixed and the batch B
   * free (docs/language.md, "Recurrences": a recurrence reads its sequences along axis 0): each data row is one
   * example's sequence, T steps of I values (T·I features), and a batch is laid out step-major — entry
   * {@code [t, b, i]} is value {@code t·I + i} of the batch's row b.
   */
  private static Binding sequenceBinding(ModelSpec spec, Dataset data, int fi, int ti, ModelSpec.Tensor x,
      ModelSpec.Tensor t) throws BindingException {
    Dim steps = x.axes().get(0);
    Dim batch = x.axes().get(1);
    Dim width = x.axes().get(2);
    if (width.isFree()) {
      throw new BindingException("sequence features " + x.name() + x.shapeText() + ": the width of a step (axis 2) "
          + "must be a fixed size, but " + width + " is free");
    }
    if ((long) steps.size() * width.size() != data.featureCount()) {
      throw new BindingException("sequence features " + x.name() + x.shapeText() + " hold " + steps.size() + " steps of "
          + width.size() + " values per example but each item has " + data.featureCount() + " features");
    }
    requireRank2(t, "targets", "T[" + batch + ", " + data.classCount() + "]");
    if (!batch.sameExtent(t.axes().get(0))) {
      throw new BindingException("sequence features " + x.name() + x.shapeText() + " and targets " + t.name()
          + t.shapeText() + " must share the batch: axis 1 of the features, axis 0 of the targets");
    }
    Map<String, Integer> sizes = new HashMap<>();
    bindWidth(t, data.classCount(), "the labels go up to " + (data.classCount() - 1), batch, sizes, false);
    for (String d : spec.freeDims()) {
      if (!d.equals(batch.name()) && !sizes.containsKey(d)) {
        throw new BindingException("free dim " + d + " of model " + spec.name()
            + " is not fixed by the data (only the batch and the widths of the features and targets are)");
      }
    }
    int targetWidth = width(t.axes().get(1), sizes);
    int out = -1;
    for (int i = 0; i < spec.outputs().size() && out < 0; i++) {
      ModelSpec.Tensor o = spec.outputs().get(i);
      if (o.rank() == 2 && batch.sameExtent(o.axes().get(0)) && width(o.axes().get(1), sizes) == targetWidth) out = i;
    }
    return new Binding(spec, fi, ti, batch.name(), sizes, data.featureCount(), targetWidth, out, steps.size());
  }

  /** Whether {@code forward} takes one example (the model has no batch axis): see the class comment. */
  public boolean perExample() {
    return batchDim == null;
  }

  /**
   * Puts example {@code item} (features and label) into forward's arguments {@code args} of a per-example binding: each
   * scalar feature as a Double, a vector's values into the array already at its index; the targets one-hot into theirs,
   * or a scalar label as 0 or 1.
   */
  public void putExample(double[] features, int item, int label, Object[] args) {
    if (!scalarFeatures.isEmpty()) {
      for (int k = 0; k < featureWidth; k++) args[scalarFeatures.get(k)] = features[item * featureWidth + k];
    } else {
      System.arraycopy(features, item * featureWidth, (double[]) args[featuresIndex], 0, featureWidth);
    }
    if (spec.inputs().get(targetsIndex).rank() == 0) {
      args[targetsIndex] = (double) label;
    } else {
      double[] t = (double[]) args[targetsIndex];
      java.util.Arrays.fill(t, 0.0);
      t[label] = 1.0;
    }
  }

  /** Forward's arguments for a per-example binding, with the vector inputs' arrays in place (see {@link #putExample}). */
  public Object[] exampleArgs() {
    Object[] args = new Object[spec.inputs().size()];
    if (scalarFeatures.isEmpty()) args[featuresIndex] = new double[featureWidth];
    if (spec.inputs().get(targetsIndex).rank() == 1) args[targetsIndex] = new double[targetWidth];
    return args;
  }

  /**
   * The features input's buffer for {@code rows} examples of {@code features} from example {@code first}: the rows as
   * they are, or step-major for sequence features ({@link #sequenceBinding}).
   */
  public double[] batch(double[] features, int first, int rows) {
    double[] x = new double[rows * featureWidth];
    for (int r = 0; r < rows; r++) put(features, first + r, x, r, rows);
    return x;
  }

  /** Puts example {@code item} of {@code features} into row {@code r} of a features buffer of {@code rows} rows. */
  public void put(double[] features, int item, double[] x, int r, int rows) {
    if (steps == 0) {
      System.arraycopy(features, item * featureWidth, x, r * featureWidth, featureWidth);
      return;
    }
    int w = featureWidth / steps;
    for (int t = 0; t < steps; t++) System.arraycopy(features, item * featureWidth + t * w, x, (t * rows + r) * w, w);
  }

  /**
   * The width of the targets input ({@code targets}, or the second input) when it is a fixed dim ({@code T[B, 10]}),
   * else −1: what unlabelled data takes as its number of classes. For a model that takes one example per forward, the
   * width of a vector target ({@code T[10]}), or 2 for a scalar target (a label 0 or 1).
   */
  public static int fixedTargetWidth(ModelSpec spec, String features, String targets) throws BindingException {
    if (ExampleBinding.applies(spec)) {
      // one example per forward: a scalar target takes a label 0 or 1, a vector target T[10] one of its width
      ModelSpec.Tensor t = spec.inputs().get(ExampleBinding.targets(spec, features, targets));
      if (t.rank() == 0) return 2;
      return !t.axes().get(0).isFree() ? t.axes().get(0).size() : -1;
    }
    int ti = index(spec, targets, 1, "--targets");
    if (ti >= spec.inputs().size()) return -1;
    ModelSpec.Tensor t = spec.inputs().get(ti);
    return t.rank() == 2 && !t.axes().get(1).isFree() ? t.axes().get(1).size() : -1;
  }

  static int index(ModelSpec spec, String name, int fallback, String option) throws BindingException {
    if (name == null) return fallback;
    for (int i = 0; i < spec.inputs().size(); i++) if (spec.inputs().get(i).name().equals(name)) return i;
    StringBuilder names = new StringBuilder();
    for (ModelSpec.Tensor t : spec.inputs()) names.append(names.length() == 0 ? "" : ", ").append(t.name());
    throw new BindingException(option + " " + name + ": model " + spec.name() + " has no such input (its inputs: "
        + (names.length() == 0 ? "none" : names) + ")");
  }

  private static void requireRank2(ModelSpec.Tensor t, String role, String example) throws BindingException {
    if (t.rank() != 2) {
      throw new BindingException("the " + role + " input " + t.name() + t.shapeText()
          + " must be a matrix with one row per example, e.g. " + example);
    }
  }

  private static void bindWidth(ModelSpec.Tensor t, int needed, String why, Dim batch, Map<String, Integer> sizes,
      boolean exact) throws BindingException {
    Dim w = t.axes().get(1);
    if (w.isFree()) {
      if (w.sameExtent(batch)) throw new BindingException(t.name() + t.shapeText() + " uses the batch dim for its width");
      Integer bound = sizes.get(w.name());
      if (bound != null && bound != needed) {
        throw new BindingException("dim " + w.name() + " would have to be both " + bound + " and " + needed);
      }
      sizes.put(w.name(), needed);
    } else if (exact ? w.size() != needed : w.size() < needed) {
      throw new BindingException(t.name() + t.shapeText() + " has width " + w.size() + " but " + why);
    }
  }

  private static int width(Dim d, Map<String, Integer> sizes) {
    if (!d.isFree()) return d.size();
    Integer s = sizes.get(d.name());
    return s == null ? -1 : s;
  }

  /** Constructor arguments for a model object that takes {@code batchSize} rows per forward. */
  public int[] constructorArgs(int batchSize) {
    List<String> free = spec.freeDims();
    int[] args = new int[free.size()];
    for (int i = 0; i < args.length; i++) {
      args[i] = free.get(i).equals(batchDim) ? batchSize : otherDims.get(free.get(i));
    }
    return args;
  }

  /** The output whose argmax is the predicted class, or null when none fits the targets. */
  public ModelSpec.Tensor output() {
    return outputIndex < 0 ? null : spec.outputs().get(outputIndex);
  }

  /** Forward's argument list with the two bound buffers in place. */
  public Object[] forwardArgs(double[] features, double[] targets) {
    Object[] args = new Object[spec.inputs().size()];
    args[featuresIndex] = features;
    args[targetsIndex] = targets;
    return args;
  }
}
