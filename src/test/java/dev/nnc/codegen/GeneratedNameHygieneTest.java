package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.JavaFileObjects;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * No model name can break the generated class by colliding with a name the generator emits. The identifiers are
 * collected from the generator itself, not from a hand list: every example and a model using every feature (matrix
 * kernels and their task class, every helper, normal initialisers, free dims, softmax, reductions) are generated,
 * and javac's parser lists every name their Java declares or mentions (classes, methods, fields, parameters, locals,
 * referenced types and packages). Then models whose model, value and param names are each of those identifiers are
 * generated, must compile under javac {@code --release 11 -Xlint:all -Werror}, and must agree with the interpreter.
 */
class GeneratedNameHygieneTest {
  static final String KITCHEN_SINK = """
      model Sink {
        dim N = 3, K = 2
        input X[B, N], y[B]
        param W[N, N] ~ normal(0, 0.5), V[N, K] ~ he, U[N] ~ xavier, c ~ uniform(-1, 1), s
        H = tanh(X W) + relu(X W) + σ(X W) + softplus(X W) + leaky_relu(X W, 0.1)
        P = softmax(H V)
        Q = log_softmax(H V, axis=0)
        m = max(H) + min(H, axis=0) · U + logsumexp(H) + mean(abs(H)) + max(c, s) + min(c, s)
        L = sum(P * Q) + m + sum((X U − y)²) + √(1 + c²) + exp(s) + sin(c) cos(s)
      }
      """;

  @Test
  void modelValueAndParamNamesThatAreGeneratorIdentifiersCompileAndAgree() throws Exception {
    Collected names = generatorIdentifiers();
    assertTrue(names.all().containsAll(List.of("KernelTask", "kernelRows", "sigmoid", "matmulNN", "gaussian",
        "forward", "Math", "learningRate", "offset")), "the collection sees the generator's own names: " + names.all());
    assertTrue(names.typesAndMethods().containsAll(List.of("KernelTask", "Math", "java", "RecursiveAction", "step",
        "sigmoid")), "and knows which name types, packages and methods: " + names.typesAndMethods());
    List<String> usable = new ArrayList<>();
    for (String id : names.all()) if (usableAsModelName(id)) usable.add(id);
    assertTrue(usable.size() > 80, usable.size() + " usable identifiers: " + usable);

    // One model whose params and values are named by every identifier, with the kitchen sink's features: it
    // compiles and agrees with the interpreter.
    Result all = Pipeline.compile("AllNames.nn", allNames(usable), "hygiene");
    int compared = Pipeline.compileAndAgree(List.of(all), 11);
    assertTrue(compared > usable.size(), compared + " numbers compared");
    // One model per identifier that names a type, a package or a method (a class name can only clash with those),
    // named by it, with matrix kernels (and their task class), helpers and a gaussian initialiser; all in one
    // package, so a class named like a java.lang type would also break the others.
    StringBuilder perName = new StringBuilder();
    for (String id : usable) {
      if (!names.typesAndMethods().contains(id)) continue;
      perName.append("model ").append(id).append(" {\n  dim Bq = 4, Nq = 3\n  input Xq[Bq, Nq]\n")
          .append("  param Wq[Nq, Nq] ~ normal(0, 1), cq\n")
          .append("  L = sum(tanh(Xq Wq)) + sum(σ(Xq Wq)) + relu(cq) + max(cq, 1)\n}\n");
    }
    Javac.compile(Pipeline.compile("PerName.nn", perName.toString(), "hygiene").files());
  }

  /** The reproducer of the issue: a model named like the matrix kernels' task class. */
  @Test
  void aModelNamedKernelTaskCompiles() throws Exception {
    Result r = Pipeline.compile("KernelTask.nn", """
        model KernelTask {
          dim B = 4, N = 3
          input X[B, N]
          param W[N, N] ~ xavier
          L = sum(tanh(X W))
        }
        """, "hygiene");
    assertTrue(Pipeline.compileAndAgree(List.of(r), 5) > 10);
  }

