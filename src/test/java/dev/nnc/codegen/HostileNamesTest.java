package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Names that are Java keywords, JDK types the generated code uses, the generator's own locals, Unicode, near-clashes
 * ({@code x_1}/{@code x₁}, a value {@code dw} next to param {@code w}, {@code L} and {@code dL}), and text that
 * would end a comment or start a unicode escape: the Java compiles without warnings and behaves.
 */
class HostileNamesTest {
  static final String KEYWORDS = """
      # a comment with */ and \\u000a and "quotes" /* inside
      model class {
        dim n
        input int, this, v[n]
        param w, θ₁, x_1, x₁, Math, learningRate, i[n]
        dw = w int + θ₁ this               # a value named like w's gradient
        L = σ(dw) + x_1 x₁
        dL = L Math + sum(i * v) learningRate
        J = dL² + L
      }
      """;

  static final String LOCALS = """
      model Loops {
        dim n
        input i[n], j[n, n]
        param k[n], t5, rng, seed
        Y = softmax(j i + k)
        dot = Y · i
        L = dot² + t5 rng seed
      }
      """;

  @Test
  void keywordsAndClashesCompileAndBehave() throws Exception {
    Result r = Pipeline.compile("hostile.nn", KEYWORDS, "hostile");
    String java = r.files().get(0).content();
    assertEquals("class_", r.files().get(0).className());
    Map<String, String> names = JavaGenerator.javaNames(r.derivatives().get(0));
    assertEquals("int_", names.get("v:int"));
    assertEquals("this_", names.get("v:this"));
    assertEquals("theta1", names.get("v:θ1"));
    assertEquals("Math_", names.get("v:Math"));
    assertEquals("dw", names.get("v:dw"), "the model's own dw keeps its name");
    assertEquals("dw_", names.get("d:w"), "w's gradient steps aside");
    assertTrue(java.contains("Math.exp") || java.contains("sigmoid("), "JDK Math still reachable");
    Pipeline.compileAndAgree(List.of(r), 7);
  }

  @Test
  void generatorLocalsNeverShadowModelNames() throws Exception {
    Result r = Pipeline.compile("loops.nn", LOCALS, "");
    Pipeline.compileAndAgree(List.of(r), 11);
  }

  @Test
  void nothingEscapesCommentsOrStrings() throws Exception {
    String evilName = "dir/evil*/\\u000a\"x\\\" */ name.nn";
    Result r = Pipeline.compile(evilName, "model Evil { input x; param w; L = (w x − 1)² }", "");
    String java = r.files().get(0).content();
    assertFalse(java.contains("\\u000a"), "no live unicode escape:\n" + java);
    Pipeline.compileAndAgree(List.of(r), 3);
  }

  @Test
  void transliteration() {
    assertEquals("theta1", Names.transliterate("θ₁"));
    assertEquals("yHat", Names.transliterate("ŷ"));
    assertEquals("yHat", Names.transliterate("y\u0302"));
    assertEquals("sigma", Names.transliterate("σ"));
    assertEquals("xBar", Names.transliterate("x̄"));
    assertEquals("alphaBeta", Names.transliterate("αβ"));
    assertEquals("Delta", Names.transliterate("Δ"));
    assertEquals("x_1", Names.transliterate("x_1"));
  }

  @Test
  void clashesAreRenamedDeterministically() {
    Names n = new Names();
    assertEquals("x1", n.claim("v:x1", "x₁"));
    assertEquals("x1_", n.claim("v:x1b", "x1"));
    assertEquals("class_", n.claim("v:class", "class"));
    assertEquals("System_", n.claim("v:System", "System"));
    assertEquals("x1", n.claim("v:x1", "anything"), "a key keeps its name");
  }
}
