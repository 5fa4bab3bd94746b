package dev.nnc.cli;

import static dev.nnc.cli.GradEvalCommandsTest.nnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc explain}'s page in a real browser (headless Chromium over the DevTools protocol): it loads with no
 * console error, the graph and the formulas are drawn (pixels of a screenshot, and MathML's own layout), and a
 * real click on a statement highlights its Java lines, graph node and chain-rule step. Skipped, with a message,
 * where no Chromium is installed (Debian: {@code apt-get install chromium}; or {@code -Dnnc.chromium=PATH}).
 */
class ExplainBrowserTest {
  private static final int WIDTH = 1400;
  private static final int HEIGHT = 1000;
  @TempDir static Path dir;
  private static HeadlessChromium browser;

  @BeforeAll
  static void startBrowser() throws Exception {
    Path binary = HeadlessChromium.binary();
    Assumptions.assumeTrue(binary != null, "no Chromium found (chromium, chromium-browser or google-chrome on the "
        + "PATH, or -Dnnc.chromium=PATH): the browser tests of nnc explain are skipped; install it with "
        + "apt-get install chromium");
    browser = HeadlessChromium.start(binary, Files.createDirectories(dir.resolve("profile")), WIDTH, HEIGHT);
  }

  @AfterAll
  static void stopBrowser() throws Exception {
    if (browser != null) browser.close();
  }

  /** Writes the explain page of an example and loads it; returns its path. */
  static Path load(HeadlessChromium b, Path target, String example) throws Exception {
    List<String> args = new ArrayList<>(List.of("explain", "examples/" + example));
    args.addAll(ExplainCommandTest.POINTS.get(example));
    args.addAll(List.of("-o", target.toString()));
    GradEvalCommandsTest.Run r = nnc(args.toArray(String[]::new));
    assertEquals(0, r.status(), r.err());
    b.clearErrors();
    b.navigate(target.toUri().toString());
    return target;
  }

  @Test
  void theErrorProbeSeesConsoleErrors() throws Exception {
    // the no-console-error assertions below can fail: an error the page logs is seen
    browser.navigate("about:blank");
    browser.clearErrors();
    browser.eval("console.error('probe'); setTimeout(function () { null.x; }, 0); 1");
    browser.eval("new Promise(function (r) { setTimeout(r, 50); })");
    List<String> errors = browser.errors();
    assertTrue(errors.stream().anyMatch(e -> e.contains("probe")), errors.toString());
    assertTrue(errors.stream().anyMatch(e -> e.startsWith("exception:")), errors.toString());
  }

  @Test
  void everyExamplesPageLoadsCleanlyWithItsGraphAndFormulasDrawn() throws Exception {
    for (String example : ExplainCommandTest.POINTS.keySet()) {
      load(browser, dir.resolve(example + ".html"), example);
      // the graph: nnc's SVG, drawn with ink, values in green and gradients in red
      double[] svg = box("section.graph svg");
      assertTrue(svg[2] > 100 && svg[3] > 50, example + ": graph size " + svg[2] + "×" + svg[3]);
      Ink graph = ink(browser.screenshot(svg[0], svg[1], Math.min(svg[2], WIDTH), Math.min(svg[3], 800)));
      assertTrue(graph.dark() > 0.005, example + ": graph ink " + graph);
      assertTrue(graph.green() > 20 && graph.red() > 20, example + ": values and gradients drawn " + graph);
      // the formulas: MathML laid out as math (a fraction's numerator above its denominator), drawn with ink
      String fraction = "document.querySelector('.step math mfrac')";
      double numeratorBottom = num(browser.eval(fraction + ".children[0].getBoundingClientRect().bottom"));
      double denominatorTop = num(browser.eval(fraction + ".children[1].getBoundingClientRect().top"));
      assertTrue(numeratorBottom <= denominatorTop + 0.5, example + ": ∂L/∂x laid out as a fraction");
      double[] math = box(".step math");
      assertTrue(math[3] > 20, example + ": a formula's height " + math[3]);
      Ink formula = ink(browser.screenshot(math[0], math[1], math[2], math[3]));
      assertTrue(formula.dark() > 0.02, example + ": formula ink " + formula);
      assertEquals(List.of(), browser.errors(), example + ": console errors");
    }
  }

  @Test
  void clickingAStatementHighlightsItsJavaItsNodeAndItsStep() throws Exception {
    load(browser, dir.resolve("lr.html"), "logistic_regression.nn");
    assertEquals(0.0, num(browser.eval("document.querySelector('pre.java').scrollTop")));
    clickOn(".stmt[data-stmt=\"a\"]");
    Map<?, ?> state = highlighted();
    List<?> java = (List<?>) state.get("java");
    assertFalse(java.isEmpty());
    assertEquals("a|forward|// a = σ(z)   (logistic_regression.nn:6)", java.get(0));
    for (Object line : java) assertTrue(((String) line).startsWith("a|"), "only a's lines: " + java);
    assertEquals(state.get("marked"), (double) java.size(), "every line marked for a, and no other");
    assertEquals(List.of("a"), state.get("nodes"));
    assertEquals(List.of("a"), state.get("steps"));
    assertEquals(List.of("z"), state.get("via")); // ∂L/∂z = ∂L/∂a · ∂a/∂z goes through a
    assertEquals("rgb(191, 135, 0)", state.get("stroke"));
    assertTrue(num(browser.eval("document.querySelector('pre.java').scrollTop")) > 0, "the Java scrolled to a");

    // a param's declaration: the backward lines that fill its gradient, and nothing of a any more
    clickOn(".decl[data-stmt=\"w\"]");
    state = highlighted();
    java = (List<?>) state.get("java");
    assertFalse(java.isEmpty());
    for (Object line : java) assertTrue(((String) line).startsWith("w|backward|"), "w's gradient: " + java);
    assertTrue(java.stream().anyMatch(l -> ((String) l).contains("dw[")), java.toString());
    assertEquals(List.of("w"), state.get("nodes"));
    assertEquals(List.of("w"), state.get("steps"));
    assertEquals(List.of(), browser.errors());
  }

  @Test
  void clickingAGraphNodeHighlightsItsStatementAndEveryNodeOfIt() throws Exception {
    load(browser, dir.resolve("cg.html"), "computation_graph.nn");
    clickOn("g.node[data-name=\"u\"] rect"); // u = b c, a part of J = 3(a + b c)
    List<?> statements = (List<?>) browser.eval("Array.prototype.slice.call(document.querySelectorAll('.stmt.hl'))"
        + ".map(function (e) { return e.textContent; })");
    assertEquals(List.of("J = 3(a + b c)"), statements);
    List<?> nodes = (List<?>) browser.eval("Array.prototype.slice.call(document.querySelectorAll('g.node.hl'))"
        + ".map(function (e) { return e.getAttribute('data-name'); })");
    assertEquals(List.of("u", "v", "J"), nodes);
    List<?> via = (List<?>) browser.eval("Array.prototype.slice.call(document.querySelectorAll('.step.via'))"
        + ".map(function (e) { return e.getAttribute('data-stmt'); })");
    assertEquals(List.of("a", "b", "c"), via); // every param's step goes through J
    assertEquals(List.of(), browser.errors());
  }

  @Test
  void aClickHighlightsOnlyInItsOwnModel() throws Exception {
    Path file = dir.resolve("two.nn");
    Files.writeString(file, ExplainCommandTest.TWO_MODELS);
    GradEvalCommandsTest.Run r = nnc("explain", file.toString(), "a=1", "b=2", "c=3", "-o",
        dir.resolve("two.html").toString());
    assertEquals(0, r.status(), r.err());
    browser.clearErrors();
    browser.navigate(dir.resolve("two.html").toUri().toString());
    clickOn("article[data-model=\"A\"] .stmt");
    clickOn("article[data-model=\"B\"] .stmt");
    List<?> where = (List<?>) browser.eval("Array.prototype.slice.call(document.querySelectorAll('.hl'))"
        + ".map(function (e) { return e.closest('article').getAttribute('data-model'); })");
    assertFalse(where.isEmpty());
    assertTrue(where.stream().allMatch("B"::equals), "A's highlight cleared, B's shown: " + where);
    assertEquals(List.of(), browser.errors());
  }

  private static Map<?, ?> highlighted() throws Exception {
    return (Map<?, ?>) browser.eval("(function () {"
        + "function all(s) { return Array.prototype.slice.call(document.querySelectorAll(s)); }"
        + "var key = all('.stmt.hl, .decl.hl').map(function (e) { return e.getAttribute('data-stmt'); })[0];"
        + "var rect = document.querySelector('g.node.hl rect');"
        + "return {"
        + " java: all('pre.java .jl.hl').map(function (e) { return e.getAttribute('data-stmt') + '|'"
        + "   + e.getAttribute('data-pass') + '|' + e.textContent.trim(); }),"
        + " marked: all('pre.java .jl').filter(function (e) { return e.getAttribute('data-stmt') === key; }).length,"
        + " nodes: all('g.node.hl').map(function (e) { return e.getAttribute('data-name'); }),"
        + " steps: all('.step.hl').map(function (e) { return e.getAttribute('data-stmt'); }),"
        + " via: all('.step.via').map(function (e) { return e.getAttribute('data-stmt'); }),"
        + " stroke: rect ? getComputedStyle(rect).stroke : null };"
        + "})()");
  }

  /** Scrolls an element into view and clicks its centre with the mouse. */
  private static void clickOn(String selector) throws Exception {
    String el = "document.querySelector(" + Json.quote(selector) + ")";
    browser.eval(el + ".scrollIntoView({block: 'center'}); 0");
    double x = num(browser.eval("(function (r) { return r.left + r.width / 2; })(" + el + ".getBoundingClientRect())"));
    double y = num(browser.eval("(function (r) { return r.top + r.height / 2; })(" + el + ".getBoundingClientRect())"));
    browser.click(x, y);
  }

  /** An element's box in document coordinates: x, y, width, height. */
  private static double[] box(String selector) throws Exception {
    List<?> r = (List<?>) browser.eval("(function (e) { var r = e.getBoundingClientRect(); return [r.left + "
        + "window.scrollX, r.top + window.scrollY, r.width, r.height]; })(document.querySelector("
        + Json.quote(selector) + "))");
    return new double[] {num(r.get(0)), num(r.get(1)), num(r.get(2)), num(r.get(3))};
  }

  private static double num(Object o) {
    return ((Number) o).doubleValue();
  }

  /** What a region shows: the share of dark pixels, and counts of clearly green and clearly red ones. */
  record Ink(double dark, int green, int red) {}

  static Ink ink(BufferedImage image) {
    int dark = 0;
    int green = 0;
    int red = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (r + g + b < 3 * 160) dark++;
        if (g > r + 50 && g > b + 30) green++;
        if (r > g + 90 && r > b + 60) red++;
      }
    }
    return new Ink((double) dark / (image.getWidth() * image.getHeight()), green, red);
  }
}
