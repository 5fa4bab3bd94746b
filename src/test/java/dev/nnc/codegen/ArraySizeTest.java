package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import org.junit.jupiter.api.Test;

/**
 * Free dims whose product passes the largest Java array: the generated constructor throws a clear
 * IllegalArgumentException before allocating (an int product of 65536 · 65537 wraps to 65536, and the class used to
 * run on a wrong-sized array).
 */
class ArraySizeTest {
  @Test
  void aFreeDimProductThatOverflowsIsAClearIllegalArgumentException() throws Exception {
    Result r = Pipeline.compile("Big.nn", "model Big {\n  dim H = 65537\n  param W[I, H] ~ zeros\n"
        + "  input x[I]\n  L = sum(W) + sum(x)\n}\n", "sizes");
    Class<?> c = Javac.compile(r.files()).loadClass("sizes.Big");
    Constructor<?> ctor = c.getConstructor(int.class);
    Object ok = ctor.newInstance(2);
    assertEquals(2 * 65537, ((double[]) c.getField("W").get(ok)).length);
    InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> ctor.newInstance(65536));
    assertTrue(e.getCause() instanceof IllegalArgumentException, e.getCause().toString());
    assertEquals("dims too large: a tensor of shape [I, H] would have 65536·65537 entries, more than a Java array "
        + "holds (2147483639)", e.getCause().getMessage());
    // Three free dims whose product also overflows long arithmetic are caught the same way.
    Result three = Pipeline.compile("Three.nn", "input X[A, B, C]\nL = sum(X)\n", "sizes");
    Constructor<?> c3 = Javac.compile(three.files()).loadClass("sizes.Three")
        .getConstructor(int.class, int.class, int.class);
    InvocationTargetException e3 = assertThrows(InvocationTargetException.class,
        () -> c3.newInstance(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
    assertTrue(e3.getCause().getMessage().startsWith("dims too large: a tensor of shape [A, B, C]"),
        e3.getCause().getMessage());
  }
}
