package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/**
 * A parsed file. A bare-statement file holds exactly one model whose name was derived from the file name
 * ({@code two_layer-net.nn} → {@code TwoLayerNet}) and {@code bare} is true.
 */
public record SourceFile(List<Model> models, boolean bare, Span span) implements Node {
  public SourceFile {
    models = List.copyOf(models);
  }
}
