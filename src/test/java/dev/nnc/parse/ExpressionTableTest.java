package dev.nnc.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.ast.AstDump;
import dev.nnc.ast.AstPrinter;
import dev.nnc.ast.SourceFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each row of {@code conformance/expressions.table}: the tree of one expression, and its round trip. */
class ExpressionTableTest {
  record Row(int line, String source, String expected) {
    @Override
    public String toString() {
      return "line " + line + ": " + source;
    }
  }

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    List<String> lines = Parsing.read(Parsing.resource("conformance/expressions.table")).lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.isBlank() || l.startsWith("#")) continue;
      int arrow = l.indexOf(" => ");
      if (arrow < 0) throw new IllegalStateException("line " + (i + 1) + " has no ' => ': " + l);
      rows.add(new Row(i + 1, l.substring(0, arrow), l.substring(arrow + 4).trim()));
    }
    return rows;
  }

  @Test
  void tableIsBigEnough() {
    assertTrue(rows().size() >= 100, "rows: " + rows().size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void parsesToTheExpectedTree(Row row) {
    assertEquals(row.expected(), Parsing.exprShape(row.source()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void roundTripsInBothSpellings(Row row) {
    SourceFile f = Parsing.parseClean("t.nn", "y = " + row.source() + "\n");
    String shape = AstDump.file(f, true);
    assertEquals(shape, Parsing.roundTrip(f, AstPrinter.Spelling.UNICODE, "t.nn"),
        () -> "unicode: " + AstPrinter.print(f, AstPrinter.Spelling.UNICODE));
    assertEquals(shape, Parsing.roundTrip(f, AstPrinter.Spelling.ASCII, "t.nn"),
        () -> "ascii: " + AstPrinter.print(f, AstPrinter.Spelling.ASCII));
  }
}
