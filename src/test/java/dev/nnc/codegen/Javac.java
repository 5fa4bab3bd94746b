package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;

/**
 * Compiles generated sources the way a user's build would see them: javac {@code --release 11}, an empty
 * classpath, every lint on, doclint on the public API, and warnings as errors; then loads the classes from memory.
 */
final class Javac {
  private Javac() {}

  static ClassLoader compile(List<GeneratedFile> files) {
    List<JavaFileObject> sources = new ArrayList<>();
    for (GeneratedFile f : files) sources.add(JavaFileObjects.forSourceString(f.qualifiedName(), f.content()));
    Compilation c = Compiler.javac()
        .withClasspath(List.of())
        .withOptions("--release", "11", "-Xlint:all", "-Xdoclint:all/protected", "-Werror", "-encoding", "UTF-8")
        .compile(sources);
    if (c.status() != Compilation.Status.SUCCESS || !c.diagnostics().isEmpty()) {
      StringBuilder msg = new StringBuilder("generated Java did not compile cleanly:\n");
      c.diagnostics().forEach(d -> msg.append(d).append('\n'));
      if (files.size() == 1 && files.get(0).content().length() < 40_000) msg.append(files.get(0).content());
      fail(msg.toString());
    }
    assertEquals(0, c.warnings().size());
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject o : c.generatedFiles()) {
      if (o.getKind() != JavaFileObject.Kind.CLASS) continue;
      String path = o.toUri().getPath();
      String name = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length(), path.length() - 6)
          .replace('/', '.');
      try (InputStream in = o.openInputStream()) {
        classes.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return new ClassLoader(Javac.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] b = classes.get(name);
        if (b == null) throw new ClassNotFoundException(name);
        return defineClass(name, b, 0, b.length);
      }
    };
  }

  static Class<?> load(GeneratedFile f) {
    try {
      return compile(List.of(f)).loadClass(f.qualifiedName());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
