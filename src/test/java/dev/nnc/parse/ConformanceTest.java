package dev.nnc.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.ast.AstDump;
import dev.nnc.ast.AstPrinter;
import dev.nnc.ast.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code conformance/parse/*.nn} (the examples of LANGUAGE.md, copied, and files of our own per grammar rule)
 * parses without a diagnostic to exactly the tree in the {@code .ast} file next to it, and prints in both
 * spellings to text that parses back to the same tree.
 */
class ConformanceTest {
  static Stream<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(Parsing.resource("conformance/parse"))) {
      return s.filter(p -> p.toString().endsWith(".nn")).sorted().toList().stream();
    }
  }

  @Test
  void thereAreEnoughFiles() throws IOException {
    List<Path> all = files().toList();
    assertTrue(all.size() >= 8, "conformance files: " + all.size());
    for (Path p : all) {
      assertTrue(Files.exists(Path.of(p.toString().replaceAll("\\.nn$", ".ast"))), "no .ast for " + p);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void parsesToTheExpectedTree(Path file) {
    SourceFile f = Parsing.parseClean(file.getFileName().toString(), Parsing.read(file));
    String expected = Parsing.read(Path.of(file.toString().replaceAll("\\.nn$", ".ast")));
    assertEquals(expected, AstDump.file(f, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void roundTripsInBothSpellings(Path file) {
    String name = file.getFileName().toString();
    SourceFile f = Parsing.parseClean(name, Parsing.read(file));
    String shape = AstDump.file(f, true);
    assertEquals(shape, Parsing.roundTrip(f, AstPrinter.Spelling.UNICODE, name), "unicode");
    assertEquals(shape, Parsing.roundTrip(f, AstPrinter.Spelling.ASCII, name), "ascii");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void asciiOutputIsAsciiExceptNames(Path file) {
    SourceFile f = Parsing.parseClean(file.getFileName().toString(), Parsing.read(file));
    String ascii = AstPrinter.print(f, AstPrinter.Spelling.ASCII);
    for (String forbidden : List.of("−", "·", "σ", "√", "²", "³", "π", "×", "⊙", "÷", "∑", "Σ", "ᵀ")) {
      assertTrue(!ascii.contains(forbidden), "'" + forbidden + "' in ascii output:\n" + ascii);
    }
  }
}
