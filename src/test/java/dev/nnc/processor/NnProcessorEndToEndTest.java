package dev.nnc.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.nnc.processor.ProcessorTesting.assertMatchesGolden;
import static dev.nnc.processor.ProcessorTesting.generated;
import static dev.nnc.processor.ProcessorTesting.java;
import static dev.nnc.processor.ProcessorTesting.javac;
import static dev.nnc.processor.ProcessorTesting.lenientJavac;
import static dev.nnc.processor.ProcessorTesting.processOnly;
import static dev.nnc.processor.ProcessorTesting.write;

import com.google.testing.compile.Compilation;
import dev.nnc.Compiler;
import dev.nnc.diag.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor with the real compiler, end to end: javac runs it, the generated classes are compared with golden
 * files (regenerate with {@code -Dnnc.updateGoldens=true}) and must themselves compile (compile-testing compiles
 * generated sources in the same run).
 */
class NnProcessorEndToEndTest {
  @TempDir Path tmp;

  private static final String NEURON =
      "model Neuron { input x, y; param w, b; z = w x + b; a = σ z; L = −(y ln a + (1 − y) ln(1 − a)) }";

  private static String example(String name) throws IOException {
    return Files.readString(Path.of("examples", name), StandardCharsets.UTF_8);
  }

  /** A class annotated with an inline text block holding {@code modelLines}. */
  private static JavaFileObject inline(String qualifiedName, String... modelLines) {
    int dot = qualifiedName.lastIndexOf('.');
    StringBuilder src = new StringBuilder();
    src.append("package ").append(qualifiedName, 0, dot).append(";\n\nimport dev.nnc.NnModel;\n\n");
    src.append("@NnModel(source = \"\"\"\n");
    for (String line : modelLines) src.append("    ").append(line).append('\n');
    src.append("    \"\"\")\nfinal class ").append(qualifiedName.substring(dot + 1)).append(" {}\n");
    return java(qualifiedName, src.toString());
  }

  private static JavaFileObject fileModel(String qualifiedName, String path) {
    int dot = qualifiedName.lastIndexOf('.');
    return java(qualifiedName, "package " + qualifiedName.substring(0, dot) + ";", "import dev.nnc.NnModel;",
        "@NnModel(\"" + path + "\")", "final class " + qualifiedName.substring(dot + 1) + " {}");
  }

  @Test
  void inlineModel() {
    Compilation c = javac(new NnProcessor()).compile(inline("dev.example.Models", NEURON));
    assertThat(c).succeededWithoutWarnings();
    assertMatchesGolden("inline/Neuron.java", generated(c, "dev.example.Neuron"));
  }

  @Test
  void fileModelIsExactlyWhatTheCommandLineCompilerGenerates() throws IOException {
    String text = example("logistic_regression.nn");
    write(tmp.resolve("src/dev/example/logistic_regression.nn"), text);
    Compilation c = javac(new NnProcessor(), "-sourcepath", tmp.resolve("src").toString())
        .compile(fileModel("dev.example.Models", "logistic_regression.nn"));
    assertThat(c).succeededWithoutWarnings();
    String viaProcessor = generated(c, "dev.example.LogisticRegression");
    assertMatchesGolden("file/LogisticRegression.java", viaProcessor);
    String viaCli = Compiler.compile(Source.of("logistic_regression.nn", text),
        Compiler.Options.defaults().inPackage("dev.example")).files().get(0).content();
    assertThat(viaProcessor).isEqualTo(viaCli);
  }

  @Test
  void precisionFloat32GivesTheFloatClassTheCommandLineGenerates() throws IOException {
    String text = example("logistic_regression.nn");
    write(tmp.resolve("src/dev/example/logistic_regression.nn"), text);
    JavaFileObject models = java("dev.example.Models", "package dev.example;", "import dev.nnc.NnModel;",
        "@NnModel(value = \"logistic_regression.nn\", precision = \"float32\")", "final class Models {}");
    Compilation c = javac(new NnProcessor(), "-sourcepath", tmp.resolve("src").toString()).compile(models);
    assertThat(c).succeededWithoutWarnings();
    String viaProcessor = generated(c, "dev.example.LogisticRegression");
    assertThat(viaProcessor).contains("public final float[] w;");
    String viaCli = Compiler.compile(Source.of("logistic_regression.nn", text), Compiler.Options.defaults()
        .inPackage("dev.example").withPrecision(dev.nnc.codegen.Precision.FLOAT32)).files().get(0).content();
    assertThat(viaProcessor).isEqualTo(viaCli);
  }

  @Test
  void apiCoreLeavesOutTheTrainingApiAndAnUnknownLevelIsAnError() {
    JavaFileObject models = java("dev.example.Models", "package dev.example;", "import dev.nnc.NnModel;",
        "@NnModel(source = \"model Lean { input x, y; param w; L = (w x − y)² }\", api = \"core\")",
        "final class Models {}");
    Compilation c = javac(new NnProcessor()).compile(models);
    assertThat(c).succeededWithoutWarnings();
    String lean = generated(c, "dev.example.Lean");
    assertThat(lean).contains("public void step(double learningRate)");
    assertThat(lean).doesNotContain("saveNpz");
    assertThat(lean).doesNotContain("stepAdam");
    JavaFileObject bad = java("dev.example.Bad", "package dev.example;", "import dev.nnc.NnModel;",
        "@NnModel(source = \"model B { input x; param w; L = (w x)² }\",", "    api = \"tiny\")",
        "final class Bad {}");
    Compilation b = javac(new NnProcessor()).compile(bad);
    assertThat(b).failed();
    assertThat(b).hadErrorContaining("[E0917] @NnModel(api = \"tiny\") on dev.example.Bad: not an API level")
        .inFile(bad).onLineContaining("api = \"tiny\"");
  }

