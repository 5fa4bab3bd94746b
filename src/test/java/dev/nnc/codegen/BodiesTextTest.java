package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The text helpers of {@link Bodies} that replaced regular expressions and a second rendering of each statement. */
class BodiesTextTest {
  /** A parameter is a whole token: p0 in p0 * p12 is, p1 in log1p(…) and a helper named p2(…) are not. */
  @Test
  void parametersArePutBackAsWholeTokens() {
    assertEquals("a * (1.0 - b * b)", Bodies.withArguments("p0 * (1.0 - p1 * p1)", List.of("a", "b")));
    assertEquals("Math.log1p(x) + p2(x) + y12",
        Bodies.withArguments("Math.log1p(p0) + p2(p0) + p1", List.of("x", "y12")));
    assertEquals("-(v3) * 1.0E-5f + dp", Bodies.withArguments("-(p0) * 1.0E-5f + dp", List.of("v3")));
    assertEquals("t10 * p", Bodies.withArguments("p10 * p", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
        "t10")));
  }

  /** {@link Bodies#isSimple} is the pattern it replaced, on names, elements, expressions and near misses. */
  @Test
  void isSimpleIsThePattern() {
    Pattern simple = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\[[A-Za-z0-9_ +*]+\\])?");
    for (String s : List.of("", "v", "v12", "_t", "9v", "v[i]", "v[i * 3 + j]", "v[]", "v[i]]", "v[i-1]", "v[(i)]",
        "a + b", "Math.tanh(x)", "x[0]", "xé", "v[i] * v[i]", "[i]", "v[", "v]", "é", "t_1[i_2 + k]")) {
      assertEquals(simple.matcher(s).matches(), Bodies.isSimple(s), s);
    }
  }
}
