package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.prim.BinaryPrim;
import dev.nnc.prim.InDomain;
import dev.nnc.prim.Prims;
import dev.nnc.prim.ReducePrim;
import dev.nnc.prim.Symbol;
import dev.nnc.prim.UnaryPrim;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Interpreter vs generated Java for every entry of the registry: one model per entry that has a spelling (operands
 * mapped into its test domain), all compiled in one javac run and checked value by value, gradient by gradient.
 * The entries without a spelling (NEG, STEP, SIGN, LEAKY_STEP, GE) appear in those models' derivatives; the test
 * checks that every entry's op is in some model's compiled graph, so no entry goes unchecked.
 */
class RegistryAgreementTest {
  private static final String HEAD = "  input r[4]\n  param x[4], z[4], X[3, 4]\n";

  /** A model with one value per expression ({@code y0 = …}), all feeding the loss through a random weighting r. */
  private static String model(String name, List<String> ys) {
    StringBuilder m = new StringBuilder("model " + name + " {\n" + HEAD);
    StringBuilder loss = new StringBuilder("  L = 0.5 sum(x * x) + sum(z) + sum(X)");
    for (int i = 0; i < ys.size(); i++) {
      m.append("  y").append(i).append(" = ").append(ys.get(i)).append("\n");
      loss.append(" + sum(y").append(i).append(" * r)");
    }
    return m.append(loss).append("\n  loss L\n}\n").toString();
  }

  /** Three models: the elementwise functions (every spelling), the binary operations, the reductions. */
  static List<String> sources() {
    List<String> unary = new ArrayList<>();
    for (UnaryPrim p : Prims.unaries()) {
      String arg = InDomain.text(p.domain(), "x");
      for (String s : p.spellings()) {
        unary.add(p.param() == null ? s + "(" + arg + ")" : s + "(" + arg + ", " + p.param().example() + ")");
      }
      if (p.param() != null && !p.spellings().isEmpty()) unary.add(p.spellings().get(0) + "(" + arg + ")");
    }
    List<String> binary = new ArrayList<>();
    for (BinaryPrim p : Prims.binaries()) {
      String a = InDomain.text(p.domains().get(0), "x");
      String b = InDomain.text(p.domains().get(1), "z");
      if (!p.spellings().isEmpty()) {
        for (String s : p.spellings()) binary.add(s + "(" + a + ", " + b + ")");
      } else if (p.notation().style() != Symbol.Style.COMPARE) {
        binary.add("(" + a + ") " + p.notation().ascii() + " (" + b + ")");
      }
    }
    List<String> reduce = new ArrayList<>();
    for (ReducePrim p : Prims.reductions()) {
      for (String s : p.spellings()) reduce.add(s + "(" + InDomain.text(p.domain(), "X") + ", axis=0) + x");
    }
    return List.of(model("Elementwise", unary), model("Binary", binary), model("Reductions", reduce));
  }

  @Test
  void everyEntryAgreesBetweenInterpreterAndGeneratedJava() throws Exception {
    List<Result> results = new ArrayList<>();
    List<String> sources = sources();
    for (int i = 0; i < sources.size(); i++) results.add(Pipeline.compile("entry" + i + ".nn", sources.get(i), "entries"));
    int compared = Pipeline.compileAndAgree(results, 20261130L);
    assertTrue(compared > 200, compared + " numbers compared");

    Set<String> seen = new HashSet<>();
    for (Result r : results) for (DiffModel dm : r.derivatives()) seen.addAll(opsIn(dm));
    Set<String> missing = new TreeSet<>();
    for (UnaryPrim p : Prims.unaries()) if (!seen.contains("unary " + p.op())) missing.add("unary " + p.op());
    for (BinaryPrim p : Prims.binaries()) if (!seen.contains("binary " + p.op())) missing.add("binary " + p.op());
    for (ReducePrim p : Prims.reductions()) if (!seen.contains("reduce " + p.op())) missing.add("reduce " + p.op());
    assertEquals(Set.of(), missing, "entries no compiled model exercised");
  }

  /** The ops of every node the compiled model computes: its values and its adjoints. */
  private static Set<String> opsIn(DiffModel dm) {
    Deque<Expr> stack = new ArrayDeque<>();
    for (ModelIR.Value v : dm.model().values()) stack.push(v.node());
    for (Adjoint a : dm.adjoints()) if (a.value() != null) stack.push(a.value());
    Set<Expr> visited = new HashSet<>();
    Set<String> ops = new HashSet<>();
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (!visited.add(e)) continue;
      if (e instanceof Expr.Unary u) ops.add("unary " + u.op());
      if (e instanceof Expr.Binary b) ops.add("binary " + b.op());
      if (e instanceof Expr.Reduce r) ops.add("reduce " + r.op());
      for (Expr in : e.inputs()) stack.push(in);
    }
    return ops;
  }
}
