package dev.nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diag.Code;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/diagnostics.md has exactly one line per diagnostic code, with its id, name, meaning and a fix. */
class DiagnosticsDocTest {
  @Test
  void everyCodeHasOneLineWithIdNameMeaningAndFix() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("docs/diagnostics.md"), StandardCharsets.UTF_8);
    List<String> missing = new ArrayList<>();
    for (Code code : Code.values()) {
      String prefix = "| " + code.id() + " | " + code.name() + " |";
      long count = lines.stream().filter(l -> l.startsWith(prefix)).count();
      if (count != 1) {
        missing.add(code.id() + " " + code.name() + " (" + count + " lines)");
        continue;
      }
      String line = lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
      String[] cells = line.split("\\|");
      // "", id, name, meaning, fix
      assertTrue(cells.length >= 5 && !cells[3].isBlank() && !cells[4].isBlank(), "incomplete line: " + line);
    }
    assertEquals(List.of(), missing, "codes without exactly one line in docs/diagnostics.md");
  }

  @Test
  void codeIdsAreUnique() {
    Set<String> ids = new HashSet<>();
    for (Code code : Code.values()) assertTrue(ids.add(code.id()), "duplicate id " + code.id());
  }
}
