package dev.nnc.train;

import dev.nnc.ir.Dim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a model without a batch axis — every input a scalar or a vector, so {@code forward} takes one example — to a
 * data set ({@link Binding#perExample()}): the features go to one vector input ({@code x[784]}) or to as many scalar
 * inputs as each item has features ({@code x0, …, x783}, in declaration order; past 127 of them the generated
 * {@code forward} takes them in a holder object, which {@link ModelInstance} fills), the label to a one-hot vector
 * ({@code T[10]}) or, for data of two classes, to a scalar 0 or 1.
 */
final class ExampleBinding {
  private ExampleBinding() {}

  /** No input has two or more axes: there is no batch axis for rows, so the model takes one example per forward. */
  static boolean applies(ModelSpec spec) {
    for (ModelSpec.Tensor t : spec.inputs()) if (t.rank() > 1) return false;
    return true;
  }

  static Binding of(ModelSpec spec, Dataset data, String features, String targets) throws Binding.BindingException {
    List<ModelSpec.Tensor> inputs = spec.inputs();
    int ti = targets(spec, features, targets);
    List<Integer> fis = new ArrayList<>();
    if (features != null) {
      fis.add(Binding.index(spec, features, -1, "--features"));
      if (fis.get(0) == ti) {
        throw new Binding.BindingException("--features and --targets both name input " + inputs.get(ti).name());
      }
      for (int i = 0; i < inputs.size(); i++) {
        if (i != ti && i != fis.get(0)) {
          throw new Binding.BindingException("input " + inputs.get(i).name() + " of model " + spec.name() + " would "
              + "get no data: the features are --features " + features + " and the labels go to " + inputs.get(ti).name());
        }
      }
    } else {
      for (int i = 0; i < inputs.size(); i++) if (i != ti) fis.add(i);
    }
    Map<String, Integer> sizes = new HashMap<>();
    int n = data.featureCount();
    List<Integer> scalars = new ArrayList<>();
    int vector = -1;
    for (int i : fis) {
      if (inputs.get(i).rank() == 0) scalars.add(i);
      else vector = i;
    }
    if (vector >= 0 && fis.size() > 1) {
      throw new Binding.BindingException("the features of model " + spec.name() + " are " + names(spec, fis)
          + ": one example's features go to one vector input (e.g. x[" + n + "]) or to " + n
          + " scalar inputs, not to a mix");
    }
    if (vector >= 0) {
      bind(inputs.get(vector), n, true, "each item has " + n + " features", sizes);
    } else if (scalars.size() != n) {
      throw new Binding.BindingException("model " + spec.name() + " has " + scalars.size() + " scalar feature input"
          + (scalars.size() == 1 ? "" : "s") + " (" + names(spec, scalars) + ") but each item has " + n + " features: "
          + "declare one scalar input per feature, or one vector input x[" + n + "]");
    }
    ModelSpec.Tensor t = inputs.get(ti);
    int classes = data.classCount();
    int targetWidth;
    if (t.rank() == 0) {
      if (classes > 2) {
        throw new Binding.BindingException("the scalar target " + t.name() + " takes a label 0 or 1, but the labels go up "
            + "to " + (classes - 1) + ": declare the targets as a one-hot vector, input " + t.name() + "[" + classes
            + "], and an output of " + classes + " scores (e.g. softmax) for the accuracy");
      }
      targetWidth = 1;
    } else {
      bind(t, classes, false, "the labels go up to " + (classes - 1), sizes);
      targetWidth = width(t.axes().get(0), sizes);
    }
    for (String d : spec.freeDims()) {
      if (!sizes.containsKey(d)) {
        throw new Binding.BindingException("free dim " + d + " of model " + spec.name() + " is not fixed by the data "
            + "(only the widths of the features and targets are)");
      }
    }
    int out = -1;
    for (int i = 0; i < spec.outputs().size() && out < 0; i++) {
      ModelSpec.Tensor o = spec.outputs().get(i);
      boolean fits = t.rank() == 0 ? o.rank() == 0 : o.rank() == 1 && width(o.axes().get(0), sizes) == targetWidth;
      if (fits) out = i;
    }
    return new Binding(spec, vector, ti, null, sizes, n, targetWidth, out, 0, vector >= 0 ? List.of() : scalars);
  }

  /** The input that takes the labels: {@code --targets}, else the other of two inputs, else the one vector input. */
  static int targets(ModelSpec spec, String features, String targets) throws Binding.BindingException {
    List<ModelSpec.Tensor> inputs = spec.inputs();
    if (targets != null) return Binding.index(spec, targets, -1, "--targets");
    if (inputs.size() == 2) {
      if (features == null) return 1;
      return Binding.index(spec, features, -1, "--features") == 0 ? 1 : 0;
    }
    int vector = -1;
    int vectors = 0;
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).rank() == 1) {
        vector = i;
        vectors++;
      }
    }
    if (vectors == 1 && features == null) return vector;
    throw new Binding.BindingException("model " + spec.name() + " has " + inputs.size() + " inputs: name the one that "
        + "takes the labels with --targets (the others take the features, one scalar input per feature)");
  }

  private static void bind(ModelSpec.Tensor t, int needed, boolean exact, String why, Map<String, Integer> sizes)
      throws Binding.BindingException {
    Dim w = t.axes().get(0);
    if (w.isFree()) {
      Integer bound = sizes.get(w.name());
      if (bound != null && bound != needed) {
        throw new Binding.BindingException("dim " + w.name() + " would have to be both " + bound + " and " + needed);
      }
      sizes.put(w.name(), needed);
    } else if (exact ? w.size() != needed : w.size() < needed) {
      throw new Binding.BindingException(t.name() + t.shapeText() + " has width " + w.size() + " but " + why);
    }
  }

  private static int width(Dim d, Map<String, Integer> sizes) {
    if (!d.isFree()) return d.size();
    Integer s = sizes.get(d.name());
    return s == null ? -1 : s;
  }

  /** "x0, x1, …, x129" (the first two and the last when there are many). */
  private static String names(ModelSpec spec, List<Integer> indices) {
    List<String> all = new ArrayList<>();
    for (int i : indices) {
      ModelSpec.Tensor t = spec.inputs().get(i);
      all.add(t.name() + (t.rank() == 0 ? "" : t.shapeText()));
    }
    if (all.size() <= 4) return String.join(", ", all);
    return all.get(0) + ", " + all.get(1) + ", …, " + all.get(all.size() - 1);
  }
}
