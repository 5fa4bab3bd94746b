package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Compiler;
import dev.nnc.diag.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adjoint symbols come from one names contract (issue 13): {@code NameTable} holds every name's display spelling and
 * Java identifiers, {@code notation.Label.adjoint} makes ∂L/∂x from it, and only {@code MathPrinter} spells a
 * {@code Label.Partial} (∂L/∂W₁, dL/dW1, {@code \frac{\partial L}{\partial W_{1}}}). A symbol glued from strings
 * elsewhere prints the Unicode spelling in ASCII or LaTeX output; the behavioural test below catches that on names
 * that every notation spells differently, and the source scan fails on the gluing itself.
 */
class AdjointNamesContractTest {
  /** A loss with a subscript and a param with an underscore: ∂J₂/∂W₁, dJ2/dW1, \frac{\partial J_{2}}{…}. */
  static final String MODEL = "model Esc {\n  param apple_num, W₁\n  J₂ = apple_num W₁ + W₁²\n  loss J₂\n}\n";

  @Test
  void everyNotationSpellsTheAdjointsOfNamesThatNeedEscaping(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("esc.nn");
    Files.writeString(f, MODEL);
    GradEvalCommandsTest.Run ascii = GradEvalCommandsTest.nnc("grad", "--ascii", f.toString());
    assertEquals(0, ascii.status(), ascii.err());
    assertEquals("dJ2/dapple_num = W1\ndJ2/dW1 = apple_num + 2W1 = 2W1 + apple_num\n", ascii.out());
    GradEvalCommandsTest.Run latex = GradEvalCommandsTest.nnc("grad", "--latex", f.toString());
    assertTrue(latex.out().startsWith("\\frac{\\partial J_{2}}{\\partial \\mathit{apple\\_num}} = W_{1}\n"),
        latex.out());
    assertTrue(latex.out().contains("\\frac{\\partial J_{2}}{\\partial W_{1}} = "), latex.out());
    GradEvalCommandsTest.Run unicode = GradEvalCommandsTest.nnc("grad", f.toString());
    assertTrue(unicode.out().startsWith("∂J₂/∂apple_num = W₁\n"), unicode.out());

    GradEvalCommandsTest.Run eval = GradEvalCommandsTest.nnc("eval", "--ascii", f.toString(), "apple_num=2", "W₁=3");
    assertEquals("J2 = 15\ndJ2/dapple_num = 3\ndJ2/dW1 = 8\n", eval.out(), "ASCII names and symbols");
    GradEvalCommandsTest.Run trace = GradEvalCommandsTest.nnc("trace", "--ascii", f.toString(), "apple_num=2", "W₁=3");
    assertEquals(0, trace.status(), trace.err());
    assertTrue(trace.out().contains("  dJ2/dW1 = dJ2/du * du/dW1 + dJ2/dv * dv/dW1 = "), trace.out());
    for (GradEvalCommandsTest.Run r : List.of(ascii, eval, trace)) {
      assertTrue(r.out().chars().allMatch(c -> c < 128), "ASCII only:\n" + r.out());
    }

    // The generated class: Java comments and Javadoc are Unicode, the fields' identifiers ASCII.
    String java = Compiler.compile(Source.of("esc.nn", MODEL)).files().get(0).content();
    assertTrue(java.contains("   * ∂J₂/∂W₁, filled by backward().\n   */\n  public double dW1;"), java);
    assertTrue(java.contains("{@code dapple_num} = ∂J₂/∂apple_num"), java);
    assertTrue(java.contains("    // ∂J₂/∂W₁ = "), java);
  }

  /**
   * A string literal that ends in ∂ (or d, or LaTeX's \partial) glued to a name with {@code +}. Allowed only where
   * the spelling is the file's job: the printer of {@code Label.Partial}, the printer of .nn source ({@code nnc fmt},
   * whose {@code ∂f/∂x = …} rules are source syntax), the checker's diagnostics (which quote .nn source the user
   * wrote or should write), and {@code NameTable}'s Java identifiers of gradient fields ({@code dW1}).
   */
  static final Pattern GLUED = Pattern.compile("(∂|\\\\partial[^\"]*|\"d|/d)\"\\s*\\+");

  static final Map<String, String> ALLOWED = Map.of(
      "dev/nnc/notation/MathPrinter.java", "the one printer of Label.Partial",
      "dev/nnc/ast/AstPrinter.java", "prints .nn source (nnc fmt)",
      "dev/nnc/check/ExprLowerer.java", "diagnostics quoting .nn source",
      "dev/nnc/check/Functions.java", "diagnostics quoting .nn source (derivative rules)",
      "dev/nnc/ir/NameTable.java", "Java identifiers of gradient fields (dW1)");

  @Test
  void noAdjointSymbolIsGluedFromStringsOutsideItsPrinter() throws IOException {
    Path main = Path.of("src/main/java");
    List<String> found = new ArrayList<>();
    int inPrinter = 0;
    try (Stream<Path> files = Files.walk(main)) {
      for (Path p : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String rel = main.relativize(p).toString().replace('\\', '/');
        List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          String code = lines.get(i).strip();
          if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) continue;
          Matcher m = GLUED.matcher(code);
          if (!m.find()) continue;
          if (rel.equals("dev/nnc/notation/MathPrinter.java")) inPrinter++;
          if (!ALLOWED.containsKey(rel)) found.add(rel + ":" + (i + 1) + ": " + code);
        }
      }
    }
    if (!found.isEmpty()) {
      fail("∂ names glued from strings (make a Label: Label.adjoint(names, id) or Label.partial(of, wrt), and let "
          + "MathPrinter spell it):\n  " + String.join("\n  ", found));
    }
    assertEquals(3, inPrinter, "MathPrinter spells Label.Partial once per notation (the scan sees its lines)");
  }
}
