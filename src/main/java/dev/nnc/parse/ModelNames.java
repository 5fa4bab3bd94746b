package dev.nnc.parse;

import java.nio.file.Path;

/** The model name of a bare-statement file: {@code two_layer-net.nn} → {@code TwoLayerNet}. */
public final class ModelNames {
  private ModelNames() {}

  /**
   * Splits the file's base name (without its extension) on everything that is not a letter or digit and
   * capitalises each part; prefixes {@code Model} when the result would start with a digit, and is {@code Model}
   * when nothing is left. The result is a valid Java class name.
   */
  public static String fromFileName(String fileName) {
    String base = fileName;
    try {
      Path p = Path.of(fileName).getFileName();
      if (p != null) base = p.toString();
    } catch (RuntimeException e) {
      int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
      base = fileName.substring(slash + 1);
    }
    int dot = base.lastIndexOf('.');
    if (dot > 0) base = base.substring(0, dot);
    StringBuilder name = new StringBuilder();
    boolean startOfPart = true;
    for (int i = 0; i < base.length(); ) {
      int cp = base.codePointAt(i);
      i += Character.charCount(cp);
      if (!Character.isLetterOrDigit(cp) || !Character.isJavaIdentifierPart(cp)) {
        startOfPart = true;
        continue;
      }
      name.appendCodePoint(startOfPart ? Character.toUpperCase(cp) : cp);
      startOfPart = false;
    }
    if (name.length() == 0) return "Model";
    if (!Character.isJavaIdentifierStart(name.codePointAt(0))) name.insert(0, "Model");
    return name.toString();
  }
}
