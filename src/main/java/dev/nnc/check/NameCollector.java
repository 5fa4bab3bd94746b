package dev.nnc.check;

import dev.nnc.ast.Arg;
import dev.nnc.ast.DimItem;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Model;
import dev.nnc.ast.Name;
import dev.nnc.ast.Stmt;
import dev.nnc.ast.VarItem;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostics;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The first look at a model, before anything is lowered: which names are assigned where, which are declared,
 * which are written as values (in a file without declarations those become params), and whether one name is
 * written two ways that only the subscript mapping makes equal ({@code w₁} and {@code w1} → E0206).
 */
final class NameCollector {
  private final Scope scope;
  private final Set<String> declaredVarNames;
  private final Diagnostics diags;
  private final Map<String, Name> firstSpelling = new HashMap<>();
  private final Set<String> reported = new HashSet<>();

  private NameCollector(Scope scope, Set<String> declaredVarNames, Diagnostics diags) {
    this.scope = scope;
    this.declaredVarNames = declaredVarNames;
    this.diags = diags;
  }

  static void collect(Model model, Scope scope, Set<String> declaredVarNames, Diagnostics diags) {
    NameCollector c = new NameCollector(scope, declaredVarNames, diags);
    boolean anyVarDecl = false;
    for (int i = 0; i < model.statements().size(); i++) {
      Stmt s = model.statements().get(i);
      if (s instanceof Stmt.DimDecl d) {
        for (DimItem item : d.items()) c.name(item.name());
      } else if (s instanceof Stmt.VarDecl d) {
        anyVarDecl = true;
        for (VarItem item : d.items()) {
          c.name(item.name());
          declaredVarNames.add(item.name().id());
          for (Expr e : item.shape()) if (e instanceof Expr.Ref r) c.name(r.name());
        }
      } else if (s instanceof Stmt.Assign a) {
        c.name(a.target());
        scope.assignedAt.putIfAbsent(a.target().id(), i);
        scope.assignedTarget.putIfAbsent(a.target().id(), a.target());
        scope.spellings.putIfAbsent(a.target().id(), a.target().spelling());
        c.expr(a.value());
      } else if (s instanceof Stmt.StepAssign a) {
        // h[0] = … and h[t] = … both assign h; the step line is where h gets its value (the recurrence).
        c.name(a.target());
        if (!a.initial()) {
          scope.assignedAt.putIfAbsent(a.target().id(), i);
          scope.assignedTarget.putIfAbsent(a.target().id(), a.target());
        }
        scope.spellings.putIfAbsent(a.target().id(), a.target().spelling());
        c.expr(a.value());
      } else if (s instanceof Stmt.RuleDef r) {
        c.name(r.function()); // the rule's names are its function's parameters (Functions checks them)
      } else if (s instanceof Stmt.FunctionDef f) {
        // Its parameters and body are its own: they make no params or values of the model (Functions checks them).
        c.name(f.name());
      } else if (s instanceof Stmt.OutputDecl o) {
        for (Name n : o.names()) c.name(n);
      } else if (s instanceof Stmt.LossDecl l) {
        c.name(l.name());
      }
    }
    scope.implicitParams = !anyVarDecl;
  }

  private void expr(Expr e) {
    if (e instanceof Expr.Ref r) {
      name(r.name());
      scope.valueNames.add(r.name().id());
    } else if (e instanceof Expr.Unary u) {
      expr(u.operand());
    } else if (e instanceof Expr.Binary b) {
      expr(b.left());
      expr(b.right());
    } else if (e instanceof Expr.Transpose t) {
      expr(t.operand());
    } else if (e instanceof Expr.StepRef r) {
      name(r.name());
      scope.valueNames.add(r.name().id());
    } else if (e instanceof Expr.Derivative d) {
      scope.differentiatedNames.add(d.wrt().id());
      expr(d.of());
      name(d.wrt());
      scope.valueNames.add(d.wrt().id());
    } else if (e instanceof Expr.Call c) {
      if (!Builtins.isFunction(c.function().id())) name(c.function());
      for (Arg a : c.args()) expr(a.value());
    }
  }

  /** Records a spelling; a second spelling of the same id (other than by NFC) is the confusable-names error. */
  private void name(Name n) {
    Name first = firstSpelling.putIfAbsent(n.id(), n);
    if (first == null || first.spelling().equals(n.spelling())) return; // the usual case: no normalising needed
    String a = Normalizer.normalize(first.spelling(), Normalizer.Form.NFC);
    String b = Normalizer.normalize(n.spelling(), Normalizer.Form.NFC);
    if (a.equals(b) || !reported.add(n.id() + "\u0000" + b)) return;
    diags.error(Code.CONFUSABLE_NAMES, n.span(), "'" + n.spelling() + "' and '" + first.spelling()
        + "' (line " + first.span().line() + ") are the same name: subscript digits count as digits",
        "write it one way everywhere, e.g. '" + first.spelling() + "'");
  }
}
