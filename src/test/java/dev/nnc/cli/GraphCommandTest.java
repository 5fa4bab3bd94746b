package dev.nnc.cli;

import static dev.nnc.cli.GradEvalCommandsTest.nnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** nnc graph: the computation graph with values and gradients, as DOT and as SVG drawn by nnc. */
class GraphCommandTest {
  @Test
  void dotHasEveryOperationWithItsValueAndGradient() {
    GradEvalCommandsTest.Run r = nnc("graph", "examples/computation_graph.nn", "a=5", "b=3", "c=2");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("n3 [label=<<b>u</b> = b c<br/><font color=\"#1a7f37\">6</font><br/>"
        + "<font color=\"#cf222e\">∂J/∂u = 3</font>>"), r.out());
    assertTrue(r.out().contains("n4 [label=<<b>v</b> = a + u<br/><font color=\"#1a7f37\">11</font>"), r.out());
    for (String edge : List.of("n1 -> n3", "n2 -> n3", "n0 -> n4", "n3 -> n4", "n4 -> n5")) {
      assertTrue(r.out().contains("  " + edge + ";\n"), edge + " in " + r.out());
    }
    assertEquals(5, r.out().lines().filter(l -> l.contains(" -> ")).count());
    // without a point: the bare graph
    GradEvalCommandsTest.Run bare = nnc("graph", "examples/computation_graph.nn");
    assertEquals(0, bare.status(), bare.err());
    assertFalse(bare.out().contains("∂J/∂"), bare.out());
  }

  @Test
  void svgIsWellFormedWithEveryNodeAndNoOverlap(@TempDir Path dir) throws Exception {
    Path svg = dir.resolve("apple.svg");
    GradEvalCommandsTest.Run r = nnc("graph", "examples/apple.nn", "apple=100", "apple_num=2", "tax=1.1", "-o",
        svg.toString());
    assertEquals(0, r.status(), r.err());
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(Files.readAllBytes(svg)));
    assertEquals("svg", doc.getDocumentElement().getTagName());
    Map<String, Element> nodes = new HashMap<>();
    NodeList groups = doc.getElementsByTagName("g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      if (g.getAttribute("class").startsWith("node")) nodes.put(g.getAttribute("data-name"), g);
    }
    // price = apple apple_num tax: one node per operation, the inner product named u as the course does
    assertEquals(java.util.Set.of("apple", "apple_num", "tax", "u", "price"), nodes.keySet());
    assertEquals("node loss", nodes.get("price").getAttribute("class"));
    assertEquals(List.of("u = apple apple_num", "200", "∂price/∂u = 1.1"), texts(nodes.get("u")));
    assertEquals(List.of("apple", "100", "∂price/∂apple = 2.2"), texts(nodes.get("apple")));
    List<double[]> boxes = new ArrayList<>();
    for (Element g : nodes.values()) {
      Element rect = (Element) g.getElementsByTagName("rect").item(0);
      double[] b = {num(rect, "x"), num(rect, "y"), num(rect, "width"), num(rect, "height")};
      for (double[] o : boxes) {
        boolean apart = b[0] + b[2] <= o[0] || o[0] + o[2] <= b[0] || b[1] + b[3] <= o[1] || o[1] + o[3] <= b[1];
        assertTrue(apart, "boxes overlap");
      }
      boxes.add(b);
      double width = num(doc.getDocumentElement(), "width");
      assertTrue(b[0] + b[2] <= width, "inside the picture");
    }
    NodeList paths = doc.getElementsByTagName("path");
    int edges = 0;
    for (int i = 0; i < paths.getLength(); i++) if ("edge".equals(((Element) paths.item(i)).getAttribute("class"))) edges++;
    assertEquals(4, edges);
  }

  @Test
  void twoLayerNetDrawsAtAPoint(@TempDir Path dir) throws Exception {
    Path svg = dir.resolve("net.svg");
    GradEvalCommandsTest.Run r = nnc("graph", "examples/two_layer_net.nn", "--random", "1", "--dim", "B=4", "-o",
        svg.toString());
    assertEquals(0, r.status(), r.err());
    String text = Files.readString(svg, StandardCharsets.UTF_8);
    assertTrue(text.contains(">∂L/∂W1 = ["), text);
    DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(
        StandardCharsets.UTF_8)));
  }

  @Test
  void anUnknownExtensionIsAUsageError(@TempDir Path dir) {
    GradEvalCommandsTest.Run r = nnc("graph", "examples/apple.nn", "-o", dir.resolve("x.png").toString());
    assertEquals(2, r.status());
    assertTrue(r.err().contains("OUT.svg or OUT.dot"), r.err());
  }

  private static List<String> texts(Element g) {
    List<String> out = new ArrayList<>();
    NodeList t = g.getElementsByTagName("text");
    for (int i = 0; i < t.getLength(); i++) out.add(t.item(i).getTextContent());
    return out;
  }

  private static double num(Element e, String attribute) {
    return Double.parseDouble(e.getAttribute(attribute));
  }
}
