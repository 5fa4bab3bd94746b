package dev.nnc.diff;

import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import java.util.Collections;
import java.util.Map;

/**
 * The graph the {@link Step#local()} forms live in, and what its symbols stand for.
 *
 * <p>Each consumer statement is copied into this graph with every value it reads replaced by a symbol (a var
 * named by the value's spelling), its incoming adjoint by the symbol ∂L/∂s, and the copy of its own root named
 * {@code s}; the same rules then run on the copy. So a local form shows the rule as applied, independently of how
 * the real adjoints fold or share nodes.
 *
 * @param graph the explanation graph (nothing adds to it after differentiation)
 * @param symbols the named nodes of {@code graph}
 * @param loss the loss's spelling (the numerator of every adjoint symbol)
 */
public record Explanation(Graph graph, Map<Expr, Symbol> symbols, String loss) {
  public Explanation {
    symbols = Collections.unmodifiableMap(symbols);
  }

  /** No explanation (a hand-built {@link DiffModel} in tests). */
  public static Explanation none(String loss) {
    return new Explanation(new Graph(), Map.of(), loss);
  }

  /**
   * A named node of the explanation graph.
   *
   * @param spelling the model name it prints as ({@code a}); for an adjoint, the name it is the adjoint of
   * @param standsFor the model graph's node it stands for: a value or leaf, or for an adjoint the value whose
   *     adjoint it is
   * @param adjoint whether this is the incoming adjoint ∂L/∂spelling rather than the value itself
   */
  public record Symbol(String spelling, Expr standsFor, boolean adjoint) {}
}
