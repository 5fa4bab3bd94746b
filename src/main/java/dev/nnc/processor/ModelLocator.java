package dev.nnc.processor;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.nnc.diag.Code;
import dev.nnc.diag.SourceFiles;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Finds the {@code .nn} file an {@code @NnModel("…")} names. A relative path is resolved against the annotated
 * element's package folder, a path with a leading {@code /} against the root; the places are tried in this
 * order, and every one that was tried is named when none holds the file:
 * <ol>
 *   <li>the source path (javac's {@code -sourcepath}; Maven passes {@code src/main/java} there);</li>
 *   <li>the folder of the annotated {@code .java} file (helps a plain {@code javac} run without -sourcepath);</li>
 *   <li>the class path (in Maven it starts with {@code target/classes}, which holds {@code src/main/resources});</li>
 *   <li>each folder of the {@value NnProcessor#MODEL_PATH_OPTION} processor option.</li>
 * </ol>
 */
final class ModelLocator {
  /** The file's bytes and where they came from (for messages only: it never reaches the generated code). */
  record Found(byte[] bytes, String location) {}

  /** Either {@code found} is set, or {@code tried} lists every place looked at (one line each). */
  record Lookup(Found found, List<String> tried) {}

  private final ProcessingEnvironment env;
  private final List<Path> modelPath;

  ModelLocator(ProcessingEnvironment env, List<Path> modelPath) {
    this.env = env;
    this.modelPath = List.copyOf(modelPath);
  }

  /** Splits the option value on the platform path separator or on commas; empty entries are dropped. */
  static List<Path> parseModelPath(String option) {
    List<Path> dirs = new ArrayList<>();
    if (option == null) return dirs;
    for (String part : option.split("[" + java.util.regex.Pattern.quote(File.pathSeparator) + ",]")) {
      if (!part.isBlank()) dirs.add(Path.of(part.trim()));
    }
    return dirs;
  }

  /**
   * Checks a path from the annotation: returns null if it is usable, else why not. The Filer API only takes
   * paths that stay below a root, so {@code ..} that climbs out of the package root is refused up front.
   */
  static String problemWith(String path) {
    if (path.isBlank()) return "the file name is empty";
    if (path.indexOf('\\') >= 0) return "use / (not \\) between folders";
    String relative = path.startsWith("/") ? path.substring(1) : path;
    if (relative.isEmpty() || relative.endsWith("/")) return "'" + path + "' names a folder, not a file";
    int depth = 0;
    for (String segment : relative.split("/")) {
      if (segment.equals("..")) depth--;
      else if (!segment.isEmpty() && !segment.equals(".")) depth++;
      if (depth < 0) {
        return "'" + path + "' leaves the source folders; use a path from the root with a leading /, or the "
            + NnProcessor.MODEL_PATH_OPTION + " option";
      }
    }
    return null;
  }

  Lookup find(Element annotated, String packageName, String path) {
    boolean fromRoot = path.startsWith("/");
    String relative = fromRoot ? path.substring(1) : path;
    String pkg = fromRoot ? "" : packageName;
    String underRoot = pkg.isEmpty() ? relative : pkg.replace('.', '/') + "/" + relative;
    List<String> tried = new ArrayList<>();

    Found found = fromFiler(StandardLocation.SOURCE_PATH, pkg, relative, "the source path, at " + underRoot, tried);
    if (found != null) return new Lookup(found, tried);

    if (!fromRoot) {
      Path besideSource = besideSourceFile(annotated, relative);
      if (besideSource != null) {
        found = fromDisk(besideSource, "beside the annotated source file: " + besideSource, tried);
        if (found != null) return new Lookup(found, tried);
      }
    }

    found = fromFiler(StandardLocation.CLASS_PATH, pkg, relative, "the class path, at " + underRoot, tried);
    if (found != null) return new Lookup(found, tried);

    if (modelPath.isEmpty()) {
      tried.add("the model path: not set (-A" + NnProcessor.MODEL_PATH_OPTION + "=DIR)");
    }
    for (Path dir : modelPath) {
      Path candidate = dir.resolve(underRoot).toAbsolutePath().normalize();
      found = fromDisk(candidate, "the model path: " + candidate, tried);
      if (found != null) return new Lookup(found, tried);
    }
    return new Lookup(null, tried);
  }

  private Found fromFiler(StandardLocation location, String pkg, String relative, String place, List<String> tried) {
    Filer filer = env.getFiler();
    FileObject file;
    try {
      file = filer.getResource(location, pkg, relative);
    } catch (IOException | RuntimeException notThere) {
      // FileNotFoundException: not in this location. IllegalArgumentException / IllegalStateException: a location
      // this compiler does not offer (e.g. no source path). Either way the next place is tried.
      tried.add(place);
      return null;
    }
    try (InputStream in = file.openInputStream()) {
      byte[] bytes = in.readNBytes((int) SourceFiles.MAX_BYTES + 1);
      if (bytes.length > SourceFiles.MAX_BYTES) {
        throw new IOException("[" + Code.FILE_TOO_LARGE.id() + "] over the " + (SourceFiles.MAX_BYTES >> 20)
            + " MiB a .nn file may have");
      }
      return new Found(bytes, describe(file.toUri()));
    } catch (FileNotFoundException | NoSuchFileException notThere) {
      tried.add(place);
      return null;
    } catch (IOException | RuntimeException unreadable) {
      tried.add(place + " (exists but cannot be read: " + unreadable.getMessage() + ")");
      return null;
    }
  }

  private static Found fromDisk(Path file, String place, List<String> tried) {
    try {
      return new Found(SourceFiles.read(file), file.toAbsolutePath().normalize().toString());
    } catch (NoSuchFileException notThere) {
      tried.add(place);
      return null;
    } catch (SourceFiles.Refused refused) {
      tried.add(place + " (refused: [" + refused.code().id() + "] " + refused.getMessage() + ")");
      return null;
    } catch (IOException | RuntimeException unreadable) {
      tried.add(place + " (exists but cannot be read: " + unreadable + ")");
      return null;
    }
  }

  /**
   * The folder of the {@code .java} file that holds the annotated element, when javac's tree API is there and
   * the file is on disk; null otherwise (other compilers, in-memory sources, Gradle's wrapped environment).
   */
  private Path besideSourceFile(Element annotated, String relative) {
    try {
      TreePath treePath = Trees.instance(env).getPath(annotated);
      if (treePath == null) return null;
      CompilationUnitTree unit = treePath.getCompilationUnit();
      URI uri = unit.getSourceFile().toUri();
      if (!"file".equals(uri.getScheme())) return null;
      return Path.of(uri).getParent().resolve(relative).normalize();
    } catch (RuntimeException | LinkageError notJavac) {
      return null;
    }
  }

  private static String describe(URI uri) {
    if ("file".equals(uri.getScheme())) {
      try {
        return Path.of(uri).toString();
      } catch (RuntimeException notAPath) {
        return uri.toString();
      }
    }
    return uri.toString();
  }
}
