package dev.nnc.cli;

import dev.nnc.Result;
import dev.nnc.diag.Code;
import dev.nnc.ir.ModelIR;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files that ship with nnc (the example models and the MNIST digits under {@code examples/}), found from the
 * working directory or, failing that, from the nnc checkout the running jar was built in ({@code target/..}), so that
 * {@code nnc train} and {@code nnc predict} work wherever they are started from; and the choice of one model of a
 * file, which both commands make the same way.
 */
final class Bundled {
  static final String MODEL = "examples/two_layer_net.nn";
  static final String DATA = "examples/data/mnist10k";

  private Bundled() {}

  /** The default data prefix, resolved. */
  static String data() {
    return resolve(DATA);
  }

  /**
   * {@code relative} itself when it (or, for a prefix, its directory) exists under the working directory; else the
   * same path under the nnc checkout of the running jar, when it exists there; else {@code relative} unchanged (the
   * caller reports it missing).
   */
  static String resolve(String relative) {
    return resolve(relative, Path.of("").toAbsolutePath(), checkout());
  }

  /** {@link #resolve(String)} from {@code workingDir}, with {@code checkout} the nnc checkout (or null). */
  static String resolve(String relative, Path workingDir, Path checkout) {
    if (exists(workingDir.resolve(relative))) return relative;
    if (checkout != null && exists(checkout.resolve(relative))) return checkout.resolve(relative).toString();
    return relative;
  }

  /** The checkout the running classes were built in: {@code target/..} of the jar (or of target/classes), or null. */
  static Path checkout() {
    try {
      Path jar = Path.of(Bundled.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return jar.getParent() == null ? null : jar.getParent().getParent();
    } catch (URISyntaxException | SecurityException | NullPointerException | IllegalArgumentException e) {
      return null; // no code source (an unusual class loader): only the working directory counts
    }
  }

  /** A file, or a data prefix whose image file exists (gzipped or not). */
  private static boolean exists(Path p) {
    return Files.exists(p) || Files.exists(Path.of(p + "-images-idx3-ubyte.gz"))
        || Files.exists(Path.of(p + "-images-idx3-ubyte"));
  }

  /** The index of the chosen model, or −1 after reporting E0903 (several models and no --model, or no such model). */
  static int chooseModel(Result result, String modelName, Path modelFile, PrintWriter err) {
    StringBuilder names = new StringBuilder();
    for (ModelIR m : result.models()) names.append(names.length() == 0 ? "" : ", ").append(m.name());
    if (modelName == null) {
      if (result.models().size() == 1) return 0;
      err.println(modelFile + ": error: [" + Code.DATA_DOES_NOT_FIT.id() + "] the file holds "
          + result.models().size() + " models (" + names + "); choose one with --model NAME");
      return -1;
    }
    for (int i = 0; i < result.models().size(); i++) if (result.models().get(i).name().equals(modelName)) return i;
    err.println(modelFile + ": error: [" + Code.DATA_DOES_NOT_FIT.id() + "] no model named " + modelName
        + " (the file holds: " + names + ")");
    return -1;
  }
}
