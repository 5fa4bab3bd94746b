package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every file in {@code examples/}: its generated Java is checked in under {@code generated-examples/} (this test
 * fails on any difference; run it with {@code -Dnnc.updateGoldens=true} to rewrite them, then review the diff), it
 * compiles with {@code --release 11}, an empty classpath and no warnings, and it computes what the interpreter does.
 */
class ExamplesTest {
  static final Path EXAMPLES = Path.of("examples");
  static final Path GOLDEN = Path.of("generated-examples");

  static List<Path> exampleFiles() throws IOException {
    try (Stream<Path> s = Files.list(EXAMPLES)) {
      return s.filter(p -> p.toString().endsWith(".nn")).sorted().toList();
    }
  }

  static List<Result> compileExamples() throws IOException {
    List<Result> out = new ArrayList<>();
    for (Path p : exampleFiles()) out.add(Pipeline.compile(p, ""));
    return out;
  }

  @Test
  void generatedExamplesAreUpToDate() throws IOException {
    Map<String, String> expected = new TreeMap<>();
    for (Result r : compileExamples()) {
      for (GeneratedFile f : r.files()) expected.put(f.relativePath(), f.content());
    }
    assertTrue(expected.size() >= 5, "one class per example model");
    Map<String, String> actual = new TreeMap<>();
    if (Files.isDirectory(GOLDEN)) {
      try (Stream<Path> s = Files.list(GOLDEN)) {
        for (Path p : s.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
          actual.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    }
    if (Boolean.getBoolean("nnc.updateGoldens")) {
      Files.createDirectories(GOLDEN);
      for (String stale : actual.keySet()) if (!expected.containsKey(stale)) Files.delete(GOLDEN.resolve(stale));
      for (Map.Entry<String, String> e : expected.entrySet()) {
        Files.writeString(GOLDEN.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
      }
      return;
    }
    String hint = "; regenerate with: mvn test -Dtest=ExamplesTest -Dnnc.updateGoldens=true (then review the diff)";
    assertEquals(expected.keySet(), actual.keySet(), "files in generated-examples/" + hint);
    for (Map.Entry<String, String> e : expected.entrySet()) {
      if (!e.getValue().equals(actual.get(e.getKey()))) {
        List<String> want = e.getValue().lines().toList();
        List<String> have = actual.get(e.getKey()).lines().toList();
        int line = 0;
        while (line < Math.min(want.size(), have.size()) && want.get(line).equals(have.get(line))) line++;
        fail("generated-examples/" + e.getKey() + " differs from the generator's output at line " + (line + 1)
            + ":\n  checked in: " + (line < have.size() ? have.get(line) : "(end)")
            + "\n  generated:  " + (line < want.size() ? want.get(line) : "(end)") + "\n" + hint);
      }
    }
  }

  @Test
  void generationIsDeterministic() throws IOException {
    for (Path p : exampleFiles()) {
      String first = Pipeline.compile(p, "a.b").files().get(0).content();
      String again = Pipeline.compile(p, "a.b").files().get(0).content();
      assertEquals(first, again, p + " generates the same bytes every time");
      assertTrue(!first.contains("20" + "26-"), "no date in " + p);
    }
  }

  @Test
  void everyExampleCompilesCleanlyAndAgreesWithTheInterpreter() throws Exception {
    List<Result> results = compileExamples();
    int compared = 0;
    for (long seed = 1; seed <= 3; seed++) compared += Pipeline.compileAndAgree(results, seed * 1000);
    assertTrue(compared > 1000, "compared " + compared + " numbers");
  }

  @Test
  void logisticRegressionReadsLikeTheCourse() throws IOException {
    String java = Pipeline.compile(EXAMPLES.resolve("logistic_regression.nn"), "").files().get(0).content();
    List<String> lines = java.lines().map(String::strip).toList();
    int dz = lines.indexOf("dz = a - y;");
    assertTrue(dz > 0, "backward computes dz = a - y:\n" + java);
    assertTrue(lines.get(dz - 1).startsWith("// ∂L/∂z = "), "with its chain-rule comment: " + lines.get(dz - 1));
    assertTrue(lines.get(dz - 1).endsWith("= a − y   (logistic_regression.nn:6)"), lines.get(dz - 1));
    assertTrue(lines.contains("db = dz;"), "db = dz, as in the course");
  }
}
