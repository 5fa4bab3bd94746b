package dev.nnc.check;

import dev.nnc.ast.Arg;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Model;
import dev.nnc.ast.Name;
import dev.nnc.ast.Stmt;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostics;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The model's own functions ({@code dense(x, W, b) = σ(x W + b)}, docs/language.md): checked once at the
 * definition, here, and expanded at every call by {@link ExprLowerer}. A body reads only its parameters (and π),
 * calls built-ins and the functions defined above it (so there is no recursion), and may use {@code ∂E/∂p} with
 * {@code p} a parameter. A function with an error here is still known, so its calls report nothing more.
 */
final class Functions {
  private static final Set<String> KEYWORDS = Set.of("model", "input", "param", "dim", "output", "loss", "grad");

  private final Scope scope;
  private final Diagnostics diags;
  private Stmt.FunctionDef current;
  private Set<String> params;
  private boolean ok;
  /** The names of every function of the model, to tell "defined below" from "unknown". */
  private final Set<String> allNames = new HashSet<>();

  private Functions(Scope scope, Diagnostics diags) {
    this.scope = scope;
    this.diags = diags;
  }

  static void define(Model model, Scope scope, Diagnostics diags) {
    Functions f = new Functions(scope, diags);
    List<Stmt> statements = model.statements();
    for (Stmt s : statements) if (s instanceof Stmt.FunctionDef d) f.allNames.add(d.name().id());
    for (int i = 0; i < statements.size(); i++) {
      if (statements.get(i) instanceof Stmt.FunctionDef def) f.define(def, i);
    }
    for (Stmt s : statements) if (s instanceof Stmt.RuleDef r) f.rule(r);
    for (Stmt.FunctionDef def : scope.functions.values()) {
      Stmt.RuleDef[] rules = scope.rules.get(def.name().id());
      if (rules == null) continue;
      for (int i = 0; i < rules.length; i++) {
        if (rules[i] != null) continue;
        Name p = def.params().get(i);
        diags.error(Code.RULE_TARGET, def.name().span(), "'" + def.name().spelling() + "' has derivative rules but none"
            + " for its parameter '" + p.spelling() + "'", "give every parameter a rule: ∂" + def.name().spelling()
            + "/∂" + p.spelling() + " = …");
        scope.failedFunctions.add(def.name().id());
      }
    }
  }

  /** {@code ∂f/∂x = expr}: f a function of the model, x one of its parameters, expr reading its parameters. */
  private void rule(Stmt.RuleDef r) {
    Stmt.FunctionDef def = scope.functions.get(r.function().id());
    if (def == null) {
      diags.error(Code.RULE_TARGET, r.function().span(), "no function '" + r.function().spelling()
          + "' in this model to give a derivative rule", "define it first: " + r.function().spelling() + "(x) = …");
      return;
    }
    int index = -1;
    for (int i = 0; i < def.params().size(); i++) if (def.params().get(i).id().equals(r.param().id())) index = i;
    if (index < 0) {
      diags.error(Code.RULE_TARGET, r.param().span(), "'" + r.param().spelling() + "' is not a parameter of "
          + usage(def), "a rule gives ∂" + def.name().spelling() + "/∂p for a parameter p");
      return;
    }
    Stmt.RuleDef[] rules = scope.rules.computeIfAbsent(def.name().id(), k -> new Stmt.RuleDef[def.params().size()]);
    if (rules[index] != null) {
      diags.error(Code.RULE_TARGET, r.span(), "the rule ∂" + def.name().spelling() + "/∂" + r.param().spelling()
          + " is given twice (first on line " + rules[index].span().line() + ")", "give each rule once");
      return;
    }
    rules[index] = r;
    current = def;
    params = new HashSet<>();
    for (Name p : def.params()) params.add(p.id());
    ok = true;
    body(r.rule());
    if (!ok) scope.failedFunctions.add(def.name().id());
  }

  /** {@code dense(x, W, b)}, for hints. */
  static String usage(Stmt.FunctionDef f) {
    StringBuilder b = new StringBuilder(f.name().spelling()).append('(');
    for (int i = 0; i < f.params().size(); i++) b.append(i > 0 ? ", " : "").append(f.params().get(i).spelling());
    return b.append(')').toString();
  }

