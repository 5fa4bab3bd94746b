package dev.nnc.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.ast.AstDump;
import dev.nnc.ast.AstPrinter;
import dev.nnc.ast.SourceFile;
import org.junit.jupiter.api.Test;

/**
 * {@code transpose(x)} (and {@code transpose x}) is the ASCII spelling of {@code xᵀ}: the same tree, printed by
 * {@code nnc fmt --ascii}, so an ASCII-only file round-trips.
 */
class AsciiTransposeTest {
  private static String tree(String text) {
    return AstDump.file(Parsing.parseClean("t.nn", text), false);
  }

  @Test
  void theCallIsTheSameTreeAsThePostfix() {
    assertEquals(tree("y = Xᵀ W + wᵀx\n"), tree("y = transpose(X) W + transpose(w) x\n"));
    assertEquals(tree("y = (A B)ᵀ\n"), tree("y = transpose(A B)\n"));
    assertEquals(tree("y = Xᵀ\n"), tree("y = transpose X\n"));
    assertEquals(tree("y = (Xᵀ)²\n"), tree("y = transpose(X)^2\n"));
  }

  @Test
  void asciiFmtPrintsTheCallAndParsesBack() {
    String source = "model M {\n  input X[n, m], w[n]\n  y = wᵀX + (X Xᵀ)ᵀ w\n  L = sum(y)ᵀ\n}\n";
    SourceFile f = Parsing.parseClean("t.nn", source);
    String ascii = AstPrinter.print(f, AstPrinter.Spelling.ASCII);
    assertEquals("model M {\n  input X[n, m], w[n]\n  y = transpose(w) X + transpose(X transpose(X)) w\n"
        + "  L = transpose(sum(y))\n}\n", ascii);
    assertEquals(AstDump.file(f, true), Parsing.roundTrip(f, AstPrinter.Spelling.ASCII, "t.nn"));
    assertEquals(source.replace("(X Xᵀ)ᵀ w", "(X Xᵀ)ᵀw"), AstPrinter.print(Parsing.parseClean("t.nn", ascii),
        AstPrinter.Spelling.UNICODE));
  }
}
