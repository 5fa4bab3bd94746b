package dev.nnc.diff;

import dev.nnc.diag.Span;
import dev.nnc.ir.Expr;
import dev.nnc.notation.Step;
import java.util.List;

/**
 * ∂loss/∂name as a node of the model's graph, with the chain-rule step that produced it, as data (explanations
 * are recorded here once; {@code nnc grad} and generated comments print this record, nobody re-derives prose).
 *
 * @param name the value or param this is the adjoint of (model id, e.g. {@code z}, {@code W1})
 * @param spelling that name as written in the model (e.g. {@code w₁})
 * @param value the adjoint expression (after simplification, the simplified one)
 * @param steps the chain rule, one {@link Step} per statement that reads {@code name}, in definition order
 *     ({@code ∂L/∂a · ∂a/∂z} with local form {@code ∂L/∂a · a(1−a)}); empty for the loss and for a name nothing
 *     the loss depends on reads
 * @param span the statement the chain-rule step comes from: the first statement (in definition order) that uses
 *     {@code name} — for {@code ∂L/∂z = ∂L/∂a · a(1−a)} that is {@code a = σ(z)}; for the loss and for a name nothing
 *     uses, its own statement or declaration
 */
public record Adjoint(String name, String spelling, Kind kind, Expr value, List<Step> steps, Span span) {
  public Adjoint {
    steps = List.copyOf(steps);
  }

  public enum Kind {
    LOSS,
    VALUE,
    PARAM
  }

  public Adjoint withValue(Expr newValue) {
    return new Adjoint(name, spelling, kind, newValue, steps, span);
  }
}
