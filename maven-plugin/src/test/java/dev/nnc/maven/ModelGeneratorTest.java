package dev.nnc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incremental bookkeeping without Maven: what is compiled, written, kept and deleted, and the errors. */
class ModelGeneratorTest {
  private static final String NEURON = """
      model Neuron {
        input x, y
        param w, b
        a = σ(w x + b)
        L = (a − y)²
      }
      """;

  @TempDir Path dir;
  private final List<String> errors = new ArrayList<>();

  private ModelGenerator.Outcome run(String packageName, String fingerprint) throws IOException {
    return run(packageName, fingerprint, null);
  }

  private ModelGenerator.Outcome run(String packageName, String fingerprint, String precision) throws IOException {
    return run(packageName, fingerprint, precision, null);
  }

  private ModelGenerator.Outcome run(String packageName, String fingerprint, String precision, String api)
      throws IOException {
    ModelGenerator.Settings settings = new ModelGenerator.Settings(dir.resolve("nn"), dir.resolve("out"),
        dir.resolve("state/default.state"), packageName, fingerprint, precision, api);
    return new ModelGenerator(settings, new Reporter() {
      @Override
      public void info(String line) {}

      @Override
      public void warn(String line) {}

      @Override
      public void error(String line) {
        errors.add(line);
      }
    }).run();
  }

  private ModelGenerator.Outcome run() throws IOException {
    return run(null, "f1");
  }