  private static String allNames(List<String> names) {
    StringBuilder s = new StringBuilder("model AllNames {\n  dim Nq = 3, Kq = 2\n  input Xq[Bq, Nq]\n"
        + "  param Wq[Nq, Nq] ~ normal(0, 0.5), Vq[Nq, Kq] ~ he\n");
    List<String> params = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) (i % 2 == 0 ? params : values).add(names.get(i));
    s.append("  param ").append(String.join(", ", params)).append('\n');
    String[] f = {"σ", "relu", "softplus", "tanh", "abs", "exp"};
    for (int i = 0; i < values.size(); i++) {
      String p = params.get(i % params.size());
      String q = params.get((i + 1) % params.size());
      s.append("  ").append(values.get(i)).append(" = ").append(f[i % f.length]).append("(").append(p).append(") + ")
          .append(i % 3 == 0 ? "max(" + p + ", " + q + ")" : i % 3 == 1 ? "min(" + p + ", " + q + ")" : p + " " + q)
          .append('\n');
    }
    s.append("  Hq = tanh(Xq Wq) + relu(Xq Wq Wq)\n  Pq = softmax(Hq Vq)\n");
    s.append("  Lq = sum(Pq) + ").append(String.join(" + ", values)).append('\n');
    s.append("  loss Lq\n}\n");
    return s.toString();
  }

  /** Whether the name is a legal .nn name (not a keyword or built-in, and a name token of its own). */
  private static boolean usableAsModelName(String id) {
    if (!id.matches("[A-Za-z_][A-Za-z0-9_]*")) return false;
    Result r = Compiler.compile(Source.of("probe.nn", "model " + id + " {\n  param " + id + "\n  L = " + id + "²\n}\n"),
        Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    return !r.hasErrors();
  }

  /** The names the generator's Java declares or mentions: all, and those naming types, packages or its own methods. */
  record Collected(TreeSet<String> all, TreeSet<String> typesAndMethods) {}

  /**
   * Every name the generated Java of the examples and the kitchen sink declares or refers to, found by javac
   * (parsed and attributed, so a referenced name is known to be a type, a package, a method or a variable).
   */
  static Collected generatorIdentifiers() throws IOException {
    List<JavaFileObject> sources = new ArrayList<>();
    List<Path> examples;
    try (Stream<Path> files = Files.list(Path.of("examples"))) {
      examples = files.filter(p -> p.toString().endsWith(".nn")).sorted().toList();
    }
    List<Map.Entry<String, String>> models = new ArrayList<>();
    for (Path p : examples) models.add(Map.entry(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8)));
    models.add(Map.entry("sink.nn", KITCHEN_SINK));
    for (Map.Entry<String, String> m : models) {
      Result r = Pipeline.compile(m.getKey(), m.getValue(), "collect");
      for (GeneratedFile g : r.files()) sources.add(JavaFileObjects.forSourceString(g.qualifiedName(), g.content()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    JavacTask task = (JavacTask) javac.getTask(null, null, null, List.of("-proc:none"), null, sources);
    Iterable<? extends CompilationUnitTree> units = task.parse();
    task.analyze();
    Trees trees = Trees.instance(task);
    TreeSet<String> all = new TreeSet<>();
    TreeSet<String> typesAndMethods = new TreeSet<>();
    TreePathScanner<Void, Void> scanner = new TreePathScanner<>() {
      private void referenced(String name) {
        all.add(name);
        Element e = trees.getElement(getCurrentPath());
        if (e == null) return;
        ElementKind k = e.getKind();
        // A referenced JDK method (getBytes) cannot clash with a class name; the class's own methods are added
        // where they are declared.
        if (k.isClass() || k.isInterface() || k == ElementKind.PACKAGE) typesAndMethods.add(name);
      }

      @Override
      public Void visitClass(ClassTree t, Void v) {
        all.add(t.getSimpleName().toString());
        typesAndMethods.add(t.getSimpleName().toString());
        return super.visitClass(t, v);
      }

      @Override
      public Void visitMethod(MethodTree t, Void v) {
        all.add(t.getName().toString());
        typesAndMethods.add(t.getName().toString());
        return super.visitMethod(t, v);
      }

      @Override
      public Void visitVariable(VariableTree t, Void v) {
        all.add(t.getName().toString());
        return super.visitVariable(t, v);
      }

      @Override
      public Void visitIdentifier(IdentifierTree t, Void v) {
        referenced(t.getName().toString());
        return super.visitIdentifier(t, v);
      }

      @Override
      public Void visitMemberSelect(MemberSelectTree t, Void v) {
        referenced(t.getIdentifier().toString());
        return super.visitMemberSelect(t, v);
      }
    };
    for (CompilationUnitTree unit : units) scanner.scan(unit, null);
    for (TreeSet<String> set : List.of(all, typesAndMethods)) {
      set.removeIf(n -> n.isEmpty() || n.equals("<init>") || n.equals("this") || n.equals("super")
          || n.equals("class") || n.equals("length"));
    }
    return new Collected(all, typesAndMethods);
  }
}
