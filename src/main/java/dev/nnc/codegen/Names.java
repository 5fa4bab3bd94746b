package dev.nnc.codegen;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Java identifiers for one generated class. Model names are transliterated to ASCII ({@code θ₁} → {@code theta1},
 * {@code ŷ} → {@code yHat}); Java keywords, the JDK names the generated code uses ({@code Math}, {@code System}) and
 * names already taken get {@code _} appended until free. Names are claimed in a fixed order (dims, inputs, params,
 * values, then gradients, then the generator's own locals), so the same model always gets the same names and a
 * model's own names win over derived ones ({@code dw} written by the user keeps its name; the gradient of {@code w}
 * becomes {@code dw_}).
 */
final class Names {
  private static final Set<String> KEYWORDS = Set.of(
      "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
      "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
      "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
      "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
      "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "yield",
      "record", "sealed", "permits", "_");

  /** Simple names the generated code refers to; a field with one of these names would hide the type. */
  static final Set<String> JDK_NAMES = Set.of(
      "Math", "System", "Double", "Integer", "Object", "String", "IllegalArgumentException", "SplittableRandom",
      "Generated", "Override", "java", "javax");

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

  private final Set<String> taken = new HashSet<>(JDK_NAMES);
  private final Map<String, String> byKey = new HashMap<>();

  /** Claims a Java name for {@code key}, derived from {@code modelName}; the same key always returns its name. */
  String claim(String key, String modelName) {
    String existing = byKey.get(key);
    if (existing != null) return existing;
    String name = free(transliterate(modelName));
    byKey.put(key, name);
    return name;
  }

  String get(String key) {
    return byKey.get(key);
  }

  /** A fresh name for the generator's own use (a loop index, a temporary), avoiding every claimed name. */
  String fresh(String preferred) {
    return free(preferred);
  }

  private String free(String candidate) {
    String name = candidate;
    while (KEYWORDS.contains(name) || taken.contains(name)) name = name + "_";
    taken.add(name);
    return name;
  }

  /** An ASCII Java identifier for a model name; never empty, never starts with a digit. */
  static String transliterate(String modelName) {
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

  /** A Java class name for a model: transliterated, never a keyword or a JDK name the generated code uses. */
  static String className(String modelName) {
    String name = transliterate(modelName);
    while (KEYWORDS.contains(name) || JDK_NAMES.contains(name)) name = name + "_";
    return name;
  }
}
