package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelValuesTest {
  @Test
  void parsesScalarsVectorsAndNestedMatrices() throws Exception {
    Map<String, ValueLiteral> v =
        ModelValues.parse(List.of("a=5", "b=−0.5", "x=[1, 2, 3]", "M=[[1,2],[3,4]]", "w₁=2", "e=1e−3"));
    assertArrayEquals(new double[] {5}, v.get("a").data());
    assertArrayEquals(new int[0], v.get("a").extents());
    assertArrayEquals(new double[] {-0.5}, v.get("b").data());
    assertArrayEquals(new double[] {1, 2, 3}, v.get("x").data());
    assertArrayEquals(new int[] {3}, v.get("x").extents());
    assertArrayEquals(new double[] {1, 2, 3, 4}, v.get("M").data());
    assertArrayEquals(new int[] {2, 2}, v.get("M").extents());
    assertArrayEquals(new double[] {2}, v.get("w1").data(), "subscripts name the same thing as digits");
    assertArrayEquals(new double[] {1e-3}, v.get("e").data());
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

  /** The message and the caret line (its column, 0-based, within the argument) of a rejected argument. */
  private static String[] rejection(String argument) {
    ModelValues.BadValue e = assertThrows(ModelValues.BadValue.class, () -> ModelValues.parse(List.of(argument)));
    String[] lines = e.render("f.nn").split("\n");
    assertEquals(3, lines.length, e.render("f.nn"));
    assertEquals("  " + argument, lines[1]);
    return new String[] {lines[0], String.valueOf(lines[2].indexOf('^') - 2)};
  }

  @Test
  void rejectsMalformedValuesWithACaretIntoTheArgument() {
    String[] unclosed = rejection("x=[1, 2");
    assertTrue(unclosed[0].contains("[E0902]") && unclosed[0].contains("not closed"), unclosed[0]);
    assertEquals("7", unclosed[1]);
    String[] doubleComma = rejection("x=[1,,2]");
    assertTrue(doubleComma[0].contains("expected a number between the commas"), doubleComma[0]);
    assertEquals("5", doubleComma[1]);
    String[] bareList = rejection("x=1,2");
    assertTrue(bareList[0].contains("in brackets"), bareList[0]);
    assertEquals("3", bareList[1]);
    String[] ragged = rejection("M=[[1, 2], [3]]");
    assertTrue(ragged[0].contains("ragged"), ragged[0]);
    assertEquals("11", ragged[1]);
    String[] word = rejection("x=[1, two]");
    assertTrue(word[0].contains("'two' is not a number"), word[0]);
    assertEquals("6", word[1]);
    String[] trailing = rejection("x=[1] 2");
    assertTrue(trailing[0].contains("unexpected '2'"), trailing[0]);
    assertTrue(rejection("x=[]")[0].contains("empty"));
    assertTrue(rejection("x=1.")[0].contains("'1.' is not a number"));
  }
}