  private void define(Stmt.FunctionDef def, int at) {
    Name name = def.name();
    String id = name.id();
    current = def;
    ok = true;
    if (Builtins.isFunction(id) || Builtins.isConstant(id) || KEYWORDS.contains(id)) {
      diags.error(Code.RESERVED_NAME, name.span(), "'" + name.spelling() + "' is "
          + (Builtins.isFunction(id) ? "a built-in function" : Builtins.isConstant(id) ? "the constant π" : "a keyword")
          + " and cannot name a function", "choose another name, e.g. '" + name.spelling() + "_'");
      return;
    }
    String taken = scope.functions.containsKey(id) ? "a function (line " + scope.functions.get(id).span().line() + ")"
        : scope.dims.containsKey(id) ? "a dim"
        : scope.vars.containsKey(id) ? (scope.vars.get(id).role == dev.nnc.ir.Role.INPUT ? "an input" : "a param")
        : scope.assignedAt.containsKey(id) ? "an assigned value" : null;
    if (taken != null) {
      diags.error(Code.FUNCTION_NAME_TAKEN, name.span(), "'" + name.spelling() + "' is already " + taken,
          "give the function another name");
      return;
    }
    params = new HashSet<>();
    for (Name p : def.params()) {
      if (Builtins.isFunction(p.id()) || Builtins.isConstant(p.id())) {
        diags.error(Code.RESERVED_NAME, p.span(), "'" + p.spelling() + "' is a built-in and cannot be a parameter",
            "choose another name, e.g. '" + p.spelling() + "_'");
        ok = false;
      } else if (!params.add(p.id())) {
        diags.error(Code.FUNCTION_NAME_TAKEN, p.span(), "'" + p.spelling() + "' names two parameters of '"
            + name.spelling() + "'", "give each parameter its own name");
        ok = false;
      }
    }
    body(def.body());
    scope.functions.put(id, def);
    scope.functionAt.put(id, at);
    if (!ok) scope.failedFunctions.add(id);
  }

  /** Walks the body (its nesting only; the compiler runs on a big-stack thread). */
  private void body(Expr e) {
    if (e instanceof Expr.Ref r) {
      String id = r.name().id();
      if (!params.contains(id) && !Builtins.isConstant(id)) {
        diags.error(Code.FUNCTION_BODY_NAME, r.name().span(), "'" + r.name().spelling() + "' is not a parameter of '"
            + current.name().spelling() + "'", "a function reads only its parameters: add it, "
            + usage(current).replace(")", ", " + r.name().spelling() + ")") + ", and pass it at the calls");
        ok = false;
      }
    } else if (e instanceof Expr.Unary u) {
      body(u.operand());
    } else if (e instanceof Expr.Binary b) {
      body(b.left());
      body(b.right());
    } else if (e instanceof Expr.Transpose t) {
      body(t.operand());
    } else if (e instanceof Expr.StepRef r) {
      diags.error(Code.STEP_INDEX, r.span(), "'" + r.name().spelling() + "[…]' reads a step of a recurrence, which a "
          + "function body cannot", "pass the value at the step as an argument: f(h[t−1])");
      ok = false;
    } else if (e instanceof Expr.Derivative d) {
      body(d.of());
      if (!params.contains(d.wrt().id())) {
        diags.error(Code.FUNCTION_BODY_NAME, d.wrt().span(), "'" + d.wrt().spelling() + "' is not a parameter of '"
            + current.name().spelling() + "'", "inside a function, differentiate with respect to a parameter");
        ok = false;
      }
    } else if (e instanceof Expr.Call c) {
      String f = c.function().id();
      if (!Builtins.isFunction(f) && !params.contains(f)) {
        Integer at = scope.functionAt.get(f);
        if (at == null) {
          boolean later = f.equals(current.name().id()) || laterFunction(f);
          diags.error(later ? Code.FUNCTION_ORDER : Code.UNKNOWN_FUNCTION, c.function().span(), later
              ? "'" + current.name().spelling() + "' calls '" + c.function().spelling() + "', which is "
                  + (f.equals(current.name().id()) ? "itself" : "defined after it")
              : "unknown function '" + c.function().spelling() + "'",
              later ? "a function may call only built-ins and the functions defined above it (no recursion)"
                  : "a function calls built-ins and the functions defined above it");
          ok = false;
        }
      }
      for (Arg a : c.args()) body(a.value());
    }
  }

  /** A function of the model not yet defined at this point: one defined below. */
  private boolean laterFunction(String id) {
    return allNames.contains(id);
  }
}
