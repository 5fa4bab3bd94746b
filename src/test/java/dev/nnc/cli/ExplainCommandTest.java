package dev.nnc.cli;

import static dev.nnc.cli.GradEvalCommandsTest.nnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Source;
import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.NameTable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code nnc explain}: the page's structure on every example — every part present, and everything that belongs to
 * a statement marked with the same {@code data-stmt} (its graph nodes, chain-rule step, trace rows and Java lines).
 * What a browser does with it is {@link ExplainBrowserTest}'s.
 */
class ExplainCommandTest {
  /** A point for each example that binds every input and param (scalars by value, tensors at random). */
  static final Map<String, List<String>> POINTS = new TreeMap<>(Map.of(
      "apple.nn", List.of("apple=100", "apple_num=2", "tax=1.1"),
      "computation_graph.nn", List.of("a=5", "b=3", "c=2"),
      "logistic_regression.nn", List.of("y=1", "b=0.5", "--random", "1"),
      "logistic_regression_batch.nn", List.of("b=0.1", "--random", "1"),
      "mnist_cnn.nn", List.of("--random", "1", "--dim", "B=2"),
      "newton_logistic.nn", List.of("--random", "1"),
      "rnn.nn", List.of("--random", "1", "--dim", "B=2"),
      "two_layer_net.nn", List.of("--random", "1", "--dim", "B=4"),
      "two_layer_net_onehot.nn", List.of("--random", "1", "--dim", "B=4")));