  private void model(String path, String text) throws IOException {
    Path file = dir.resolve("nn").resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private Path out(String path) {
    return dir.resolve("out").resolve(path);
  }

  @Test
  void packagesComeFromFoldersAndAreFilledInTheCode() throws IOException {
    model("org/acme/neuron.nn", NEURON);
    model("top.nn", NEURON.replace("Neuron", "Top"));
    ModelGenerator.Outcome outcome = run();
    assertEquals(0, outcome.errors(), errors::toString);
    assertEquals(List.of("org/acme/Neuron.java", "Top.java"), outcome.written());
    assertTrue(Files.readString(out("org/acme/Neuron.java")).contains("package org.acme;"));
    assertFalse(Files.readString(out("Top.java")).contains("package "));
  }

  @Test
  void precisionFloat32GeneratesFloatClassesAndChangingItRegeneratesEveryModel() throws IOException {
    model("m.nn", NEURON);
    assertEquals(List.of("Neuron.java"), run(null, "f1").written());
    assertTrue(Files.readString(out("Neuron.java")).contains("public double w;"));
    assertEquals(List.of(), run(null, "f1", "float64").compiled(), "float64 is the default: nothing to redo");
    ModelGenerator.Outcome f32 = run(null, "f1", "float32");
    assertEquals(List.of("m.nn"), f32.compiled(), errors::toString);
    assertEquals(List.of("Neuron.java"), f32.written());
    assertTrue(Files.readString(out("Neuron.java")).contains("public float w;"));
    assertEquals(List.of(), run(null, "f1", "float").compiled(), "float is float32: up to date");
  }

  @Test
  void apiCoreGeneratesTheCoreClassAndAnUnknownLevelIsErrorE0917() throws IOException {
    model("m.nn", NEURON);
    assertEquals(List.of("Neuron.java"), run(null, "f1").written());
    assertTrue(Files.readString(out("Neuron.java")).contains("public void saveNpz("));
    assertEquals(List.of("m.nn"), run(null, "f1", null, "core").compiled(), "another API level regenerates");
    String core = Files.readString(out("Neuron.java"));
    assertFalse(core.contains("saveNpz"), core);
    assertTrue(core.contains("public void step(double learningRate)"), core);
    assertEquals(List.of(), run(null, "f1", null, "core").compiled());
    ModelGenerator.Outcome bad = run(null, "f1", null, "tiny");
    assertEquals(1, bad.errors());
    assertEquals(List.of("error: [E0917] <api>tiny</api> is not an API level; use full or core"), errors);
  }

  @Test
  void anUnknownPrecisionIsErrorE0915AndNothingIsWritten() throws IOException {
    model("m.nn", NEURON);
    ModelGenerator.Outcome outcome = run(null, "f1", "float16");
    assertEquals(1, outcome.errors());
    assertEquals(List.of("error: [E0915] <precision>float16</precision> is not a precision; use float64 (or double), "
        + "float32 (or float)"), errors);
    assertFalse(Files.exists(out("Neuron.java")));
  }

  @Test
  void aConfiguredPackageWinsOverFolders() throws IOException {
    model("a/b/neuron.nn", NEURON);
    assertEquals(List.of("com/x/Neuron.java"), run("com.x", "f1").written());
  }

  @Test
  void aFolderThatIsNotAPackageIsErrorE0908AndNothingIsWritten() throws IOException {
    model("my-models/neuron.nn", NEURON);
    model("ok/other.nn", NEURON.replace("Neuron", "Other"));
    ModelGenerator.Outcome outcome = run();
    assertEquals(1, outcome.errors());
    assertTrue(errors.get(0).contains("neuron.nn: error: [E0908] the folder my-models gives the package my-models"),
        errors.toString());
    assertFalse(Files.exists(out("ok/Other.java")), "all or nothing");
  }

  @Test
  void aConfiguredPackageThatIsNotOneIsErrorE0908() throws IOException {
    model("neuron.nn", NEURON);
    assertEquals(1, run("com.class", "f1").errors());
    assertTrue(errors.get(0).startsWith("error: [E0908] <packageName>com.class</packageName> is not"), errors.toString());
  }

  @Test
  void twoFilesWithTheSameModelAreErrorE0905() throws IOException {
    model("p/a.nn", NEURON);
    model("p/b.nn", NEURON.replace("Neuron", "NEURON"));
    assertEquals(1, run().errors());
    assertTrue(errors.get(0).contains("b.nn: error: [E0905] generates p/NEURON.java, which p/a.nn also generates"),
        errors.toString());
  }

  @Test
  void renamingAModelDeletesTheOldClassAndItsEmptyFolders() throws IOException {
    model("p/q/m.nn", NEURON);
    run();
    model("p/q/m.nn", NEURON.replace("Neuron", "Renamed"));
    ModelGenerator.Outcome outcome = run();
    assertEquals(List.of("p/q/Renamed.java"), outcome.written());
    assertEquals(List.of("p/q/Neuron.java"), outcome.removed());
    Files.delete(dir.resolve("nn/p/q/m.nn"));
    assertEquals(List.of("p/q/Renamed.java"), run().removed());
    assertFalse(Files.exists(out("p")), "empty package folders go too");
    assertTrue(Files.isDirectory(dir.resolve("out")));
  }

  @Test
  void aChangedGeneratedFileOrANewCompilerOrAnUnreadableStateRegenerates() throws IOException {
    model("m.nn", NEURON);
    run();
    assertEquals(List.of(), run().compiled());

    Files.writeString(out("Neuron.java"), "// edited by hand");
    assertEquals(List.of("Neuron.java"), run().written(), "a generated file changed by hand is put back");

    assertEquals(List.of("m.nn"), run(null, "f2").compiled(), "another nnc (fingerprint) compiles everything");
    assertEquals(List.of(), run(null, "f2").written(), "same output bytes: the file is left alone");

    Files.writeString(dir.resolve("state/default.state"), "garbage\n");
    assertEquals(List.of("m.nn"), run(null, "f2").compiled());
  }

  @Test
  void aModelErrorKeepsTheLastGoodOutputAndState() throws IOException {
    model("m.nn", NEURON);
    run();
    String good = Files.readString(out("Neuron.java"));
    model("m.nn", NEURON.replace("w x", "v x"));
    ModelGenerator.Outcome broken = run();
    assertEquals(1, broken.errors());
    assertTrue(errors.get(0).endsWith("m.nn:4:9: error: [E0201] undefined name 'v'"), errors.toString());
    assertEquals(good, Files.readString(out("Neuron.java")));
    model("m.nn", NEURON);
    assertEquals(List.of(), run().compiled(), "back to the last good bytes: nothing to do");
  }
}
