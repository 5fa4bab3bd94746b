package dev.nnc.codegen;

/** One generated Java source file. */
public record GeneratedFile(String packageName, String className, String content) {
  /** {@code dev/example/Model.java}, or {@code Model.java} in the unnamed package. */
  public String relativePath() {
    return packageName.isEmpty() ? className + ".java" : packageName.replace('.', '/') + "/" + className + ".java";
  }

  public String qualifiedName() {
    return packageName.isEmpty() ? className : packageName + "." + className;
  }
}
