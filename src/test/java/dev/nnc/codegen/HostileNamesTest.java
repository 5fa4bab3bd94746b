package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import dev.nnc.ir.JavaIdentifiers;
import dev.nnc.ir.NameTable;
import dev.nnc.notation.Label;
import dev.nnc.notation.MathPrinter;
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
    NameTable names = r.models().get(0).names();
    assertEquals("class_", names.className());
    assertEquals("int_", names.get("int").java());
    assertEquals("this_", names.get("this").java());
    assertEquals("theta1", names.get("θ1").java());
    assertEquals("θ₁", names.get("θ1").spelling());
    assertEquals("∂J/∂θ₁", MathPrinter.labelled(MathPrinter.Notation.UNICODE, Map.of())
        .label(Label.adjoint(names, "θ1")));
    assertEquals("Math_", names.get("Math").java());
    assertEquals("dw", names.get("dw").java(), "the model's own dw keeps its name");
    assertEquals("dw_", names.get("w").gradientJava(), "w's gradient steps aside");
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
    assertEquals("theta1", JavaIdentifiers.transliterate("θ₁"));
    assertEquals("yHat", JavaIdentifiers.transliterate("ŷ"));
    assertEquals("yHat", JavaIdentifiers.transliterate("y\u0302"));
    assertEquals("sigma", JavaIdentifiers.transliterate("σ"));
    assertEquals("xBar", JavaIdentifiers.transliterate("x̄"));
    assertEquals("alphaBeta", JavaIdentifiers.transliterate("αβ"));
    assertEquals("Delta", JavaIdentifiers.transliterate("Δ"));
    assertEquals("x_1", JavaIdentifiers.transliterate("x_1"));
  }

  @Test
  void clashesAreRenamedDeterministically() {
    JavaIdentifiers n = new JavaIdentifiers();
    assertEquals("x1", n.claim("x₁"));
    assertEquals("x1_", n.claim("x1"));
    assertEquals("class_", n.claim("class"));
    assertEquals("System_", n.claim("System"));
    JavaIdentifiers locals = n.copy();
    assertEquals("x1__", locals.fresh("x1"), "a copy starts with every claimed name taken");
    assertEquals("x1__", n.claim("x1"), "and claims in the copy do not reach the original");
  }
}
