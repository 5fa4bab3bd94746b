package dev.nnc.ir;

import dev.nnc.diag.Span;
import java.util.List;

/**
 * One recurrence of a model (docs/language.md, "Recurrences"): {@code h[0] = init}, {@code h[t] = f(h[t−1], X[t], …)}
 * for t = 1 … T. Its step {@code f} is a small model of its own, {@code step}, over its own graph, whose params are
 * everything one step reads — the previous state {@code state} (h[t−1]), the sequences' slices {@code slices}
 * (X[t], one per sequence) and the values it captures from the model ({@code captures}: Wh, b, …) — and whose one
 * input {@code seed} is the adjoint arriving at the step's new state. Its values are the new state ({@code h[t]})
 * and the loss {@code Σ h[t] ⊙ seed}, so the step model's reverse pass is exactly one step of backpropagation through
 * time: the gradients of that loss are the vector–Jacobian products of the step with the seed.
 *
 * <p>The {@link Expr.Recur} nodes of the model graph refer to it; operands of the node are, in this order, the
 * initial state, the sequences (parallel to {@code slices}) and the captured values (parallel to {@code captures}).
 * Equality is identity: one recurrence statement, one object.
 *
 * @param name the recurrence's value (h)
 * @param spelling h as written
 * @param index the step index as written (t)
 * @param steps the dim of the steps (axis 0 of every sequence)
 * @param bodyText the step's right-hand side as written, for comments
 * @param span the step statement {@code h[t] = …}
 */
public record Recurrence(String name, String spelling, String index, Dim steps, ModelIR step, Expr.Var state,
    List<Expr.Var> slices, List<Expr.Var> captures, Expr.Var seed, String bodyText, Span span) {

  public Recurrence {
    slices = List.copyOf(slices);
    captures = List.copyOf(captures);
  }

  /** The step's new state h[t] (a node of {@code step}'s graph). */
  public Expr body() {
    return step.value(name).node();
  }

  /** The shape of one state (h[0], h[t]). */
  public Shape stateShape() {
    return state.shape();
  }

  /** The step-model param that stands for operand {@code i} of an {@link Expr.Recur} node. */
  public Expr.Var placeholder(int operand) {
    if (operand == 0) return state;
    if (operand <= slices.size()) return slices.get(operand - 1);
    return captures.get(operand - 1 - slices.size());
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "recurrence " + spelling + "[" + index + "] over " + steps;
  }
}
