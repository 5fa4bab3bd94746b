package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diff.DiffModel;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link Outlines}: a long class calls one private static method per repeated statement shape instead of writing the
 * expression at each statement (javac's time is per operation it compiles), and computes exactly the same bits as the
 * class written out statement by statement; its comments are the same; a short class is written as before.
 */
class OutlinesTest {
  /** The chain of {@code TenThousandStatementsTest}: 700 tanh links, 51 params (backward has 1,400 statements). */
  private static DiffModel chain(int n) {
    return Pipeline.compile("long.nn", TenThousandStatementsTest.model(n), "").derivatives().get(0);
  }

  private static final Pattern CALL = Pattern.compile("(?m)^ +\\w+ = (?:\\(float\\) )?expr\\d+\\(");
  private static final Pattern COMMENT = Pattern.compile("(?m)^ *//.*$");

  @Test
  void longClassCallsItsRepeatedShapesAndComputesTheSameBits() throws Exception {
    DiffModel dm = chain(700);
    for (Precision precision : List.of(Precision.FLOAT64, Precision.FLOAT32)) {
      GeneratedFile outlined = JavaGenerator.generate(dm, "", precision, Api.FULL);
      GeneratedFile plain = JavaGenerator.generateWithoutOutlines(dm, "", precision, Api.FULL);
      String real = precision == Precision.FLOAT64 ? "double" : "float";
      String o = outlined.content();
      // the forward link, backward's t = dv·(1 − v²), the jvp's three links per statement, the param sums
      // (tanh is computed in double, and rounded to float where it is stored, as when it is written out)
      assertTrue(o.contains("private static double expr1(" + real + " p0, " + real + " p1, " + real + " p2)"),
          "forward's tanh link is a method");
      assertTrue(o.contains(real.equals("double") ? "v2 = expr1(w2, v1, b);" : "v2 = (float) expr1(w2, v1, b);"),
          "and each link calls it");
      assertTrue(count(CALL, o) > 1_600, count(CALL, o) + " statements call a shape's method");
      assertFalse(plain.content().contains("expr1("), "written out when asked");
      // every chain-rule comment and forward comment is where it was, in the same order
      assertEquals(matches(COMMENT, plain.content()), matches(COMMENT, o));
      assertTrue(o.length() < plain.content().length() * 0.95, "shorter: " + o.length());

      Class<?> a = Javac.load(outlined); // --release 11, -Xlint:all, -Xdoclint:all/protected, -Werror
      Class<?> b = Javac.load(plain);
      for (long seed = 1; seed <= 3; seed++) sameBits(a, b, seed, precision);
    }
  }

  @Test
  void shortClassIsWrittenAsBefore() {
    DiffModel dm = chain(200); // 200 forward, 400 backward, 67 jvp statements: no method has more than 600
    assertEquals(JavaGenerator.generateWithoutOutlines(dm, "", Precision.FLOAT64, Api.FULL).content(),
        JavaGenerator.generate(dm, "", Precision.FLOAT64, Api.FULL).content());
  }

  /** Same params, directions and inputs in both classes: every loss, value, gradient and tangent has the same bits. */
  private static void sameBits(Class<?> a, Class<?> b, long seed, Precision precision) throws Exception {
    Object ma = a.getConstructor().newInstance();
    Object mb = b.getConstructor().newInstance();
    SplittableRandom rnd = new SplittableRandom(seed);
    Class<?> real = precision == Precision.FLOAT64 ? double.class : float.class;
    for (Field f : a.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) || f.getType() != real) continue;
      String n = f.getName();
      if (!(n.equals("b") || n.matches("w\\d+") || n.endsWith("Dot"))) continue;
      double v = (rnd.nextDouble() - 0.5) * (n.endsWith("Dot") ? 2 : 1.6);
      set(f, ma, v);
      set(b.getField(n), mb, v);
    }
    double x = rnd.nextDouble() - 0.5;
    double y = rnd.nextDouble() - 0.5;
    Object la;
    Object lb;
    if (real == double.class) {
      la = a.getMethod("forward", double.class, double.class).invoke(ma, x, y);
      lb = b.getMethod("forward", double.class, double.class).invoke(mb, x, y);
    } else {
      la = a.getMethod("forward", float.class, float.class).invoke(ma, (float) x, (float) y);
      lb = b.getMethod("forward", float.class, float.class).invoke(mb, (float) x, (float) y);
    }
    assertEquals(lb, la);
    a.getMethod("backward").invoke(ma);
    b.getMethod("backward").invoke(mb);
    assertEquals(b.getMethod("jvp").invoke(mb), a.getMethod("jvp").invoke(ma));
    int compared = 0;
    for (Field f : a.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) || f.getType() != real) continue;
      Object va = f.get(ma);
      Object vb = b.getField(f.getName()).get(mb);
      assertEquals(vb, va, f.getName()); // Double/Float equals: the same bits
      compared++;
    }
    assertTrue(compared > 1_400, compared + " fields compared");
    assertTrue(((Number) a.getField("dw7").get(ma)).doubleValue() != 0, "gradients are not trivially zero");
  }

  private static void set(Field f, Object m, double v) throws IllegalAccessException {
    if (f.getType() == double.class) f.setDouble(m, v);
    else f.setFloat(m, (float) v);
  }

  private static int count(Pattern p, String s) {
    int n = 0;
    for (Matcher m = p.matcher(s); m.find(); ) n++;
    return n;
  }

  private static List<String> matches(Pattern p, String s) {
    List<String> out = new ArrayList<>();
    for (Matcher m = p.matcher(s); m.find(); ) out.add(m.group().strip());
    return out;
  }
}
