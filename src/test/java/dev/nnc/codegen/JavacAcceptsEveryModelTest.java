package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract "a valid model never produces Java that fails to compile", as a property: for each seed, fresh random
 * scalar models ({@link RandomModelsTest#model}), tensor models ({@link RandomTensorModelsTest#model}) and one wide
 * model (100–300 scalar inputs, across the 255-slot limit of a method's parameters) are compiled by nnc into one
 * package and by javac ({@code --release 11}, {@code -Xlint:all -Werror}) together. Values are the agreement tests'
 * business; here only acceptance counts, so many more models fit in the time.
 */
class JavacAcceptsEveryModelTest {
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {20261130}) // more seeds: add them here (each costs about 15 s on 2 busy cores)
  void javacAcceptsWhatNncGenerates(long seed) {
    Random r = new Random(seed);
    List<GeneratedFile> files = new ArrayList<>();
    for (int k = 0; k < 30; k++) {
      files.addAll(Pipeline.compile("s" + k + ".nn", RandomModelsTest.model(r, 1000 + k), "prop").files());
    }
    int tensors = 0;
    for (int k = 0; k < 10; k++) {
      String text = RandomTensorModelsTest.model(r, 1000 + k);
      Result result;
      try {
        result = Pipeline.compile("t" + k + ".nn", text, "prop");
      } catch (RuntimeException e) {
        for (StackTraceElement f : e.getStackTrace()) if (f.getClassName().startsWith("dev.nnc.codegen.")) throw e;
        continue; // another stage's bug, reported by its own tests
      }
      files.addAll(result.files());
      tensors++;
    }
    files.addAll(Pipeline.compile("wide.nn", wide(r, 100 + r.nextInt(201)), "prop").files());
    Javac.compile(files); // fails with javac's diagnostics on any error or warning
    assertTrue(files.size() >= 30 + 8 + 1 && tensors >= 8, files.size() + " classes, " + tensors + " tensor models");
  }

  /** {@code n} scalar inputs with random weights-and-activations, summed into a loss. */
  private static String wide(Random r, int n) {
    StringBuilder s = new StringBuilder("model Wide {\n  input x1");
    for (int i = 2; i <= n; i++) s.append(", x").append(i);
    s.append("\n  param w, b\n  z = b");
    String[] f = {"σ", "tanh", "relu", "softplus", "sin"};
    for (int i = 1; i <= n; i++) s.append(" + ").append(f[r.nextInt(f.length)]).append("(w x").append(i).append(')');
    return s.append("\n  L = z²\n}\n").toString();
  }
}
