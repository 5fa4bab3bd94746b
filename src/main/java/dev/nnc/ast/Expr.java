package dev.nnc.ast;

import dev.nnc.diag.Span;
import java.util.List;

/**
 * Expressions exactly as written (after precedence), with no semantic decisions: {@code a(x)} is a {@link Call}
 * whatever {@code a} is — name resolution decides whether it is a function call or the product {@code a·(x)}.
 * Parentheses leave no node. Binary chains are left-nested.
 */
public sealed interface Expr extends Node
    permits Expr.Num, Expr.Ref, Expr.Unary, Expr.Binary, Expr.Transpose, Expr.Call, Expr.Derivative,
        Expr.StepRef {

  /** A number literal; {@code text} as written (with U+2212 in the exponent mapped to '-'). */
  record Num(String text, Span span) implements Expr {
    public double value() {
      return Double.parseDouble(text);
    }
  }

  /** A name: a variable, a dim, or the constant {@code π}/{@code pi}. */
  record Ref(Name name, Span span) implements Expr {}

  /** {@code −e} or {@code +e}. */
  record Unary(UnaryOp op, Expr operand, Span span) implements Expr {}

  /** Every binary form; {@code x²} is {@code Binary(POW, x, Num("2"))} and {@code x³} likewise. */
  record Binary(BinaryOp op, Expr left, Expr right, Span span) implements Expr {}

  /** {@code eᵀ}. */
  record Transpose(Expr operand, Span span) implements Expr {}

  /**
   * {@code f(args)} (parenthesised = true) or {@code f x} (application without parentheses: one positional arg,
   * parenthesised = false). {@code function} is the name as written; built-in aliases are not merged here.
   */
  record Call(Name function, List<Arg> args, boolean parenthesised, Span span) implements Expr {
    public Call {
      args = List.copyOf(args);
    }
  }

  /**
   * {@code ∂E/∂x} or {@code grad(E, x)} (LANGUAGE.md §10): the gradient of the scalar {@code of} with respect to the
   * input or param {@code wrt}; {@code ascii} says it was written {@code grad(…)}.
   */
  record Derivative(Expr of, Name wrt, boolean ascii, Span span) implements Expr {}

  /**
   * {@code h[t−1]}, {@code X[t]} or {@code h[T]}: a value at one step of a recurrence (docs/language.md); the index is
   * an expression as written, which the checker restricts to the forms a recurrence allows.
   */
  record StepRef(Name name, Expr index, Span span) implements Expr {}

  enum UnaryOp {
    NEG,
    PLUS
  }

  enum BinaryOp {
    ADD,
    SUB,
    /** {@code *}, {@code ×}, {@code ⊙}: elementwise. */
    MUL,
    /** {@code /}, {@code ÷}: elementwise. */
    DIV,
    /** {@code ·}, {@code ⋅}, {@code @}: linear-algebra product (scalar scaling when a side is a scalar). */
    DOT,
    /** Side by side: same meaning as DOT, binds tighter than every written operator. */
    JUXT,
    /** {@code ^}, {@code **}, {@code ²}, {@code ³}: right-associative. */
    POW
  }
}
