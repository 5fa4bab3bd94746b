package dev.nnc.ast;

/** A statement of a model body. */
public sealed interface Stmt extends Node
    permits Stmt.DimDecl, Stmt.VarDecl, Stmt.OutputDecl, Stmt.LossDecl, Stmt.Assign, Stmt.FunctionDef,
        Stmt.RuleDef, Stmt.StepAssign {

  /** {@code dim B, I = 784}. */
  record DimDecl(java.util.List<DimItem> items, dev.nnc.diag.Span span) implements Stmt {
    public DimDecl {
      items = java.util.List.copyOf(items);
    }
  }

  /** {@code input x[n], y} or {@code param W[I, H] ~ normal(0, 0.01), b}. */
  record VarDecl(VarKind kind, java.util.List<VarItem> items, dev.nnc.diag.Span span) implements Stmt {
    public VarDecl {
      items = java.util.List.copyOf(items);
    }
  }

  /** {@code output Y, Z}. */
  record OutputDecl(java.util.List<Name> names, dev.nnc.diag.Span span) implements Stmt {
    public OutputDecl {
      names = java.util.List.copyOf(names);
    }
  }

  /** {@code loss L}. */
  record LossDecl(Name name, dev.nnc.diag.Span span) implements Stmt {}

  /** {@code name = expr}. */
  record Assign(Name target, Expr value, dev.nnc.diag.Span span) implements Stmt {}

  /**
   * {@code dense(x, W, b) = σ(x W + b)}: a function of the model, expanded at every call (docs/language.md).
   * {@code params} are its parameter names, which are the only names its body may read.
   */
  record FunctionDef(Name name, java.util.List<Name> params, Expr body, dev.nnc.diag.Span span) implements Stmt {
    public FunctionDef {
      params = java.util.List.copyOf(params);
    }
  }

  /**
   * {@code ∂f/∂x = expr} (or {@code ≈}; ASCII {@code grad(f, x) = expr}): the derivative of the model function
   * {@code f} with respect to its parameter {@code x}, given by the user; {@code exact} is false for {@code ≈}.
   */
  record RuleDef(Name function, Name param, boolean exact, Expr rule, boolean ascii, dev.nnc.diag.Span span)
      implements Stmt {}

  /**
   * A line of a recurrence (docs/language.md, "Recurrences"): {@code h[0] = h0} (the initial state: {@code index} is
   * the number 0) or {@code h[t] = tanh(h[t−1] Wh + X[t] Wx + b)} (the step: {@code index} names the step). The
   * checker validates the index; both lines together define the value {@code h}.
   */
  record StepAssign(Name target, Expr index, Expr value, dev.nnc.diag.Span span) implements Stmt {
    /** True for the initial-state line {@code h[0] = …} (an index that is a number). */
    public boolean initial() {
      return index instanceof Expr.Num;
    }
  }

  enum VarKind {
    INPUT("input"),
    PARAM("param");

    private final String keyword;

    VarKind(String keyword) {
      this.keyword = keyword;
    }

    public String keyword() {
      return keyword;
    }
  }
}
