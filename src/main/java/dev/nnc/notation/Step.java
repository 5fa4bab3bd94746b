package dev.nnc.notation;

import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;

/**
 * One term of the chain rule for an adjoint ∂L/∂x: what one statement {@code s = f(…, x, …)} that reads x
 * contributes, as data. {@code nnc grad}, the comments of generated code and {@code nnc trace} print it (through
 * the renderer in {@code dev.nnc.notation}); nobody re-derives or re-parses it.
 *
 * <p>For {@code z} read by {@code a = σ(z)}: the symbolic step is {@code ∂L/∂a · ∂a/∂z} (consumer {@code a}),
 * {@code local} is {@code ∂L/∂a · a(1−a)} — the rule as applied, in the {@link Explanation}'s graph, where
 * {@code ∂L/∂a}, {@code a} and the values {@code a} reads are {@link Explanation.Symbol symbols} — and
 * {@code contribution} is the same term among the model's own nodes (what the adjoint sums).
 *
 * @param consumer the statement {@code s} the step goes through
 * @param wrt how {@code s} names what it reads: the spelling of x (of the first value naming x's node, when two
 *     values are one node)
 * @param fromLoss {@code s} is the loss itself: the step is ∂L/∂x directly (its incoming adjoint is 1)
 * @param local the term as the rule applied it, a node of {@link Explanation#graph()}
 * @param contribution the term as a node of the model's graph
 */
public record Step(ModelIR.Value consumer, String wrt, boolean fromLoss, Expr local, Expr contribution) {}
