package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.train.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: {@code nnc train} started outside the repository could not find its bundled model and data. From a
 * directory without {@code examples/}, both resolve to the checkout the running classes were built in; from the
 * checkout, the relative path stays as the user's working directory sees it.
 */
class BundledTest {
  @Test
  void theBundledModelAndDigitsAreFoundFromAnotherDirectory(@TempDir Path elsewhere) throws Exception {
    Path checkout = Bundled.checkout();
    assertEquals(Path.of("").toAbsolutePath(), checkout.toAbsolutePath(), "tests run in the checkout");
    String data = Bundled.resolve(Bundled.DATA, elsewhere, checkout);
    assertEquals(checkout.resolve(Bundled.DATA).toString(), data);
    assertEquals(10_000, Dataset.loadIdx(data).size());
    String model = Bundled.resolve(Bundled.MODEL, elsewhere, checkout);
    assertTrue(Files.isRegularFile(Path.of(model)) && Path.of(model).isAbsolute(), model);
    assertEquals(Bundled.DATA, Bundled.resolve(Bundled.DATA, checkout, checkout), "the working directory comes first");
    Files.createDirectories(elsewhere.resolve("examples"));
    Files.writeString(elsewhere.resolve(Bundled.MODEL), "J = 3(a + b c)\n");
    assertEquals(Bundled.MODEL, Bundled.resolve(Bundled.MODEL, elsewhere, checkout), "the user's own examples/ first");
    assertEquals(Bundled.DATA + "x", Bundled.resolve(Bundled.DATA + "x", elsewhere, checkout), "missing: unchanged");
  }
}