  @Test
  void anUnknownPrecisionIsAnErrorOnItsValue() {
    JavaFileObject models = java("dev.example.Models", "package dev.example;", "import dev.nnc.NnModel;",
        "@NnModel(source = \"model M { input x; param w; L = (w x)² }\",", "    precision = \"half\")",
        "final class Models {}");
    Compilation c = javac(new NnProcessor()).compile(models);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[E0915] @NnModel(precision = \"half\") on dev.example.Models: not a precision")
        .inFile(models).onLineContaining("precision = \"half\"");
  }

  @Test
  void twoModelsInOneFile() throws IOException {
    write(tmp.resolve("src/dev/example/two.nn"), example("logistic_regression.nn") + "\n" + NEURON + "\n");
    Compilation c = javac(new NnProcessor(), "-sourcepath", tmp.resolve("src").toString())
        .compile(fileModel("dev.example.Models", "two.nn"));
    assertThat(c).succeededWithoutWarnings();
    assertMatchesGolden("two/LogisticRegression.java", generated(c, "dev.example.LogisticRegression"));
    assertMatchesGolden("two/Neuron.java", generated(c, "dev.example.Neuron"));
  }

  @Test
  void tensorModel() throws IOException {
    write(tmp.resolve("src/dev/example/batch.nn"), example("logistic_regression_batch.nn"));
    Compilation c = javac(new NnProcessor(), "-sourcepath", tmp.resolve("src").toString())
        .compile(fileModel("dev.example.Models", "batch.nn"));
    assertThat(c).succeededWithoutWarnings();
    assertMatchesGolden("tensor/LogisticRegressionBatch.java", generated(c, "dev.example.LogisticRegressionBatch"));
  }

  @Test
  void aSyntaxErrorIsAnErrorOnTheAnnotationWithFileLineColumn() {
    Path bad = tmp.resolve("src/dev/example/bad.nn");
    write(bad, "model Broken {\n  input x\n  z = x $ 2\n}\n");
    JavaFileObject broken = fileModel("dev.example.Broken", "bad.nn");
    Compilation c = javac(new NnProcessor(), "-sourcepath", tmp.resolve("src").toString()).compile(broken);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(bad.toAbsolutePath() + ":3:9: [E01").inFile(broken).onLineContaining("@NnModel");
    assertThat(c).hadErrorContaining("z = x $ 2");
  }

  @Test
  void aModelWithAnErrorDoesNotStopTheOthersFromGenerating() {
    write(tmp.resolve("src/dev/example/bad.nn"), "model Broken {\n  input x\n  z = x $ 2\n}\n");
    JavaFileObject broken = fileModel("dev.example.Broken", "bad.nn");
    JavaFileObject fine = inline("dev.example.Fine", NEURON);
    List<?> diagnostics = processOnly(tmp.resolve("out"), new NnProcessor(), broken, fine);
    assertThat(diagnostics).isNotEmpty();
    assertThat(Files.exists(tmp.resolve("out/dev/example/Neuron.java"))).isTrue();
  }

  @Test
  void anInlineErrorNamesTheAnnotatedClassAndTheLineInTheTextBlock() {
    JavaFileObject models = inline("dev.example.Models", "model M {", "  input x", "  z = x + q", "}");
    Compilation c = javac(new NnProcessor()).compile(models);
    assertThat(c).hadErrorContaining("Models@NnModel:3:11: [E0201]").inFile(models).onLineContaining("@NnModel");
  }

  @Test
  void outputIsDeterministic() {
    JavaFileObject models = inline("dev.example.Models", NEURON);
    String first = generated(javac(new NnProcessor()).compile(models), "dev.example.Neuron");
    String second = generated(javac(new NnProcessor()).compile(models), "dev.example.Neuron");
    assertThat(second).isEqualTo(first);
  }

  /** The reproducer: a strict build (-Xlint:all -Werror) of a model with matrix kernels and a free dim. */
  @Test
  void aStrictBuildSucceedsWithoutAnyWarning() {
    JavaFileObject models = java("dev.example.Models", "package dev.example;", "import dev.nnc.NnModel;",
        "@NnModel(source = \"model Strict { dim N = 3; input X[B, N]; param W[N, N] ~ xavier, V[N, N] ~ normal(0, 1);"
            + " L = sum(relu(X W V)) + sum(σ(X W)) }\")",
        "final class Models {}");
    Compilation c = javac(new NnProcessor(), "--release", "11").compile(models);
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c, "dev.example.Strict")).contains("@Generated");
  }

  /** Under -Werror an nnc warning fails the build, as javac's own warnings do. */
  @Test
  void underWerrorAnNncWarningFailsTheBuild() {
    JavaFileObject models = inline("dev.example.Models", "model W { input x; param w, v; L = w x }");
    Compilation c = javac(new NnProcessor()).compile(models);
    assertThat(c).failed();
    assertThat(c).hadWarningContaining("[W0501]");
  }

  @Test
  void aWarningIsAJavacWarningAndTheModelStillGenerates() {
    JavaFileObject models = inline("dev.example.Models", "model W { input x; param w, v; L = w x }");
    Compilation c = lenientJavac(new NnProcessor()).compile(models);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(1);
    assertThat(c).hadWarningContaining("Models@NnModel:1:29: [W0501]").inFile(models).onLineContaining("@NnModel");
    assertThat(c.generatedSourceFile("dev.example.W")).isPresent();
  }

  @Test
  void bareInlineStatementsFormOneModelNamedAfterTheAnnotatedClass() {
    Compilation c = javac(new NnProcessor()).compile(inline("dev.example.Apple", "J = 3(a + b c)"));
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c, "dev.example.AppleNnModel")).contains("public final class AppleNnModel");
  }
}
