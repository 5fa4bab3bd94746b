package dev.nnc.codegen;

import dev.nnc.diff.DiffModel;

/** The one generator that stamps every generated file. */
public final class JavaGenerator {
  private JavaGenerator() {}

  public static GeneratedFile generate(DiffModel model, String packageName) {
    throw new UnsupportedOperationException("code generator not built yet"); // replaced by the codegen work
  }
}
