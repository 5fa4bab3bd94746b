package dev.nnc.ast;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * An s-expression dump of the tree's shape without spans, for tests and debugging:
 * {@code J = 3(a + b c)} is {@code (assign J (juxt 3 (+ a (juxt b c))))}. Names print as their id
 * (subscripts mapped, NFC). With {@code normaliseAliases}, built-in aliases and π/pi print as one name
 * ({@code σ} → {@code sigmoid}, {@code π} → {@code pi}), which is what survives {@link AstPrinter} in both
 * spellings. Iterative, like the printer.
 */
public final class AstDump {
  private final boolean normaliseAliases;

  private AstDump(boolean normaliseAliases) {
    this.normaliseAliases = normaliseAliases;
  }

  /** One line per model header ({@code model Name} or {@code bare Name}) and one indented line per statement. */
  public static String file(SourceFile file, boolean normaliseAliases) {
    AstDump d = new AstDump(normaliseAliases);
    StringBuilder out = new StringBuilder();
    for (Model m : file.models()) {
      out.append(file.bare() ? "bare " : "model ").append(m.name()).append('\n');
      for (Stmt s : m.statements()) out.append("  ").append(d.stmt(s)).append('\n');
    }
    return out.toString();
  }

  public static String stmt(Stmt s, boolean normaliseAliases) {
    return new AstDump(normaliseAliases).stmt(s);
  }

  public static String expr(Expr e, boolean normaliseAliases) {
    StringBuilder out = new StringBuilder();
    new AstDump(normaliseAliases).expr(e, out);
    return out.toString();
  }

  private String stmt(Stmt s) {
    StringBuilder out = new StringBuilder();
    if (s instanceof Stmt.Assign a) {
      out.append("(assign ").append(a.target().id()).append(' ');
      expr(a.value(), out);
      out.append(')');
    } else if (s instanceof Stmt.StepAssign a) {
      out.append("(step ").append(a.target().id()).append(' ');
      expr(a.index(), out);
      out.append(' ');
      expr(a.value(), out);
      out.append(')');
    } else if (s instanceof Stmt.RuleDef r) {
      out.append(r.exact() ? "(rule " : "(approximate-rule ").append(r.function().id()).append(' ')
          .append(r.param().id()).append(' ');
      expr(r.rule(), out);
      out.append(')');
    } else if (s instanceof Stmt.FunctionDef f) {
      out.append("(function ").append(f.name().id()).append(" (");
      for (int i = 0; i < f.params().size(); i++) out.append(i > 0 ? " " : "").append(f.params().get(i).id());
      out.append(") ");
      expr(f.body(), out);
      out.append(')');
    } else if (s instanceof Stmt.DimDecl d) {
      out.append("(dim");
      for (DimItem item : d.items()) {
        out.append(' ');
        if (item.size() == null) {
          out.append(item.name().id());
        } else {
          out.append('(').append(item.name().id()).append(' ');
          expr(item.size(), out);
          out.append(')');
        }
      }
      out.append(')');
    } else if (s instanceof Stmt.VarDecl v) {
      out.append('(').append(v.kind().keyword());
      for (VarItem item : v.items()) {
        out.append(' ');
        boolean plain = item.shape().isEmpty() && item.init() == null && item.modifier() == null;
        if (plain) {
          out.append(item.name().id());
          continue;
        }
        out.append('(').append(item.name().id());
        if (!item.shape().isEmpty()) {
          out.append(" [");
          for (int i = 0; i < item.shape().size(); i++) {
            if (i > 0) out.append(' ');
            expr(item.shape().get(i), out);
          }
          out.append(']');
        }
        if (item.modifier() != null) out.append(' ').append(item.modifier().id());
        if (item.init() != null) {
          out.append(" ~ ").append(item.init().function().id());
          args(item.init().args(), out);
        }
        out.append(')');
      }
      out.append(')');
    } else if (s instanceof Stmt.OutputDecl o) {
      out.append("(output");
      for (Name n : o.names()) out.append(' ').append(n.id());
      out.append(')');
    } else {
      out.append("(loss ").append(((Stmt.LossDecl) s).name().id()).append(')');
    }
    return out.toString();
  }

  private void args(List<Arg> args, StringBuilder out) {
    for (Arg a : args) {
      out.append(' ');
      if (a.name() != null) {
        out.append("(= ").append(a.name().id()).append(' ');
        expr(a.value(), out);
        out.append(')');
      } else {
        expr(a.value(), out);
      }
    }
  }

  private void expr(Expr root, StringBuilder out) {
    Deque<Object> work = new ArrayDeque<>();
    work.push(root);
    List<Object> parts = new ArrayList<>();
    while (!work.isEmpty()) {
      Object next = work.pop();
      if (next instanceof String s) {
        out.append(s);
        continue;
      }
      parts.clear();
      expand((Expr) next, parts);
      for (int i = parts.size() - 1; i >= 0; i--) work.push(parts.get(i));
    }
  }

  private void expand(Expr e, List<Object> parts) {
    if (e instanceof Expr.Num n) {
      parts.add(n.text());
    } else if (e instanceof Expr.Ref r) {
      String id = r.name().id();
      parts.add(normaliseAliases && id.equals("π") ? "pi" : id);
    } else if (e instanceof Expr.Unary u) {
      parts.add(u.op() == Expr.UnaryOp.NEG ? "(neg " : "(pos ");
      parts.add(u.operand());
      parts.add(")");
    } else if (e instanceof Expr.Transpose t) {
      parts.add("(T ");
      parts.add(t.operand());
      parts.add(")");
    } else if (e instanceof Expr.StepRef r) {
      parts.add("(at " + r.name().id() + " ");
      parts.add(r.index());
      parts.add(")");
    } else if (e instanceof Expr.Derivative d) {
      parts.add("(∂ ");
      parts.add(d.of());
      parts.add(" " + d.wrt().id() + ")");
    } else if (e instanceof Expr.Call c) {
      String f = normaliseAliases ? AstPrinter.canonicalFunction(c.function().id()) : c.function().id();
      parts.add((c.parenthesised() ? "(call " : "(app ") + f);
      for (Arg a : c.args()) {
        if (a.name() != null) {
          parts.add(" (= " + a.name().id() + " ");
          parts.add(a.value());
          parts.add(")");
        } else {
          parts.add(" ");
          parts.add(a.value());
        }
      }
      parts.add(")");
    } else {
      Expr.Binary b = (Expr.Binary) e;
      parts.add("(" + op(b.op()) + " ");
      parts.add(b.left());
      parts.add(" ");
      parts.add(b.right());
      parts.add(")");
    }
  }

  private static String op(Expr.BinaryOp op) {
    return switch (op) {
      case ADD -> "+";
      case SUB -> "-";
      case MUL -> "*";
      case DIV -> "/";
      case DOT -> "dot";
      case JUXT -> "juxt";
      case POW -> "^";
    };
  }
}
