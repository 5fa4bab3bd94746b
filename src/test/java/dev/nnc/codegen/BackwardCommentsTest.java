package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.NameTable;
import dev.nnc.notation.Label;
import dev.nnc.notation.MathPrinter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11: in every golden (generated-examples/ and the processor goldens) each adjoint's computation sits under its
 * own chain-rule comment. The adjoints, their comment symbols and their Java fields come from the names contract
 * ({@link NameTable#get}: {@code adjoint().unicode()}, {@code gradientJava()}) of the model the golden was generated
 * from; in {@code backward()} the first line that mentions an adjoint's field is the statement that computes it (the
 * body is in dependency order), and the chain-rule comment nearest above it — among the comments of adjoints that
 * have a statement — must be that adjoint's own. No statement may come before the first comment.
 */
class BackwardCommentsTest {
  /** The model of the processor tests' inline golden (NnProcessorEndToEndTest.NEURON). */
  private static final String NEURON =
      "model Neuron { input x, y; param w, b; z = w x + b; a = σ z; L = −(y ln a + (1 − y) ln(1 − a)) }";

  static Stream<Path> goldens() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path root : List.of(ExamplesTest.GOLDEN, Path.of("src/test/resources/processor-goldens"))) {
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(out::add);
      }
    }
    return out.stream();
  }

  /** The models the goldens come from, by class name. */
  private static Map<String, DiffModel> models() throws IOException {
    Map<String, DiffModel> out = new HashMap<>();
    List<Result> results = new ArrayList<>(ExamplesTest.compileExamples());
    results.add(Pipeline.compile("neuron.nn", NEURON, ""));
    for (Result r : results) {
      for (int i = 0; i < r.files().size(); i++) {
        out.put(r.derivatives().get(i).model().names().className(), r.derivatives().get(i));
      }
    }
    return out;
  }

  private static List<String> backwardBody(List<String> lines) {
    int start = -1;
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).equals("  public void backward() {")) start = i;
    assertTrue(start >= 0, "no backward()");
    List<String> body = new ArrayList<>();
    for (int i = start + 1; !lines.get(i).equals("  }"); i++) body.add(lines.get(i).trim());
    return body;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void everyAdjointIsComputedUnderItsOwnComment(Path golden) throws IOException {
    String className = golden.getFileName().toString().replace(".java", "");
    DiffModel dm = models().get(className);
    assertNotNull(dm, "the model of " + golden);
    NameTable names = dm.model().names();
    List<String> body = backwardBody(Files.readAllLines(golden, StandardCharsets.UTF_8));

    // the adjoints with a statement of their own: their field is mentioned in backward()
    Map<String, Pattern> field = new HashMap<>();
    Map<String, String> symbol = new HashMap<>();
    Map<String, Integer> firstMention = new HashMap<>();
    for (Adjoint a : dm.adjoints()) {
      if (a.kind() == Adjoint.Kind.LOSS) continue;
      NameTable.Entry e = names.get(a.name());
      symbol.put(a.name(), "// " + MathPrinter.labelled(MathPrinter.Notation.UNICODE, Map.of()).label(Label.adjoint(names, a.name())));
      Pattern p = Pattern.compile("(?<![\\w$])" + Pattern.quote(e.gradientJava()) + "(?![\\w$])");
      field.put(a.name(), p);
      for (int i = 0; i < body.size(); i++) {
        if (!body.get(i).startsWith("//") && p.matcher(body.get(i)).find()) {
          firstMention.put(a.name(), i);
          break;
        }
      }
    }
    assertTrue(firstMention.size() >= 1, className + ": adjoints computed in backward(): " + firstMention.keySet());

    int firstCode = 0;
    while (firstCode < body.size() && body.get(firstCode).startsWith("//")) firstCode++;
    assertTrue(firstCode > 0, className + ": backward() starts with a statement that has no comment");

    for (Map.Entry<String, Integer> m : firstMention.entrySet()) {
      // A recurrence's loop computes the gradients of every operand of its step at once: the later ones' comments say
      // so ("computed by the loop over the steps of h above"); their accumulators are zeroed inside that loop's block.
      int own = -1;
      for (int i = 0; i < body.size() && own < 0; i++) {
        if (isCommentOf(body.get(i), symbol.get(m.getKey()))) own = i;
      }
      if (own > m.getValue() && own + 1 < body.size()
          && body.get(own + 1).startsWith("// (computed by the loop over the steps of")) {
        int loop = -1;
        for (int i = m.getValue(); i >= 0 && loop < 0; i--) {
          if (body.get(i).startsWith("// backpropagation through time over ")) loop = i;
        }
        assertTrue(loop >= 0, className + ": " + symbol.get(m.getKey()).substring(3)
            + " is said to be computed by a recurrence's loop above its comment, but is not");
        continue;
      }
      String under = null;
      for (int i = m.getValue() - 1; i >= 0 && under == null; i--) {
        String line = body.get(i);
        if (!line.startsWith("// ∂")) continue;
        for (String other : firstMention.keySet()) {
          if (isCommentOf(line, symbol.get(other))) under = other;
        }
      }
      assertEquals(m.getKey(), under, className + ": '" + body.get(m.getValue()) + "' computes "
          + symbol.get(m.getKey()).substring(3) + " but sits under the comment of " + (under == null ? "no adjoint"
          : symbol.get(under).substring(3)));
    }
  }

  /** Whether {@code line} is the chain-rule comment of the adjoint spelled {@code symbol}: {@code // ∂L/∂W1[…] = …}. */
  private static boolean isCommentOf(String line, String symbol) {
    return line.startsWith(symbol) && line.length() > symbol.length()
        && (line.charAt(symbol.length()) == '[' || line.charAt(symbol.length()) == ' ');
  }
}
