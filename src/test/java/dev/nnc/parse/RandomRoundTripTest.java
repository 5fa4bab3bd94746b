package dev.nnc.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import dev.nnc.ast.AstDump;
import dev.nnc.ast.AstPrinter;
import dev.nnc.ast.SourceFile;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random programs: (1) random well-formed expressions, written with every spelling and spacing the language
 * allows, parse and print back (both spellings) to the same tree; (2) random character soups made of the
 * language's own symbols never crash the parser — every run ends in a tree or in diagnostics.
 */
class RandomRoundTripTest {
  private static final List<String> NAMES = List.of("x", "y", "w₁", "W1", "ŷ", "α", "b", "c", "π", "pi", "e");
  private static final List<String> NUMBERS = List.of("2", "0.5", ".5", "1e-7", "1e−7", "3", "10", "2.5E+3");
  /** Every function spelling of the registry: the round trip covers each token the grammar accepts as a function. */
  private static final List<String> FUNCS = List.copyOf(dev.nnc.prim.Prims.spellings());
  private static final List<String> MUL = List.of("*", "×", "⊙", "/", "÷", "·", "⋅", "@");
  private static final List<String> ADD = List.of("+", "−", "-");

  private final SplittableRandom random = new SplittableRandom(20_261_122);

  private String pick(List<String> xs) {
    return xs.get(random.nextInt(xs.size()));
  }

  private String sp() {
    return random.nextInt(3) == 0 ? "" : " ";
  }

  /** A random expression; {@code depth} bounds the nesting. Never puts a number after another operand. */
  private String expr(int depth) {
    if (depth <= 0) return random.nextBoolean() ? pick(NAMES) : pick(NUMBERS);
    return switch (random.nextInt(12)) {
      case 0 -> expr(depth - 1) + " " + pick(ADD) + " " + expr(depth - 1);
      case 1 -> expr(depth - 1) + sp() + pick(MUL) + sp() + expr(depth - 1);
      case 2 -> "(" + expr(depth - 1) + ")" + " " + factor(depth - 1);
      case 3 -> pick(NAMES) + " " + factor(depth - 1);
      case 4 -> pick(ADD.subList(1, 3)) + atom(depth - 1);
      case 5 -> atom(depth - 1) + (random.nextBoolean() ? "^" : "**") + (random.nextBoolean() ? "−" : "")
          + atom(depth - 1);
      case 6 -> atom(depth - 1) + pick(List.of("²", "³", "ᵀ"));
      case 7 -> pick(FUNCS) + "(" + expr(depth - 1) + ")";
      case 8 -> pick(FUNCS) + " " + atom(depth - 1);
      case 9 -> "sum(" + expr(depth - 1) + ", axis=" + (random.nextBoolean() ? "-1" : "0") + ")";
      case 10 -> "max(" + expr(depth - 1) + ", " + expr(depth - 1) + ")";
      default -> "(" + expr(depth - 1) + ")";
    };
  }

  /** Something that may stand after another operand: not a number, not signed. */
  private String factor(int depth) {
    return switch (random.nextInt(4)) {
      case 0 -> pick(NAMES);
      case 1 -> "(" + expr(depth) + ")";
      case 2 -> pick(FUNCS) + "(" + expr(depth) + ")";
      default -> pick(FUNCS) + " " + pick(NAMES);
    };
  }

  private String atom(int depth) {
    return switch (random.nextInt(4)) {
      case 0 -> pick(NAMES);
      case 1 -> pick(NUMBERS);
      default -> "(" + expr(depth) + ")";
    };
  }

  @Test
  void randomExpressionsRoundTripInBothSpellings() {
    int parsed = 0;
    for (int i = 0; i < 1500; i++) {
      String text = "y = " + expr(1 + random.nextInt(4)) + "\n";
      Result r = Parsing.parse("r.nn", text);
      if (r.hasErrors()) {
        // Only juxtaposition of a number that the generator could not see coming (e.g. "x 2" via "e" names).
        assertTrue(r.diagnostics().stream().allMatch(d -> d.code().id().equals("E0105")),
            () -> text + Parsing.rendered(r));
        continue;
      }
      parsed++;
      SourceFile f = r.ast();
      String shape = AstDump.file(f, true);
      for (AstPrinter.Spelling s : AstPrinter.Spelling.values()) {
        String printed = AstPrinter.print(f, s);
        SourceFile again = Parsing.parseClean("r.nn", printed);
        assertEquals(shape, AstDump.file(again, true), () -> s + "\n  in:  " + text + "  out: " + printed);
        assertEquals(printed, AstPrinter.print(again, s), "printing is idempotent");
      }
    }
    assertTrue(parsed > 1400, "parsed " + parsed);
  }

  private static final String SOUP = "xyab1 2.5e−7()[]{}+−-*×⊙/÷·⋅@^ᵀ²³,;=~σΣ√π\n\n  #/∙–′$modelinputparamlogsum";

  @Test
  void randomSoupsEndInATreeOrDiagnostics() {
    for (int i = 0; i < 1500; i++) {
      StringBuilder b = new StringBuilder();
      int n = 1 + random.nextInt(60);
      for (int k = 0; k < n; k++) b.appendCodePoint(SOUP.codePointAt(SOUP.offsetByCodePoints(0,
          random.nextInt(SOUP.codePointCount(0, SOUP.length())))));
      String text = b.toString();
      Result r = Parsing.parse("soup.nn", text);
      assertNotNull(r);
      assertTrue(r.ast() != null || r.hasErrors(), () -> "no tree and no error for: " + text);
      r.diagnostics().forEach(d -> assertTrue(d.span().line() >= 1 && d.span().col() >= 1, text));
      if (r.ast() != null && !r.hasErrors()) {
        String printed = AstPrinter.print(r.ast(), AstPrinter.Spelling.UNICODE);
        assertEquals(AstDump.file(r.ast(), true), AstDump.file(Parsing.parseClean("soup.nn", printed), true),
            () -> text + " → " + printed);
      }
    }
  }
}
