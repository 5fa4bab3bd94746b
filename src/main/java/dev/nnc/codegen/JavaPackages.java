package dev.nnc.codegen;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which Java package names generated classes may go into. A valid name is not enough: javac refuses a class in a
 * package that a JDK module owns ({@code sun.misc}: "package exists in another module: jdk.unsupported"), and the
 * JVM refuses any {@code java.*} package ("Prohibited package name"). The JDK's packages are read from the running
 * JDK's system modules, so the list is never stale.
 */
public final class JavaPackages {
  private JavaPackages() {}

  static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch",
      "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally",
      "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new",
      "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super", "switch",
      "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false",
      "null", "_");

  private static volatile Map<String, String> owners;

  /** Why {@code name} cannot hold generated classes, or null if it can ("" is the unnamed package: fine). */
  public static String problem(String name) {
    if (name.isEmpty()) return null;
    if (!validName(name)) return "not a Java package name (dot-separated identifiers, e.g. com.example.models)";
    if (name.equals("java") || name.startsWith("java.")) {
      return "the java.* packages belong to the JDK (the JVM refuses classes in them); use your own package";
    }
    String module = jdkOwners().get(name);
    if (module != null) {
      return "the package belongs to the JDK module " + module + " (javac refuses classes in it); use your own package";
    }
    return null;
  }

  public static boolean validName(String name) {
    for (String part : name.split("\\.", -1)) {
      if (part.isEmpty() || KEYWORDS.contains(part) || !Character.isJavaIdentifierStart(part.codePointAt(0))) {
        return false;
      }
      for (int i = 0; i < part.length(); ) {
        int cp = part.codePointAt(i);
        if (!Character.isJavaIdentifierPart(cp)) return false;
        i += Character.charCount(cp);
      }
    }
    return true;
  }

  private static Map<String, String> jdkOwners() {
    Map<String, String> m = owners;
    if (m == null) {
      m = new HashMap<>();
      for (ModuleReference ref : ModuleFinder.ofSystem().findAll()) {
        ModuleDescriptor d = ref.descriptor();
        for (String p : d.packages()) m.putIfAbsent(p, d.name());
      }
      owners = m;
    }
    return m;
  }
}
