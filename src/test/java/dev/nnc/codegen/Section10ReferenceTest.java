package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.Result;
import dev.nnc.diff.DiffModel;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.NameTable;
import dev.nnc.ir.Numbers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The functions of LANGUAGE.md §10 against PyTorch: values and derivatives recorded in float64 by
 * src/test/python/record_section10_reference.py (never run here) must come out of the interpreter and out of the
 * generated Java (compiled with javac) — including at large arguments, where a naive form overflows.
 */
class Section10ReferenceTest {
  /** One recorded point. */
  record Row(String function, double param, double x, double value, double derivative) {}

  /** The rows of one function and argument: one model {@code y = f(x)}, {@code L = Σ y} over a vector of points. */
  record Group(String function, double param, List<Row> rows) {
    String call() {
      return function.equals("elu") ? "elu(x, " + Numbers.format(param) + ")" : function + "(x)";
    }

    String className() {
      return "Ref" + Character.toUpperCase(function.charAt(0)) + function.substring(1) + "_"
          + Numbers.format(param).replace('.', '_');
    }

    String source() {
      return "model " + className() + " {\n  param x[" + rows.size() + "]\n  y = " + call() + "\n  L = sum(y)\n  loss L\n}\n";
    }

    double[] points() {
      double[] x = new double[rows.size()];
      for (int i = 0; i < x.length; i++) x[i] = rows.get(i).x();
      return x;
    }
  }

  static List<Group> groups() throws Exception {
    Map<String, Group> groups = new LinkedHashMap<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        Section10ReferenceTest.class.getResourceAsStream("/prim/section10-reference.csv"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("#") || line.startsWith("function,")) continue;
        String[] f = line.split(",");
        Row r = new Row(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
            Double.parseDouble(f[4]));
        groups.computeIfAbsent(r.function() + "/" + r.param(), k -> new Group(r.function(), r.param(), new ArrayList<>()))
            .rows().add(r);
      }
    }
    return new ArrayList<>(groups.values());
  }

  /** PyTorch and Java's Math agree to a few ulps; tiny values (a gradient of 1e-18 vs 0) to an absolute 1e-15. */
  static void close(double expected, double actual, String what) {
    double tolerance = 1e-13 * Math.abs(expected) + 1e-15;
    if (!(Math.abs(expected - actual) <= tolerance)) fail(what + ": expected " + expected + " (torch), got " + actual);
  }

  @Test
  void interpreterAndGeneratedJavaMatchPyTorch() throws Exception {
    List<Group> groups = groups();
    assertEquals(List.of("log1p", "expm1", "sinh", "cosh", "tan", "atan", "elu", "silu", "gelu"),
        groups.stream().map(Group::function).distinct().toList());
    List<Result> results = new ArrayList<>();
    for (Group g : groups) results.add(Pipeline.compile(g.className() + ".nn", g.source(), "ref"));
    List<dev.nnc.codegen.GeneratedFile> files = new ArrayList<>();
    for (Result r : results) files.addAll(r.files());
    ClassLoader loader = Javac.compile(files);
    int compared = 0;
    for (int k = 0; k < groups.size(); k++) {
      Group g = groups.get(k);
      DiffModel dm = results.get(k).derivatives().get(0);
      double[] x = g.points();
      Interpreter in = Interpreter.forModel(dm.model(), Map.of(), Map.of("x", x));
      double[] y = in.eval(dm.model().values().get(0).node());
      double[] dx = in.eval(dm.adjoint("x").value());

      NameTable names = dm.model().names();
      Class<?> c = loader.loadClass(results.get(k).files().get(0).qualifiedName());
      Object model = c.getConstructor().newInstance();
      Agreement.set(c, model, names.get("x").java(), x);
      c.getMethod("forward").invoke(model);
      double[] javaY = Agreement.get(c, model, names.get("y").java());
      c.getMethod("backward").invoke(model);
      double[] javaDx = Agreement.get(c, model, names.get("x").gradientJava());

      for (int i = 0; i < x.length; i++) {
        Row r = g.rows().get(i);
        String at = g.call() + " at x = " + r.x();
        close(r.value(), y[i], "interpreter " + at);
        close(r.derivative(), dx[i], "interpreter derivative of " + at);
        close(r.value(), javaY[i], "generated Java " + at);
        close(r.derivative(), javaDx[i], "generated Java derivative of " + at);
        compared += 4;
      }
    }
    assertTrue(compared >= 300, compared + " numbers compared");
  }

}
