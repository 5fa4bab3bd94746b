package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelValuesTest {
  @Test
  void parsesScalarsVectorsAndNestedMatrices() throws Exception {
    Map<String, double[]> v = ModelValues.parse(List.of("a=5", "b=−0.5", "x=[1, 2, 3]", "M=[[1,2],[3,4]]", "w₁=2"));
    assertArrayEquals(new double[] {5}, v.get("a"));
    assertArrayEquals(new double[] {-0.5}, v.get("b"));
    assertArrayEquals(new double[] {1, 2, 3}, v.get("x"));
    assertArrayEquals(new double[] {1, 2, 3, 4}, v.get("M"));
    assertArrayEquals(new double[] {2}, v.get("w1"), "subscripts name the same thing as digits");
    assertThrows(ModelValues.BadValue.class, () -> ModelValues.parse(List.of("a")));
    assertThrows(ModelValues.BadValue.class, () -> ModelValues.parse(List.of("a=")));
    assertThrows(ModelValues.BadValue.class, () -> ModelValues.parse(List.of("a=1", "a=2")));
  }

  @Test
  void formatsTensorsCompactly() {
    assertEquals("33", ModelValues.format(new double[] {33}, new int[0], false));
    assertEquals("[1, 2.5]", ModelValues.format(new double[] {1, 2.5}, new int[] {2}, false));
    assertEquals("[[1, 2], [3, 4]]", ModelValues.format(new double[] {1, 2, 3, 4}, new int[] {2, 2}, false));
    double[] ten = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    assertEquals("[0, 1, 2, …, 7, 8, 9]", ModelValues.format(ten, new int[] {10}, false));
    assertEquals("[0, 1, 2, ..., 7, 8, 9]", ModelValues.format(ten, new int[] {10}, true));
  }
}
