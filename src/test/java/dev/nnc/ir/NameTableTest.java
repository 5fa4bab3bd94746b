package dev.nnc.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diag.Span;
import dev.nnc.notation.Label;
import dev.nnc.notation.MathPrinter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One model's names: spellings, Java identifiers that never collide, gradient fields and ∂L/∂x symbols. */
class NameTableTest {
  private static String unicode(Label label) {
    return MathPrinter.labelled(MathPrinter.Notation.UNICODE, Map.of()).label(label);
  }

  /**
   * dim n; input x[n]; param θ, W₁[n], class, w, dw_; values dw = …, θ₁ = …, theta1 = …, 𝓛 = … (the loss): every
   * kind of clash — a Greek letter, a subscript, a keyword, a value named like a gradient, two spellings with one
   * transliteration, and a non-ASCII loss.
   */
  private static ModelIR model() {
    Graph g = new Graph();
    Dim n = Dim.free("n");
    Expr.Var x = g.var("x", Role.INPUT, Shape.of(n));
    Expr.Var theta = g.var("θ", Role.PARAM, Shape.SCALAR);
    Expr.Var w1 = g.var("W1", Role.PARAM, Shape.of(n));
    Expr.Var cls = g.var("class", Role.PARAM, Shape.SCALAR);
    Expr.Var w = g.var("w", Role.PARAM, Shape.SCALAR);
    Expr dot = g.matmul(w1, x);
    Expr dw = g.mul(w, dot);
    Expr t1 = g.add(dw, theta);
    Expr t2 = g.mul(t1, cls);
    Expr two = g.constant(2);
    return new ModelIR("class", "names.nn", Span.NONE, List.of(new ModelIR.DimInfo("n", -1, Span.NONE)),
        List.of(new ModelIR.Leaf(x, "x", null, Span.NONE)),
        List.of(new ModelIR.Leaf(theta, "θ", ModelIR.Init.ZEROS, Span.NONE),
            new ModelIR.Leaf(w1, "W₁", ModelIR.Init.ZEROS, Span.NONE),
            new ModelIR.Leaf(cls, "class", ModelIR.Init.ZEROS, Span.NONE),
            new ModelIR.Leaf(w, "w", ModelIR.Init.ZEROS, Span.NONE)),
        List.of(new ModelIR.Value("dw", "dw", dw, "w W₁ x", Span.NONE),
            new ModelIR.Value("θ1", "θ₁", t1, "dw + θ", Span.NONE),
            new ModelIR.Value("theta1", "theta1", t2, "θ₁ class", Span.NONE),
            new ModelIR.Value("two", "two", two, "2", Span.NONE),
            new ModelIR.Value("𝓛", "𝓛", g.mul(t2, t2), "theta1²", Span.NONE)),
        List.of("theta1"), "𝓛", g);
  }

  @Test
  void everyNameHasItsSpellingItsIdentifierAndItsAdjoint() {
    NameTable t = model().names();
    assertEquals("class_", t.className());
    assertEquals("𝓛", t.lossSpelling());

    NameTable.Entry theta = t.get("θ");
    assertEquals(NameTable.Kind.PARAM, theta.kind());
    assertEquals("θ", theta.spelling());
    assertEquals("theta", theta.java());
    assertEquals("dTheta", theta.gradientJava());
    assertEquals(new Label.Partial("𝓛", "θ"), Label.adjoint(t, "θ"), "the adjoint symbol from the names");
    assertEquals("∂𝓛/∂θ", unicode(Label.adjoint(t, "θ")));
    assertEquals("d𝓛/dθ", MathPrinter.labelled(MathPrinter.Notation.ASCII, Map.of())
        .label(Label.adjoint(t, "θ")));
    assertEquals("thetaDot", theta.tangentJava(), "the tangent of jvp, claimed after every gradient");

    assertEquals("W₁", t.get("W1").spelling());
    assertEquals("W1", t.get("W1").java());
    assertEquals("dW1", t.get("W1").gradientJava());
    assertEquals("∂𝓛/∂W₁", unicode(Label.adjoint(t, "W1")));
    assertEquals("d𝓛/dW1", MathPrinter.labelled(MathPrinter.Notation.ASCII, Map.of())
        .label(Label.adjoint(t, "W1")), "subscripts as digits in ASCII");

    assertEquals("class_", t.get("class").java(), "a keyword steps aside");
    assertEquals("dclass", t.get("class").gradientJava());

    assertEquals(NameTable.Kind.INPUT, t.get("x").kind());
    assertNull(t.get("x").gradientJava(), "inputs have no gradient field");
    assertTrue(!t.get("x").hasAdjoint(), "inputs have no adjoint");
    assertThrows(IllegalArgumentException.class, () -> Label.adjoint(t, "x"));
    assertEquals("n", t.dimNamed("n").java());
    assertEquals(NameTable.Kind.DIM, t.dim(Dim.free("n")).kind());
  }

  @Test
  void modelNamesWinOverDerivedOnesAndClashesAreResolvedInOrder() {
    NameTable t = model().names();
    assertEquals("dw", t.get("dw").java(), "the value dw keeps its name");
    assertEquals("dw_", t.get("w").gradientJava(), "so w's gradient steps aside");
    assertEquals("theta1", t.get("θ1").java(), "θ₁ is claimed first (definition order)");
    assertEquals("theta1_", t.get("theta1").java(), "so theta1 steps aside");
    assertEquals("dtheta1", t.get("theta1").gradientJava());
    assertEquals("dTheta1", t.get("θ1").gradientJava(), "d + θ₁ reads dTheta1");
    assertNull(t.get("𝓛").gradientJava(), "the loss's adjoint is 1: no field");
    assertEquals("U1d4db", t.get("𝓛").java());
  }

  @Test
  void identifiersAreDistinctAndTheGeneratorsOwnNamesAvoidThemAll() {
    NameTable t = model().names();
    List<String> all = t.javaIdentifiers();
    assertEquals(all.size(), new HashSet<>(all).size(), "no two names share an identifier: " + all);
    for (String id : all) {
      assertTrue(!JavaIdentifiers.KEYWORDS.contains(id) && !JavaIdentifiers.RESERVED.contains(id), id);
    }
    JavaIdentifiers locals = t.javaScope();
    Set<String> fresh = new HashSet<>();
    for (String wanted : List.of("dw", "theta", "n", "i", "i", "Math", "class")) fresh.add(locals.fresh(wanted));
    assertEquals(Set.of("dw__", "theta_", "n_", "i", "i_", "Math_", "class__"), fresh);
    assertEquals("dw__", t.javaScope().fresh("dw"), "each scope starts from the table, not from another scope");
  }

  @Test
  void displayNamesNameEachNodeOnceAndNeverAConstant() {
    ModelIR m = model();
    Map<Expr, String> names = m.names().displayNames();
    assertEquals("θ", names.get(m.params().get(0).var()));
    assertEquals("W₁", names.get(m.params().get(1).var()));
    assertEquals("θ₁", names.get(m.value("θ1").node()));
    assertNull(names.get(m.value("two").node()), "a literal 2 stays 2");
    names.put(m.value("dw").node(), "changed");
    assertEquals("dw", m.names().displayNames().get(m.value("dw").node()), "callers get a copy");
    assertSame(m.names(), m.names(), "one table per model");
  }
}
