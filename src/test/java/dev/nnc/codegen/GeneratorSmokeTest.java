package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

class GeneratorSmokeTest {
  @Test
  void handBuiltLogisticRegressionCompilesAndComputes() throws Exception {
    GeneratedFile f = JavaGenerator.generate(HandModels.logisticRegression(), "demo");
    System.out.println(f.content());
    Class<?> c = Javac.load(f);
    Object model = c.getConstructor(int.class).newInstance(3);
    double[] w = (double[]) c.getField("w").get(model);
    w[0] = 0.5; w[1] = -0.25; w[2] = 1.0;
    c.getField("b").setDouble(model, 0.1);
    double[] x = {1, 2, 3};
    Method forward = c.getMethod("forward", double[].class, double.class);
    double loss = (double) forward.invoke(model, x, 1.0);
    double z = 0.5 - 0.5 + 3 + 0.1;
    double a = 1 / (1 + Math.exp(-z));
    assertEquals(-Math.log(a), loss, 1e-12);
    c.getMethod("backward").invoke(model);
    double[] dw = (double[]) c.getField("dw").get(model);
    assertEquals((a - 1) * 2, dw[1], 1e-12);
    assertEquals(a - 1, c.getField("db").getDouble(model), 1e-12);
    assertTrue(f.content().contains("dz = a - y;"));
  }
}
