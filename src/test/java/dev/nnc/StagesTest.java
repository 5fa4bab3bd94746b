package dev.nnc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Packages are pipeline stages, and no stage refers to a later one — not by an import, and not by a fully qualified
 * name written in code (which no import list shows). The order is {@link #ORDER}; docs/architecture.md states the
 * same order (checked here). A package missing from the order fails the test until it is given its place.
 */
class StagesTest {
  /** Earliest first. {@code ""} is the root package: the {@code Compiler} driver that runs every stage. */
  static final List<String> ORDER = List.of(
      "diag", "ast", "parse", "ir", "prim", "notation", "check", "diff", "simplify", "eval", "codegen", "train", "",
      "processor", "cli");

  private static final Path MAIN = Path.of("src/main/java/dev/nnc");
  private static final Pattern REFERENCE = Pattern.compile("\\bdev\\s*\\.\\s*nnc\\s*\\.\\s*([A-Za-z_][A-Za-z0-9_]*)");

  @Test
  void noPackageRefersToALaterStage() throws IOException {
    List<String> problems = new ArrayList<>();
    int files = 0;
    try (Stream<Path> paths = Files.walk(MAIN)) {
      for (Path p : paths.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        files++;
        String pkg = MAIN.relativize(p.getParent() == null ? MAIN : p.getParent()).toString().replace('/', '.');
        for (String v : violations(pkg, Files.readString(p, StandardCharsets.UTF_8))) problems.add(p + ": " + v);
      }
    }
    assertTrue(files > 50, "scanned " + files + " files under " + MAIN.toAbsolutePath());
    assertEquals(List.of(), problems);
  }

  @Test
  void theCheckSeesImportsStaticImportsAndInlineNamesButNotCommentsOrStrings() {
    String source = """
        package dev.nnc.diff;

        import dev.nnc.ir.Expr;
        import dev.nnc.simplify.Rewrite;
        import static dev.nnc.codegen.JavaGenerator.generate;
        /** See {@link dev.nnc.cli.Main}. */
        final class X {
          // dev.nnc.train.Trainer in a comment is no reference
          String s = "dev.nnc.eval.Interpreter";
          char c = '"';
          String block = \"""
              dev.nnc.processor.NnProcessor
              \""";
          Object o = new dev.nnc.eval.Interpreter(null, null);
          Object p = dev.nnc.Compiler.class;
          Object q = dev.nnc.diag.Span.NONE;
          dev.nnc.brandnew.Thing t;
        }
        """;
    assertEquals(List.of(
            "refers to dev.nnc.simplify, a later stage than dev.nnc.diff",
            "refers to dev.nnc.codegen, a later stage than dev.nnc.diff",
            "refers to dev.nnc.eval, a later stage than dev.nnc.diff",
            "refers to dev.nnc (the driver), a later stage than dev.nnc.diff",
            "refers to dev.nnc.brandnew, which has no place in StagesTest.ORDER (add it there and to docs/architecture.md)"),
        violations("diff", source));
    assertEquals(List.of(), violations("cli", source.replace("brandnew", "diag")), "cli comes last");
    assertEquals(List.of("dev.nnc.mystery has no place in StagesTest.ORDER (add it there and to docs/architecture.md)"),
        violations("mystery", "package dev.nnc.mystery; class Y {}"));
  }

  @Test
  void theArchitectureDocumentStatesTheSameOrder() throws IOException {
    String doc = Files.readString(Path.of("docs/architecture.md"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("Stage order[^:]*: (.*)").matcher(doc);
    assertTrue(m.find(), "docs/architecture.md has a 'Stage order: …' line");
    List<String> documented = new ArrayList<>();
    for (String s : m.group(1).split("→")) {
      String name = s.trim().replaceAll("[`.]", "");
      documented.add(name.equals("dev nnc (driver)") || name.equals("(driver)") ? "" : name);
    }
    assertEquals(ORDER, documented);
  }

  /** The problems of one source file of package {@code dev.nnc.<pkg>} ({@code ""}: the root package). */
  static List<String> violations(String pkg, String source) {
    List<String> out = new ArrayList<>();
    int own = ORDER.indexOf(pkg);
    if (own < 0) {
      out.add(qualified(pkg) + " has no place in StagesTest.ORDER (add it there and to docs/architecture.md)");
      return out;
    }
    Matcher m = REFERENCE.matcher(code(source));
    while (m.find()) {
      String name = m.group(1);
      String target = Character.isUpperCase(name.charAt(0)) ? "" : name; // dev.nnc.Compiler: the root package
      int rank = ORDER.indexOf(target);
      String problem = rank < 0
          ? "refers to " + qualified(target) + ", which has no place in StagesTest.ORDER (add it there and to docs/architecture.md)"
          : rank > own ? "refers to " + (target.isEmpty() ? "dev.nnc (the driver)" : qualified(target))
              + ", a later stage than " + qualified(pkg)
          : null;
      if (problem != null && !out.contains(problem)) out.add(problem);
    }
    return out;
  }

  private static String qualified(String pkg) {
    return pkg.isEmpty() ? "dev.nnc" : "dev.nnc." + pkg;
  }

  /** The source with comments, string and text-block literals and char literals blanked out; the package line too. */
  static String code(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (s.startsWith("//", i)) {
        while (i < s.length() && s.charAt(i) != '\n') i++;
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        i = end < 0 ? s.length() : end + 2;
        out.append(' ');
      } else if (s.startsWith("\"\"\"", i)) {
        int end = s.indexOf("\"\"\"", i + 3);
        while (end > 0 && s.charAt(end - 1) == '\\') end = s.indexOf("\"\"\"", end + 1);
        i = end < 0 ? s.length() : end + 3;
        out.append("\"\"");
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != c && s.charAt(j) != '\n') j += s.charAt(j) == '\\' ? 2 : 1;
        i = j + 1;
        out.append(c).append(c);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString().replaceFirst("(?m)^\\s*package\\s+[\\w.]+\\s*;", "");
  }
}
