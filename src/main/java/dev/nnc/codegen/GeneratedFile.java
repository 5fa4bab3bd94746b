package dev.nnc.codegen;

/** One generated Java source file. */
public record GeneratedFile(String packageName, String className, String content) {
  /** {@code dev/example/Model.java}, or {@code Model.java} in the unnamed package. */
  public String relativePath() {
    return packageName.isEmpty() ? className + ".java" : packageName.replace('.', '/') + "/" + className + ".java";
  }

  /**
   * The path as a case-insensitive file system (macOS, Windows) sees it: two files with equal keys overwrite each
   * other there, so the compiler (within one source) and {@code nnc compile} (across sources) refuse them.
   */
  public String caseInsensitivePath() {
    return relativePath().toLowerCase(java.util.Locale.ROOT);
  }

  public String qualifiedName() {
    return packageName.isEmpty() ? className : packageName + "." + className;
  }
}
