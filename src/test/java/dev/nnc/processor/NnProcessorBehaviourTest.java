package dev.nnc.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.nnc.processor.ProcessorTesting.classPathPlus;
import static dev.nnc.processor.ProcessorTesting.echoCompiler;
import static dev.nnc.processor.ProcessorTesting.generated;
import static dev.nnc.processor.ProcessorTesting.java;
import static dev.nnc.processor.ProcessorTesting.javac;
import static dev.nnc.processor.ProcessorTesting.processOnly;
import static dev.nnc.processor.ProcessorTesting.write;

import com.google.testing.compile.Compilation;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Span;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor's own behaviour — where it finds files, what it tells javac, how it isolates failures — with a
 * stand-in compiler (see {@link ProcessorTesting#echoCompiler}), so these hold whatever the pipeline does.
 * End-to-end tests with the real compiler are in {@link NnProcessorEndToEndTest}.
 */
class NnProcessorBehaviourTest {
  @TempDir Path tmp;

  private static NnProcessor echo() {
    return new NnProcessor(echoCompiler(List.of()));
  }

  private static JavaFileObject annotated(String qualifiedName, String annotation) {
    int dot = qualifiedName.lastIndexOf('.');
    String pkg = dot < 0 ? "" : "package " + qualifiedName.substring(0, dot) + ";";
    return java(qualifiedName, pkg, "", "import dev.nnc.NnModel;", "", annotation,
        "final class " + qualifiedName.substring(dot + 1) + " {}");
  }

  @Test
  void inlineSourceGeneratesIntoTheAnnotatedPackageUnderAnInlineName() {
    Compilation c = javac(echo()).compile(annotated("com.acme.Models", "@NnModel(source = \"class Alpha\")"));
    assertThat(c).succeededWithoutWarnings();
    String alpha = generated(c, "com.acme.Alpha");
    assertThat(alpha).contains("SOURCE_NAME = \"Models@NnModel\"");
    assertThat(alpha).startsWith("package com.acme;");
  }

  @Test
  void unnamedPackageWorks() {
    Compilation c = javac(echo()).compile(annotated("Models", "@NnModel(source = \"class Alpha\")"));
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c, "Alpha")).startsWith("public final class Alpha");
  }

  @Test
  void packageInfoIsAnAnnotatedElementToo() {
    JavaFileObject info = java("com.acme.package-info", "@NnModel(source = \"class Beta\")", "package com.acme;", "",
        "import dev.nnc.NnModel;");
    Compilation c = javac(echo()).compile(info);
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c, "com.acme.Beta")).contains("SOURCE_NAME = \"package-info@NnModel\"");
  }

  @Test
  void fileIsFoundInThePackageFolderOfTheSourcePath() {
    write(tmp.resolve("src/com/acme/m.nn"), "class Gamma\n");
    Compilation c = javac(echo(), "-sourcepath", tmp.resolve("src").toString())
        .compile(annotated("com.acme.Models", "@NnModel(\"m.nn\")"));
    assertThat(c).succeededWithoutWarnings();
    // Named as the annotation names it: the generated code never mentions where the file happened to be.
    assertThat(generated(c, "com.acme.Gamma")).contains("SOURCE_NAME = \"m.nn\"");
  }

  @Test
  void leadingSlashMeansFromTheRootAndSubfoldersWork() {
    write(tmp.resolve("src/models/m.nn"), "class Delta\n");
    write(tmp.resolve("src/com/acme/sub/n.nn"), "class Epsilon\n");
    JavaFileObject a = annotated("com.acme.A", "@NnModel(\"/models/m.nn\")");
    JavaFileObject b = annotated("com.acme.B", "@NnModel(\"sub/n.nn\")");
    Compilation c = javac(echo(), "-sourcepath", tmp.resolve("src").toString()).compile(a, b);
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c, "com.acme.Delta")).contains("SOURCE_NAME = \"models/m.nn\"");
    assertThat(generated(c, "com.acme.Epsilon")).contains("SOURCE_NAME = \"sub/n.nn\"");
  }

  @Test
  void fileIsFoundOnTheClassPathWhichHoldsMavensResources() {
    write(tmp.resolve("classes/com/acme/m.nn"), "class Zeta\n");
    Compilation c = javac(echo()).withClasspath(classPathPlus(tmp.resolve("classes")))
        .compile(annotated("com.acme.Models", "@NnModel(\"m.nn\")"));
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c, "com.acme.Zeta")).contains("TEXT = \"class Zeta\\n\"");
  }

  @Test
  void fileIsFoundInAnyFolderOfTheModelPathOption() {
    write(tmp.resolve("two/com/acme/m.nn"), "class Eta\n");
    String modelPath = tmp.resolve("one") + File.pathSeparator + tmp.resolve("two");
    Compilation c = javac(echo(), "-Annc.modelPath=" + modelPath)
        .compile(annotated("com.acme.Models", "@NnModel(\"m.nn\")"));
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c, "com.acme.Eta")).contains("SOURCE_NAME = \"m.nn\"");
  }

  @Test
  void fileIsFoundBesideTheAnnotatedJavaFileWithoutAnySourcePath() {
    Path javaFile = tmp.resolve("plain/Models.java");
    write(javaFile, "package com.acme;\nimport dev.nnc.NnModel;\n@NnModel(\"m.nn\")\nfinal class Models {}\n");
    write(tmp.resolve("plain/m.nn"), "class Theta\n");
    StandardJavaFileManager files = ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, null);
    Compilation c = javac(echo()).compile(files.getJavaFileObjects(javaFile.toFile()));
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c, "com.acme.Theta")).contains("SOURCE_NAME = \"m.nn\"");
  }

  @Test
  void sourcePathComesBeforeTheModelPath() {
    write(tmp.resolve("src/com/acme/m.nn"), "class Iota\n");
    write(tmp.resolve("extra/com/acme/m.nn"), "class Kappa\n");
    Compilation c = javac(echo(), "-sourcepath", tmp.resolve("src").toString(),
        "-Annc.modelPath=" + tmp.resolve("extra")).compile(annotated("com.acme.Models", "@NnModel(\"m.nn\")"));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c.generatedSourceFile("com.acme.Iota")).isPresent();
    assertThat(c.generatedSourceFile("com.acme.Kappa")).isEmpty();
  }

  @Test
  void missingFileIsAnErrorOnTheAnnotationThatSaysWhereItLooked() {
    JavaFileObject models = annotated("com.acme.Models", "@NnModel(\"nope.nn\")");
    Compilation c = javac(echo(), "-sourcepath", tmp.toString(), "-Annc.modelPath=" + tmp.resolve("mp"))
        .compile(models);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[E0901] cannot find the model file 'nope.nn' named by @NnModel on com.acme.Models")
        .inFile(models).onLineContaining("@NnModel");
    assertThat(c).hadErrorContaining("the source path, at com/acme/nope.nn");
    assertThat(c).hadErrorContaining("the class path, at com/acme/nope.nn");
    assertThat(c).hadErrorContaining("the model path: " + tmp.resolve("mp/com/acme/nope.nn").toAbsolutePath());
  }

  @Test
  void missingFileWithoutModelPathSuggestsTheOption() {
    Compilation c = javac(echo()).compile(annotated("com.acme.Models", "@NnModel(\"nope.nn\")"));
    assertThat(c).hadErrorContaining("the model path: not set (-Annc.modelPath=DIR)");
  }

  @Test
  void neitherFileNorSourceIsAnError() {
    JavaFileObject models = annotated("com.acme.Models", "@NnModel");
    Compilation c = javac(echo()).compile(models);
    assertThat(c).hadErrorContaining("[E0904] @NnModel on com.acme.Models gives neither of value")
        .inFile(models).onLineContaining("@NnModel");
  }

  @Test
  void bothFileAndSourceIsAnError() {
    Compilation c = javac(echo()).compile(annotated("com.acme.Models", "@NnModel(value = \"m.nn\", source = \"class A\")"));
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("gives both of value (a .nn file) and source (the model text)");
  }

  @Test
  void aPathThatClimbsOutOfTheSourceFoldersIsRefused() {
    Compilation c = javac(echo()).compile(annotated("Models", "@NnModel(\"../m.nn\")"));
    assertThat(c).hadErrorContaining("[E0904] @NnModel(\"../m.nn\") on Models: '../m.nn' leaves the source folders");
  }

  @Test
  void oneMessagePerDiagnosticOnTheAnnotationWithFileLineColumnCodeSourceLineAndCaret() {
    List<Diagnostic> diags = List.of(
        Diagnostic.error(Code.UNDEFINED_NAME, new Span(2, 7, 2, 8), "undefined name 'q'").withHint("declare it"),
        Diagnostic.warning(Code.PARAM_UNUSED, new Span(1, 1, 1, 2), "param v never reaches the loss"));
    JavaFileObject models = java("com.acme.Models", "package com.acme;", "import dev.nnc.NnModel;",
        "@NnModel(source = \"\"\"", "    class Alpha", "    z = w q", "    \"\"\")", "final class Models {}");
    Compilation c = javac(new NnProcessor(echoCompiler(diags))).compile(models);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadWarningCount(1);
    assertThat(c).hadErrorContaining("Models@NnModel:2:7: [E0201] undefined name 'q'")
        .inFile(models).onLineContaining("@NnModel(source =");
    // javac indents the lines after a message's first; the caret must still sit under the q.
    List<String> lines = c.errors().get(0).getMessage(null).lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1).strip()).isEqualTo("z = w q");
    assertThat(lines.get(2).indexOf('^')).isEqualTo(lines.get(1).indexOf('q'));
    assertThat(lines.get(3).strip()).isEqualTo("hint: declare it");
    assertThat(c).hadWarningContaining("Models@NnModel:1:1: [W0501] param v never reaches the loss")
        .inFile(models).onLineContaining("@NnModel(source =");
    // an error in the model: nothing generated for it
    assertThat(processOnly(tmp.resolve("out"), new NnProcessor(echoCompiler(diags)), models)).hasSize(2);
    assertThat(tmp.resolve("out/com/acme/Alpha.java").toFile().exists()).isFalse();
  }

  @Test
  void diagnosticsOfAFileModelNameTheFileWhereItWasFound() {
    Path file = tmp.resolve("src/com/acme/m.nn");
    write(file, "class Alpha\nz = w q\n");
    List<Diagnostic> diags = List.of(Diagnostic.error(Code.UNDEFINED_NAME, new Span(2, 7, 2, 8), "undefined name 'q'"));
    Compilation c = javac(new NnProcessor(echoCompiler(diags)), "-sourcepath", tmp.resolve("src").toString())
        .compile(annotated("com.acme.Models", "@NnModel(\"m.nn\")"));
    assertThat(c).hadErrorContaining(file.toAbsolutePath() + ":2:7: [E0201] undefined name 'q'");
  }

  @Test
  void anExceptionInTheCompilerIsAnErrorOnItsElementAndOtherModelsStillGenerate() {
    JavaFileObject bad = annotated("com.acme.Bad", "@NnModel(source = \"class Never\\nthrow\")");
    JavaFileObject good = annotated("com.acme.Good", "@NnModel(source = \"class Alpha\")");
    Compilation c = javac(echo()).compile(bad, good);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("nnc failed while compiling the model of @NnModel on com.acme.Bad: "
        + "java.lang.IllegalStateException: boom in Bad@NnModel").inFile(bad).onLineContaining("@NnModel");
    processOnly(tmp.resolve("out"), echo(), bad, good);
    assertThat(tmp.resolve("out/com/acme/Alpha.java").toFile().exists()).isTrue();
    assertThat(tmp.resolve("out/com/acme/Never.java").toFile().exists()).isFalse();
  }

  @Test
  void twoAnnotationsGeneratingOneClassIsAnErrorNamingBoth() {
    JavaFileObject first = annotated("com.acme.First", "@NnModel(source = \"class Alpha\")");
    JavaFileObject second = annotated("com.acme.Second", "@NnModel(source = \"class Alpha\")");
    Compilation c = javac(echo()).compile(first, second);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[E0905] the model Alpha of @NnModel on com.acme.Second would generate "
        + "com.acme.Alpha, which @NnModel on com.acme.First already generates").inFile(second);
  }

  @Test
  void aModelNamedLikeAnExistingClassIsAnErrorNotACrash() {
    JavaFileObject models = annotated("com.acme.Models", "@NnModel(source = \"class Models\")");
    Compilation c = javac(echo()).compile(models);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[E0905] the model Models of @NnModel on com.acme.Models would generate "
        + "com.acme.Models, but javac refused").inFile(models);
  }

  @Test
  void twoModelsFromOneAnnotationGenerateTwoClasses() {
    Compilation c = javac(echo()).compile(annotated("com.acme.Models", "@NnModel(source = \"class A1\\nclass A2\")"));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c.generatedSourceFile("com.acme.A1")).isPresent();
    assertThat(c.generatedSourceFile("com.acme.A2")).isPresent();
  }

  @Test
  void theGeneratedFileNamesTheAnnotatedElementAsItsOrigin() {
    // javac records originating elements only through the Filer; compiling the generated class proves it was
    // written as a source file of this round (a class the annotated code can use).
    JavaFileObject user = java("com.acme.User", "package com.acme;", "import dev.nnc.NnModel;",
        "@NnModel(source = \"class Alpha\")", "final class User { String s = Alpha.SOURCE_NAME; }");
    assertThat(javac(echo()).compile(user)).succeededWithoutWarnings();
  }

  @Test
  void theOutputIsTheSameWhereverTheFileWasFound() {
    write(tmp.resolve("src/com/acme/m.nn"), "class Lambda\n");
    write(tmp.resolve("mp/com/acme/m.nn"), "class Lambda\n");
    JavaFileObject models = annotated("com.acme.Models", "@NnModel(\"m.nn\")");
    String viaSourcePath = generated(javac(echo(), "-sourcepath", tmp.resolve("src").toString()).compile(models),
        "com.acme.Lambda");
    String viaModelPath = generated(javac(echo(), "-Annc.modelPath=" + tmp.resolve("mp")).compile(models),
        "com.acme.Lambda");
    assertThat(viaModelPath).isEqualTo(viaSourcePath);
  }

  @Test
  void javacFindsTheProcessorThroughMetaInfServicesAndItSupportsTheLatestSourceVersion() {
    List<javax.annotation.processing.Processor> found = new java.util.ArrayList<>();
    java.util.ServiceLoader.load(javax.annotation.processing.Processor.class, getClass().getClassLoader())
        .forEach(found::add);
    assertThat(found.stream().map(p -> p.getClass().getName()).toList()).contains(NnProcessor.class.getName());
    NnProcessor processor = new NnProcessor();
    assertThat(processor.getSupportedSourceVersion()).isEqualTo(javax.lang.model.SourceVersion.latestSupported());
    assertThat(processor.getSupportedOptions()).containsExactly("nnc.modelPath");
    assertThat(processor.getSupportedAnnotationTypes())
        .containsExactly("dev.nnc.NnModel", "javax.annotation.processing.Generated");
  }
}
