package dev.nnc.train;

import dev.nnc.codegen.GeneratedFile;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles Java source held in memory with the JDK's own compiler (javax.tools) and loads the classes in a fresh
 * class loader: nothing is written to disk, and the classes go away with the loader.
 */
public final class InMemoryJavac {
  /** The source did not compile, or no compiler is available; the message holds javac's diagnostics. */
  public static final class CompileException extends Exception {
    public CompileException(String message) {
      super(message);
    }
  }

  private InMemoryJavac() {}

  /** Compiles the files together and returns a loader that defines exactly their classes (parent: this class's loader). */
  public static ClassLoader compile(List<GeneratedFile> files) throws CompileException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new CompileException("no Java compiler in this runtime (javax.tools): run nnc with a JDK, not a JRE");
    }
    List<JavaFileObject> units = new ArrayList<>();
    for (GeneratedFile f : files) units.add(new SourceFile(f));
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<String, ByteArrayOutputStream> classes = new HashMap<>();
    StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
    JavaFileManager memory = new ForwardingJavaFileManager<>(standard) {
      @Override
      public JavaFileObject getJavaFileForOutput(
          Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
        return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
          @Override
          public OutputStream openOutputStream() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            classes.put(className, bytes);
            return bytes;
          }
        };
      }
    };
    // -proc:none: generated code has no annotations to process, and classpath processors must not run here.
    List<String> options = List.of("-proc:none", "-g", "-Xlint:none", "-nowarn");
    StringWriter javacOut = new StringWriter();
    boolean ok = javac.getTask(javacOut, memory, diagnostics, options, null, units).call();
    if (!ok) {
      StringBuilder message = new StringBuilder("the generated Java source did not compile:");
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() != Diagnostic.Kind.ERROR) continue;
        String where = d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ";
        message.append("\n  ").append(where).append(d.getMessage(Locale.ROOT));
      }
      if (!javacOut.toString().isBlank()) message.append('\n').append(javacOut.toString().strip());
      throw new CompileException(message.toString());
    }
    Map<String, byte[]> bytecode = new HashMap<>();
    classes.forEach((name, bytes) -> bytecode.put(name, bytes.toByteArray()));
    return new MemoryClassLoader(bytecode, InMemoryJavac.class.getClassLoader());
  }

  private static final class SourceFile extends SimpleJavaFileObject {
    private final String content;

    SourceFile(GeneratedFile file) {
      super(URI.create("mem:///" + file.relativePath()), Kind.SOURCE);
      this.content = file.content();
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return content;
    }
  }

  private static final class MemoryClassLoader extends ClassLoader {
    private final Map<String, byte[]> bytecode;

    MemoryClassLoader(Map<String, byte[]> bytecode, ClassLoader parent) {
      super(parent);
      this.bytecode = bytecode;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] b = bytecode.get(name);
      if (b == null) throw new ClassNotFoundException(name);
      return defineClass(name, b, 0, b.length);
    }
  }
}