  /** Every example, with its point: a new example must be given one here. */
  static List<Path> examples() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("examples"))) {
      List<Path> out = new ArrayList<>(s.filter(p -> p.toString().endsWith(".nn")).sorted().toList());
      for (Path p : out) assertTrue(POINTS.containsKey(p.getFileName().toString()), "no point for " + p);
      return out;
    }
  }

  static Document page(Path example, Path out, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("explain", example.toString()));
    args.addAll(List.of(extra));
    args.addAll(List.of("-o", out.toString()));
    GradEvalCommandsTest.Run r = nnc(args.toArray(String[]::new));
    assertEquals(0, r.status(), example + ": " + r.err());
    assertEquals(out + "\n", r.out());
    return parse(Files.readAllBytes(out));
  }

  static Document parse(byte[] page) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(page));
  }

  @Test
  void everyExampleHasEveryPartAndEveryStatementItsNodesStepsRowsAndJava(@TempDir Path dir) throws Exception {
    for (Path example : examples()) {
      String file = example.getFileName().toString();
      Document doc = page(example, dir.resolve(file + ".html"), POINTS.get(file).toArray(String[]::new));
      Result result = Compiler.compile(Source.of(example.toString(), Files.readString(example)),
          Compiler.Options.defaults());
      assertFalse(result.hasErrors(), file);
      List<Element> articles = elements(doc.getDocumentElement(), "article", "model");
      assertEquals(result.models().size(), articles.size(), file);
      for (int m = 0; m < articles.size(); m++) {
        checkArticle(file, articles.get(m), result.models().get(m), result.derivatives().get(m),
            result.files().get(m).content());
      }
    }
  }

  private static void checkArticle(String file, Element article, ModelIR model, DiffModel dm, String java) {
    NameTable names = model.names();
    Set<String> javaIds = new HashSet<>();
    for (NameTable.Entry e : names.entries()) javaIds.add(e.java());
    // the picture is nnc's SVG, with every node tied to a name of the model
    List<Element> nodes = elements(article, "g", "node");
    assertFalse(nodes.isEmpty(), file);
    assertEquals(1, article.getElementsByTagName("svg").getLength(), file);
    // the chain rule: one MathML step per adjoint but the loss's
    List<Element> steps = elements(article, "div", "step");
    long adjoints = dm.adjoints().stream().filter(a -> a.kind() != Adjoint.Kind.LOSS).count();
    assertEquals(adjoints, steps.size(), file);
    for (Element s : steps) {
      Element math = (Element) s.getElementsByTagName("math").item(0);
      assertNotNull(math, file);
      assertTrue(math.getElementsByTagName("mo").getLength() > 0, file + ": " + math.getTextContent());
    }
    List<Element> rows = elements(article, "span", "row");
    List<Element> javaLines = elements(article, "span", "jl");
    // the page shows the Java nnc compile writes, line for line
    StringBuilder shown = new StringBuilder();
    for (Element l : javaLines) shown.append(l.getTextContent()).append('\n');
    assertEquals(java, shown.toString(), file);
    // every mark is a Java identifier of the model's name table
    for (String tag : List.of("span", "g", "div")) {
      NodeList all = article.getElementsByTagName(tag);
      for (int i = 0; i < all.getLength(); i++) {
        Element e = (Element) all.item(i);
        if (e.hasAttribute("data-stmt")) assertTrue(javaIds.contains(e.getAttribute("data-stmt")), file + ": " + e);
      }
    }
    // every statement has its graph nodes, its forward Java and its trace rows; its chain-rule step (its own adjoint,
    // or for the loss the steps that go through it)
    List<Element> statements = elements(article, "span", "stmt");
    assertFalse(statements.isEmpty(), file);
    for (Element s : statements) {
      String key = s.getAttribute("data-stmt");
      String where = file + ": statement " + s.getTextContent();
      assertTrue(nodes.stream().anyMatch(n -> key.equals(n.getAttribute("data-stmt"))), where + ": no graph node");
      assertTrue(rows.stream().anyMatch(n -> key.equals(n.getAttribute("data-stmt"))), where + ": no trace row");
      assertTrue(javaLines.stream().anyMatch(l -> key.equals(l.getAttribute("data-stmt"))
          && "forward".equals(l.getAttribute("data-pass"))), where + ": no forward Java");
      boolean own = steps.stream().anyMatch(n -> key.equals(n.getAttribute("data-stmt")));
      boolean through = steps.stream().anyMatch(n -> List.of(n.getAttribute("data-via").split(" ")).contains(key));
      assertTrue(own || through, where + ": no chain-rule step");
    }
    // every param has its node, its step and the backward Java that fills its gradient
    for (ModelIR.Leaf p : model.params()) {
      String key = names.get(p.name()).java();
      assertTrue(nodes.stream().anyMatch(n -> key.equals(n.getAttribute("data-stmt"))), file + ": node " + key);
      assertTrue(steps.stream().anyMatch(n -> key.equals(n.getAttribute("data-stmt"))), file + ": step " + key);
      assertTrue(javaLines.stream().anyMatch(l -> key.equals(l.getAttribute("data-stmt"))
          && "backward".equals(l.getAttribute("data-pass"))), file + ": backward Java of " + key);
    }
  }

  @Test
  void theComputationGraphsStatementOwnsItsJavaAndEachParamItsGradient(@TempDir Path dir) throws Exception {
    Document doc = page(Path.of("examples/computation_graph.nn"), dir.resolve("cg.html"), "a=5", "b=3", "c=2");
    assertEquals(List.of("// J = 3(a + b c)   (computation_graph.nn:2)", "J = 3.0 * (a + b * c);"),
        javaOf(doc, "J", "forward"));
    assertEquals(List.of("// ∂J/∂b = 3c   (computation_graph.nn:2)", "db = 3.0 * c;"), javaOf(doc, "b", "backward"));
    assertEquals(List.of(), javaOf(doc, "J", "backward")); // the loss's adjoint is 1: nothing computes it
    // the course's split: u = b c and v = a + u are parts of the statement J
    List<String> ofJ = new ArrayList<>();
    for (Element n : elements(doc.getDocumentElement(), "g", "node")) {
      if ("J".equals(n.getAttribute("data-stmt"))) ofJ.add(n.getAttribute("data-name"));
    }
    assertEquals(List.of("u", "v", "J"), ofJ);
    List<String> rowsOfB = new ArrayList<>();
    for (Element r : elements(doc.getDocumentElement(), "span", "row")) {
      if ("b".equals(r.getAttribute("data-stmt"))) rowsOfB.add(r.getTextContent());
    }
    assertEquals(List.of("∂J/∂b = ∂J/∂u · ∂u/∂b = ∂J/∂u · c = 3 · 2 = 6"), rowsOfB);
  }

  @Test
  void theTraceIsNncTracesOwn(@TempDir Path dir) throws Exception {
    for (String file : List.of("apple.nn", "logistic_regression.nn", "two_layer_net_onehot.nn")) {
      Document doc = page(Path.of("examples", file), dir.resolve(file + ".html"),
          POINTS.get(file).toArray(String[]::new));
      List<String> args = new ArrayList<>(List.of("trace", "examples/" + file));
      args.addAll(POINTS.get(file));
      GradEvalCommandsTest.Run trace = nnc(args.toArray(String[]::new));
      assertEquals(0, trace.status(), trace.err());
      List<String> expected = trace.out().lines().filter(l -> l.startsWith("  ")).map(String::strip).toList();
      List<String> rows = elements(doc.getDocumentElement(), "span", "row").stream().map(Element::getTextContent)
          .toList();
      assertEquals(expected, rows, file);
    }
  }

  @Test
  void marksAreTheNameTablesJavaIdentifiersNotTheSpellings(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("names.nn");
    Files.writeString(model, "J = (θ − class)² + λ W₁\n", StandardCharsets.UTF_8);
    Document doc = page(model, dir.resolve("names.html"), "θ=1", "class=2", "λ=0.5", "W₁=3");
    Map<String, String> nodes = new TreeMap<>();
    for (Element n : elements(doc.getDocumentElement(), "g", "node")) {
      nodes.put(n.getAttribute("data-name"), n.getAttribute("data-stmt"));
    }
    assertEquals(Map.of("θ", "theta", "class", "class_", "λ", "lambda", "W₁", "W1", "u", "J", "v", "J", "w", "J",
        "J", "J"), nodes);
    assertEquals(List.of("// ∂J/∂θ = 2(θ−class)   (names.nn:1)", "dTheta = 2.0 * t2;"), // θ's gradient field: dTheta
        javaOf(doc, "theta", "backward"));
  }

  static final String TWO_MODELS = "model A {\n  param a, b\n  J = a b\n  loss J\n}\nmodel B {\n  param c\n"
      + "  K = c²\n  loss K\n}\n";

  @Test
  void aFileWithTwoModelsHasAnArticleForEach(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("two.nn");
    Files.writeString(file, TWO_MODELS, StandardCharsets.UTF_8);
    Document doc = page(file, dir.resolve("two.html"), "a=1", "b=2", "c=3");
    List<Element> articles = elements(doc.getDocumentElement(), "article", "model");
    assertEquals(List.of("A", "B"), articles.stream().map(a -> a.getAttribute("data-model")).toList());
    // each shows the whole file, but only its own model's statements are marked
    assertEquals(List.of("J = a b"), elements(articles.get(0), "span", "stmt").stream().map(Element::getTextContent)
        .toList());
    assertEquals(List.of("K = c²"), elements(articles.get(1), "span", "stmt").stream().map(Element::getTextContent)
        .toList());
    assertTrue(javaOf(articles.get(1), "c", "backward").contains("dc = 2.0 * c;"), javaOf(articles.get(1), "c",
        "backward").toString());
  }

  @Test
  void declaredNamesAreMarkedWhereTheyAreDeclared(@TempDir Path dir) throws Exception {
    Document doc = page(Path.of("examples/logistic_regression.nn"), dir.resolve("lr.html"), "y=1", "b=0.5",
        "--random", "1");
    Map<String, String> marked = new TreeMap<>();
    for (Element d : elements(doc.getDocumentElement(), "span", "decl")) {
      marked.put(d.getAttribute("data-stmt"), d.getTextContent());
    }
    assertEquals(Map.of("x", "x", "y", "y", "w", "w", "b", "b"), marked); // each name where it is declared
    Map<String, String> statements = new TreeMap<>();
    for (Element d : elements(doc.getDocumentElement(), "span", "stmt")) {
      statements.put(d.getAttribute("data-stmt"), d.getTextContent());
    }
    assertEquals(Map.of("z", "z = wᵀx + b", "a", "a = σ(z)", "L", "L = −(y log a + (1−y) log(1−a))"), statements);
  }

  @Test
  void samePageEveryTimeAndNothingFromElsewhere(@TempDir Path dir) throws Exception {
    Path example = Path.of("examples/two_layer_net.nn");
    String[] point = POINTS.get("two_layer_net.nn").toArray(String[]::new);
    page(example, dir.resolve("a.html"), point);
    page(example, dir.resolve("b.html"), point);
    byte[] a = Files.readAllBytes(dir.resolve("a.html"));
    assertEquals(new String(a, StandardCharsets.UTF_8), Files.readString(dir.resolve("b.html")));
    String text = new String(a, StandardCharsets.UTF_8);
    String withoutNamespaces = text.replace("http://www.w3.org/1999/xhtml", "")
        .replace("http://www.w3.org/2000/svg", "").replace("http://www.w3.org/1998/Math/MathML", "");
    assertFalse(withoutNamespaces.contains("://"), "a URL in the page");
    for (String external : List.of("<link", " src=", "@import", "url(http")) {
      assertFalse(text.contains(external), external);
    }
  }

  @Test
  void withoutAPointTheGraphIsBareAndTheTraceSaysHowToGetOne(@TempDir Path dir) throws Exception {
    Document doc = page(Path.of("examples/apple.nn"), dir.resolve("apple.html"));
    assertTrue(elements(doc.getDocumentElement(), "span", "row").isEmpty());
    assertFalse(elements(doc.getDocumentElement(), "g", "node").isEmpty());
    assertTrue(elements(doc.getDocumentElement(), "text", "value").isEmpty());
    assertTrue(Files.readString(dir.resolve("apple.html")).contains("<code>--random SEED</code>"));
  }

  @Test
  void badValuesAreReportedAsByTrace() {
    GradEvalCommandsTest.Run r = nnc("explain", "examples/apple.nn", "pear=1");
    assertEquals(1, r.status());
    assertTrue(r.err().contains("unknown name pear"), r.err());
  }

  private static List<String> javaOf(Document doc, String key, String pass) {
    return javaOf(doc.getDocumentElement(), key, pass);
  }

  private static List<String> javaOf(Element root, String key, String pass) {
    List<String> out = new ArrayList<>();
    for (Element l : elements(root, "span", "jl")) {
      if (key.equals(l.getAttribute("data-stmt")) && pass.equals(l.getAttribute("data-pass"))) {
        out.add(l.getTextContent().strip());
      }
    }
    return out;
  }

  /** Descendants {@code <tag>} whose class list has {@code cls}. */
  static List<Element> elements(Element root, String tag, String cls) {
    List<Element> out = new ArrayList<>();
    NodeList all = root.getElementsByTagName(tag);
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (List.of(e.getAttribute("class").split(" ")).contains(cls)) out.add(e);
    }
    return out;
  }
}
