package dev.nnc.ir;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Java identifiers for one generated class, claimed in a fixed order so that the same model always gets the same
 * names. Model names are transliterated to ASCII ({@code θ₁} → {@code theta1}, {@code ŷ} → {@code yHat}); Java
 * keywords, the {@link #RESERVED} names and names already taken get {@code _} appended until free. {@link NameTable}
 * claims every model name first (so a model's own names win over derived ones); the generator then asks
 * {@link #fresh} for its loop indices and temporaries, which can never take a model's name.
 */
public final class JavaIdentifiers {
  /** Java's keywords and literals, and the contextual names that cannot name a variable or type. */
  public static final Set<String> KEYWORDS = Set.of(
      "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
      "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
      "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
      "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
      "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "yield",
      "record", "sealed", "permits", "_");

  /**
   * Simple names the generated code refers to inside the class: a field with one of these names would hide the
   * type or package, and a generated class with one of them would hide the java.lang or imported type from every
   * other class of its package. Names the generator gives its own members (helper methods, nested types, scratch
   * fields) are drawn from {@code NameTable.javaScope()} instead, which starts with every model name and the class
   * name taken. {@code GeneratedNameHygieneTest} collects the names the generator emits and checks none can clash.
   */
  public static final Set<String> RESERVED = Set.of(
      "Math", "System", "Double", "Integer", "Long", "Object", "String", "StringBuilder", "IllegalArgumentException",
      "IllegalStateException", "SplittableRandom", "Generated", "Override", "IOException", "InputStream",
      "OutputStream", "Path", "RecursiveAction", "ForkJoinPool", "Runtime", "java", "javax", "Throwable", "RuntimeException",
      "Error", "Thread", "AtomicInteger");

  /**
   * Methods of a generated class. A class named like one of them would make javadoc's {@code {@link #step(double)}}
   * resolve to a constructor (doclint: "reference not found"), so {@link #className} avoids them; fields may share
   * a method's name (Java keeps the two apart).
   */
  public static final Set<String> METHODS = Set.of(
      "forward", "backward", "step", "jvp", "initialize", "predict", "paramCount", "paramsTo", "paramsFrom", "gradientsTo",
      "gradientsFrom", "addGradients", "addGradientsTo", "addGradientsFrom", "stepMomentum", "stepAdam", "stepAdamW",
      "resetOptimizers", "momentumElement", "adamElement", "saveNpz", "loadNpz", "npyBytes", "npyField", "npyValues",
      "npzGet", "npzSet", "npzName", "npzShape", "shapeText", "sigmoid", "relu", "softplus", "heaviside", "leakyRelu",
      "leakyStep", "ge", "gaussian", "dot", "matvec", "matTvec", "matmulNN", "matmulNT", "matmulTN", "matmulTT",
      "productRows", "rows", "conv2d", "convTranspose2d", "conv2dWeight", "maxpool", "maxpoolRoute", "maxpoolPick",
      "avgpool", "avgpoolSpread", "reshape");

  private static final Map<Integer, String> GREEK = new HashMap<>();

  static {
    String[] lower = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
        "mu", "nu", "xi", "omicron", "pi", "rho", "finalSigma", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"};
    for (int i = 0; i < lower.length; i++) {
      GREEK.put(0x03B1 + i, lower[i]);
      if (i != 17) GREEK.put(0x0391 + i, Character.toUpperCase(lower[i].charAt(0)) + lower[i].substring(1));
    }
    GREEK.put(0x03D1, "thetaSym");
    GREEK.put(0x03D5, "phiSym");
    GREEK.put(0x03F5, "epsilonLunate");
    GREEK.put(0x00B5, "mu");
  }

  private static final Map<Integer, String> MARKS = Map.of(
      0x0302, "Hat", 0x0304, "Bar", 0x0305, "Bar", 0x0303, "Tilde", 0x0307, "Dot", 0x0308, "Ddot", 0x0301, "Acute",
      0x0300, "Grave", 0x0306, "Breve", 0x030C, "Check");

  private final Set<String> taken;

  /** An empty scope: only keywords and {@link #RESERVED} are unavailable. */
  public JavaIdentifiers() {
    this.taken = new HashSet<>(RESERVED);
  }

  private JavaIdentifiers(Set<String> taken) {
    this.taken = new HashSet<>(taken);
  }

  /** A scope that starts with every name taken here; later claims in either do not affect the other. */
  public JavaIdentifiers copy() {
    return new JavaIdentifiers(taken);
  }

  /** Claims an identifier derived from {@code modelName} (transliterated, then {@code _} until free). */
  public String claim(String modelName) {
    return fresh(transliterate(modelName));
  }

  /** Claims {@code preferred}, or {@code preferred_}, {@code preferred__}, … whichever is free first. */
  public String fresh(String preferred) {
    String name = preferred;
    while (KEYWORDS.contains(name) || taken.contains(name)) name = name + "_";
    taken.add(name);
    return name;
  }

  /** Marks {@code name} taken (the class's own name, which no member may take), whether or not it was free. */
  public void take(String name) {
    taken.add(name);
  }

  public boolean isTaken(String name) {
    return taken.contains(name);
  }

  /** An ASCII Java identifier for a model name; never empty, never starts with a digit. */
  public static String transliterate(String modelName) {
    String nfd = Normalizer.normalize(modelName, Normalizer.Form.NFD);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < nfd.length(); ) {
      int cp = nfd.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 128 && (Character.isLetterOrDigit(cp) || cp == '_')) {
        out.append((char) cp);
      } else if (cp >= 0x2080 && cp <= 0x2089) {
        out.append((char) ('0' + cp - 0x2080)); // subscript digits
      } else if (GREEK.containsKey(cp)) {
        appendWord(out, GREEK.get(cp));
      } else if (MARKS.containsKey(cp)) {
        appendWord(out, MARKS.get(cp));
      } else if (Character.getType(cp) == Character.NON_SPACING_MARK) {
        appendWord(out, "Mark" + Integer.toHexString(cp));
      } else {
        appendWord(out, "U" + Integer.toHexString(cp));
      }
    }
    if (out.length() == 0) out.append("v");
    if (Character.isDigit(out.charAt(0))) out.insert(0, '_');
    return out.toString();
  }

  private static void appendWord(StringBuilder out, String word) {
    if (out.length() > 0 && Character.isLetterOrDigit(out.charAt(out.length() - 1))) {
      out.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
    } else {
      out.append(word);
    }
  }

  /** A Java class name for a model: transliterated, never a keyword or a {@link #RESERVED} name. */
  public static String className(String modelName) {
    String name = transliterate(modelName);
    while (KEYWORDS.contains(name) || RESERVED.contains(name) || METHODS.contains(name)) name = name + "_";
    return name;
  }
}
