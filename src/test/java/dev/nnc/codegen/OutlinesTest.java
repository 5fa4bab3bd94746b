package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diff.DiffModel;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link Outlines}: a long class calls one private static method per repeated statement shape instead of writing the
 * expression at each statement (javac's time is per operation it compiles), keeps the temporaries that one part reads
 * as locals of that part ({@link PartLocals}), and computes exactly the same bits as the class written out statement
 * by statement with every temporary a field; its comments are the same; a short class is written as before.
 */
class OutlinesTest {
  /** The chain of {@code TenThousandStatementsTest}: 700 tanh links, 51 params (backward has 1,400 statements). */
  private static DiffModel chain(int n) {
    return Pipeline.compile("long.nn", TenThousandStatementsTest.model(n), "").derivatives().get(0);
  }

  private static final Pattern CALL = Pattern.compile("(?m)^ +(?:(?:double|float) )?\\w+ = (?:\\(float\\) )?expr\\d+\\(");
  private static final Pattern COMMENT = Pattern.compile("(?m)^ *//.*$");
  private static final Pattern LOCAL = Pattern.compile("(?m)^ +(?:double|float) t\\d+ = ");
  /** Declarations of temporary fields, one name or several ({@code private double t1, t2;}). */
  private static final Pattern TEMPORARY_FIELDS =
      Pattern.compile("(?m)^  private (?:double|float) (t\\d+(?:, t\\d+)*);$");

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
      // temporaries read only within their part are locals of it (PartLocals): the jvp's links, the params' partial
      // sums; backward's t = dv·(1 − v²), which the params' sums read in a later part, stay fields
      assertTrue(count(LOCAL, o) > 250, count(LOCAL, o) + " locals");
      assertEquals(0, count(LOCAL, plain.content()), "fields when written out");
      assertEquals(names(TEMPORARY_FIELDS, plain.content()), names(TEMPORARY_FIELDS, o) + count(LOCAL, o),
          "each local was a field");
      // its bulk fields in fewer lines (CompactFields): one-line comments on one line, temporaries ten to a line
      assertTrue(o.contains("\n  /** ∂L/∂v5, set by backward(). */\n  public " + real + " dv5;\n"), "one-line doc");
      assertTrue(plain.content().contains("\n  /**\n   * ∂L/∂v5, set by backward().\n   */\n  public " + real
          + " dv5;\n"), "as JavaPoet writes it");
      assertTrue(count(TEMPORARY_FIELDS, o) * 9 < names(TEMPORARY_FIELDS, o), "declared ten to a line");
      assertEquals(count(TEMPORARY_FIELDS, plain.content()), names(TEMPORARY_FIELDS, plain.content()), "one each");
      // the parts' instances are made by one method the constructor calls, not by the fields' initialisers
      assertTrue(o.contains("    createParts();\n") && o.contains("  private ForwardParts1 forwardParts1;\n")
          && o.contains("    forwardParts1 = new ForwardParts1();\n"), "one creation");

      Class<?> a = Javac.load(outlined); // --release 11, -Xlint:all, -Xdoclint:all/protected, -Werror
      Class<?> b = Javac.load(plain);
      for (long seed = 1; seed <= 3; seed++) sameBits(a, b, seed, precision);
    }
  }

  /**
   * A long class's scalar statements are written from their shapes (rendered once, each parameter put back by name):
   * with no shape outlined, the file is the one written without outlining, byte for byte.
   */
  @Test
  void statementsWrittenFromTheirShapesAreTheDirectText() {
    DiffModel dm = chain(700);
    for (Precision precision : List.of(Precision.FLOAT64, Precision.FLOAT32)) {
      String none = JavaGenerator.generateOutlinedFrom(Integer.MAX_VALUE, dm, precision).content();
      assertFalse(none.contains("expr1("), "nothing outlined");
      assertEquals(JavaGenerator.generateWithoutOutlines(dm, "", precision, Api.FULL, true).content(), none);
    }
  }

  @Test
  void shortClassIsWrittenAsBefore() {
    DiffModel dm = chain(200); // 200 forward, 400 backward, 67 jvp statements: no method has more than 600
    assertEquals(JavaGenerator.generateWithoutOutlines(dm, "", Precision.FLOAT64, Api.FULL).content(),
        JavaGenerator.generate(dm, "", Precision.FLOAT64, Api.FULL).content());
  }

  /** Scalar and tensor values, σ, softplus, exp, a sum over a free dim: 699 statements, both precisions. */
  @Test
  void mixedLongModelComputesTheSameBitsInBothPrecisions() throws Exception {
    StringBuilder s = new StringBuilder("model Mixed {\n  input x[n], y\n  param a[n], c\n  s1 = sum(a * x) + c\n");
    for (int k = 2; k < 700; k++) {
      String prev = "s" + (k - 1);
      s.append("  s").append(k).append(" = ").append(switch (k % 3) {
        case 0 -> "σ(c " + prev + ") + log(1 + exp(" + prev + "))";
        case 1 -> "sum(a * x) / n + tanh(" + prev + ") * c";
        default -> "exp(−" + prev + "²) * c + " + prev;
      }).append('\n');
    }
    s.append("  L = (s699 − y)²\n}\n");
    DiffModel dm = Pipeline.compile("mixed.nn", s.toString(), "").derivatives().get(0);
    for (Precision precision : List.of(Precision.FLOAT64, Precision.FLOAT32)) {
      GeneratedFile outlined = JavaGenerator.generate(dm, "", precision, Api.FULL);
      String o = outlined.content();
      assertTrue(o.contains("return sigmoid(p0 * p1);") && o.contains("return p0 + softplus(p1);"), "helpers inside");
      assertTrue(count(CALL, o) > 1_500, count(CALL, o) + " calls");
      GeneratedFile plain = JavaGenerator.generateWithoutOutlines(dm, "", precision, Api.FULL);
      assertEquals(matches(COMMENT, plain.content()), matches(COMMENT, o));
      Class<?> a = Javac.load(outlined);
      Class<?> b = Javac.load(plain);
      for (long seed = 1; seed <= 2; seed++) sameBits(a, b, seed, precision);
    }
  }

  /**
   * The same random state (every public field: params, directions, values) and arguments in both classes, then
   * forward, backward and jvp: every public field and result has the same bits.
   */
  private static void sameBits(Class<?> a, Class<?> b, long seed, Precision precision) throws Exception {
    Object ma = construct(a);
    Object mb = construct(b);
    SplittableRandom rnd = new SplittableRandom(seed);
    Class<?> real = precision == Precision.FLOAT64 ? double.class : float.class;
    List<Field> fields = publicFields(a);
    for (Field f : fields) {
      Field g = b.getField(f.getName());
      if (f.getType().getComponentType() == real && f.get(ma) != null) {
        int n = Array.getLength(f.get(ma));
        for (int i = 0; i < n; i++) {
          double v = rnd.nextDouble() - 0.5;
          setElement(f.get(ma), i, v);
          setElement(g.get(mb), i, v);
        }
      } else if (f.getType() == real && !Modifier.isFinal(f.getModifiers())) {
        double v = (rnd.nextDouble() - 0.5) * 1.6;
        setScalar(f, ma, v);
        setScalar(g, mb, v);
      }
    }
    Method fa = forward(a);
    Object[] args = new Object[fa.getParameterCount()];
    Object[] argsB = new Object[args.length];
    for (int k = 0; k < args.length; k++) {
      Class<?> t = fa.getParameterTypes()[k];
      if (t.isArray()) {
        args[k] = Array.newInstance(t.getComponentType(), 3);
        argsB[k] = Array.newInstance(t.getComponentType(), 3);
        for (int i = 0; i < 3; i++) {
          double v = rnd.nextDouble() - 0.5;
          setElement(args[k], i, v);
          setElement(argsB[k], i, v);
        }
      } else {
        double v = rnd.nextDouble() - 0.5;
        args[k] = t == double.class ? (Object) v : (Object) (float) v;
        argsB[k] = args[k];
      }
    }
    assertEquals(fa.invoke(ma, args), forward(b).invoke(mb, argsB));
    a.getMethod("backward").invoke(ma);
    b.getMethod("backward").invoke(mb);
    assertEquals(b.getMethod("jvp").invoke(mb), a.getMethod("jvp").invoke(ma));
    int compared = 0;
    for (Field f : fields) {
      Object va = f.get(ma);
      Object vb = b.getField(f.getName()).get(mb);
      if (va instanceof double[] da) assertTrue(java.util.Arrays.equals((double[]) vb, da), f.getName());
      else if (va instanceof float[] fl) assertTrue(java.util.Arrays.equals((float[]) vb, fl), f.getName());
      else assertEquals(vb, va, f.getName()); // Double/Float equals: the same bits
      compared++;
    }
    assertTrue(compared > 1_400, compared + " fields compared");
    boolean moved = false;
    for (Field f : fields) {
      if (f.getName().startsWith("d") && f.getType() == real) moved |= ((Number) f.get(ma)).doubleValue() != 0;
    }
    assertTrue(moved, "gradients are not trivially zero");
  }

  private static Object construct(Class<?> c) throws Exception {
    java.lang.reflect.Constructor<?> k = c.getConstructors()[0];
    Object[] dims = new Object[k.getParameterCount()];
    java.util.Arrays.fill(dims, 3);
    return k.newInstance(dims);
  }

  private static Method forward(Class<?> c) {
    for (Method m : c.getMethods()) {
      if (m.getName().equals("forward")) return m;
    }
    throw new AssertionError("no forward");
  }

  /** Public instance fields, by name (the same order in both classes). */
  private static List<Field> publicFields(Class<?> c) {
    List<Field> out = new ArrayList<>();
    for (Field f : c.getFields()) if (!Modifier.isStatic(f.getModifiers())) out.add(f);
    out.sort(java.util.Comparator.comparing(Field::getName));
    return out;
  }

  private static void setScalar(Field f, Object target, double v) throws IllegalAccessException {
    if (f.getType() == double.class) f.setDouble(target, v);
    else f.setFloat(target, (float) v);
  }

  private static void setElement(Object array, int i, double v) {
    if (array instanceof double[] d) d[i] = v;
    else ((float[]) array)[i] = (float) v;
  }

  private static int count(Pattern p, String s) {
    int n = 0;
    for (Matcher m = p.matcher(s); m.find(); ) n++;
    return n;
  }

  /** The names the matches of {@code p} declare (its group 1: names separated by commas). */
  private static int names(Pattern p, String s) {
    int n = 0;
    for (Matcher m = p.matcher(s); m.find(); ) n += m.group(1).split(", ").length;
    return n;
  }

  private static List<String> matches(Pattern p, String s) {
    List<String> out = new ArrayList<>();
    for (Matcher m = p.matcher(s); m.find(); ) out.add(m.group().strip());
    return out;
  }
}
