package dev.nnc.notation;

import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The graph the {@link Step#local()} forms live in, and what its symbols stand for.
 *
 * <p>Each consumer statement is copied into this graph with every value it reads replaced by a symbol (a var
 * named by the value's spelling), its incoming adjoint by the symbol ∂L/∂s, and the copy of its own root named
 * {@code s}; the same rules then run on the copy. So a local form shows the rule as applied, independently of how
 * the real adjoints fold or share nodes. Immutable once the differentiator has built it.
 */
public final class Explanation {
  private final Graph graph;
  private final Map<Expr, Symbol> symbols;
  private final String loss;
  /** Immutable, so that printers can share it ({@code Map.copyOf} of it is itself): it has a label per symbol of the
   * whole model, and copying it for each adjoint's comment made long models quadratic (issue 11). */
  private final Map<Expr, Label> labels;

  /**
   * @param graph the explanation graph (nothing adds to it after differentiation)
   * @param symbols the named nodes of {@code graph}
   * @param loss the loss's spelling (the numerator of every adjoint symbol)
   */
  public Explanation(Graph graph, Map<Expr, Symbol> symbols, String loss) {
    this.graph = graph;
    this.symbols = Collections.unmodifiableMap(new HashMap<>(symbols));
    this.loss = loss;
    Map<Expr, Label> built = new HashMap<>();
    symbols.forEach((e, s) -> built.put(e, s.adjoint() ? Label.partial(loss, s.spelling()) : Label.name(s.spelling())));
    this.labels = Map.copyOf(built);
  }

  /** No explanation (a hand-built derivation in tests, forward-only generation). */
  public static Explanation none(String loss) {
    return new Explanation(new Graph(), Map.of(), loss);
  }

  public Graph graph() {
    return graph;
  }

  public Map<Expr, Symbol> symbols() {
    return symbols;
  }

  public String loss() {
    return loss;
  }

  /** What each symbol prints as: its name, or ∂L/∂name for an incoming adjoint. */
  public Map<Expr, Label> labels() {
    return labels;
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
