package dev.nnc.train;

import static dev.nnc.train.TrainerTest.fixed;
import static dev.nnc.train.TrainerTest.free;
import static dev.nnc.train.TrainerTest.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Binding a model without a batch axis (one example per forward): features to scalar inputs or one vector, labels to a
 * one-hot vector or a scalar 0/1, and a diagnostic saying how to declare the inputs when they do not fit.
 */
class ExampleBindingTest {
  /** n items of {@code features} values each and the given number of classes (labels 0, 1, … in turn). */
  private static Dataset data(int n, int features, int classes) {
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) labels[i] = i % classes;
    return new Dataset(n, features, new double[n * features], labels, classes);
  }

  private static List<ModelSpec.Tensor> scalars(String prefix, int n) {
    List<ModelSpec.Tensor> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(tensor(prefix + i));
    return out;
  }

  private static ModelSpec model(List<ModelSpec.Tensor> inputs, List<ModelSpec.Tensor> outputs) {
    return new ModelSpec("M", List.of(), inputs, List.of(), outputs);
  }

  private static String problem(ModelSpec spec, Dataset data, String features, String targets) {
    return assertThrows(Binding.BindingException.class, () -> Binding.of(spec, data, features, targets)).getMessage();
  }

  @Test
  void manyScalarInputsTakeTheFeaturesInDeclarationOrderAndAVectorTheOneHotLabels() throws Exception {
    List<ModelSpec.Tensor> inputs = scalars("x", 130);
    inputs.add(65, tensor("T", fixed("O", 10))); // the targets anywhere among them
    Binding b = Binding.of(model(inputs, List.of(tensor("Y", fixed("O", 10)))), data(20, 130, 10), null, null);
    assertTrue(b.perExample());
    assertEquals(65, b.targetsIndex());
    assertEquals(130, b.scalarFeatures().size());
    assertEquals(66, (int) b.scalarFeatures().get(65), "x65 is input 66, after T");
    assertEquals(10, b.targetWidth());
    assertEquals(0, b.outputIndex());
    Object[] args = b.exampleArgs();
    double[] features = new double[20 * 130];
    for (int k = 0; k < features.length; k++) features[k] = k;
    b.putExample(features, 3, 7, args);
    assertEquals(3 * 130 + 0.0, args[0]);
    assertEquals(3 * 130 + 65.0, args[66]);
    assertEquals(3 * 130 + 129.0, args[130]);
    double[] t = (double[]) args[65];
    assertEquals(1.0, t[7]);
    assertEquals(1.0, java.util.Arrays.stream(t).sum());
  }

  @Test
  void aScalarLabelTakesTwoClassesAndIsNamedWithTargets() throws Exception {
    List<ModelSpec.Tensor> inputs = scalars("x", 4);
    inputs.add(0, tensor("t"));
    ModelSpec spec = model(inputs, List.of(tensor("a")));
    assertEquals("model M has 5 inputs: name the one that takes the labels with --targets (the others take the "
        + "features, one scalar input per feature)", problem(spec, data(10, 4, 2), null, null));
    Binding b = Binding.of(spec, data(10, 4, 2), null, "t");
    assertEquals(List.of(1, 2, 3, 4), b.scalarFeatures());
    Object[] args = b.exampleArgs();
    b.putExample(new double[40], 9, 1, args);
    assertEquals(1.0, args[0]);
    assertEquals(0, b.outputIndex(), "the scalar output a gives the accuracy (a > 0.5)");
    assertEquals("the scalar target t takes a label 0 or 1, but the labels go up to 9: declare the targets as a one-hot "
        + "vector, input t[10], and an output of 10 scores (e.g. softmax) for the accuracy",
        problem(spec, data(10, 4, 10), null, "t"));
  }

  @Test
  void aVectorOfFeaturesBindsItsFreeWidthToTheData() throws Exception {
    ModelSpec spec = new ModelSpec("M", List.of("n"), List.of(tensor("x", free("n")), tensor("y")), List.of(),
        List.of());
    Binding b = Binding.of(spec, data(6, 3, 2), null, null);
    assertEquals(3, b.otherDims().get("n"));
    assertEquals(List.of(), b.scalarFeatures());
    Object[] args = b.exampleArgs();
    b.putExample(new double[] {0, 0, 0, 1, 2, 3}, 1, 1, args);
    assertEquals(List.of(1.0, 2.0, 3.0), java.util.Arrays.stream((double[]) args[0]).boxed().toList());
  }

  @Test
  void scalarFeaturesThatDoNotMatchTheDataSayHowToDeclareThem() {
    List<ModelSpec.Tensor> inputs = scalars("x", 130);
    inputs.add(tensor("T", fixed("O", 10)));
    assertEquals("model M has 130 scalar feature inputs (x0, x1, …, x129) but each item has 784 features: declare one "
        + "scalar input per feature, or one vector input x[784]", problem(model(inputs, List.of()), data(10, 784, 10),
        null, null));
    List<ModelSpec.Tensor> mixed = scalars("x", 2);
    mixed.add(tensor("v", fixed("I", 3)));
    mixed.add(tensor("T", fixed("O", 10)));
    assertEquals("the features of model M are x0, x1, v[I]: one example's features go to one vector input (e.g. x[5]) "
        + "or to 5 scalar inputs, not to a mix", problem(model(mixed, List.of()), data(10, 5, 10), null, "T"));
  }
}
