package dev.nnc.check;

import dev.nnc.ast.Arg;
import dev.nnc.ast.DimItem;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Init;
import dev.nnc.ast.Model;
import dev.nnc.ast.Name;
import dev.nnc.ast.SourceFile;
import dev.nnc.ast.Stmt;
import dev.nnc.ast.VarItem;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Source;
import dev.nnc.diag.Span;
import dev.nnc.ir.ModelIR;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny builder of AST records for checker tests that must not depend on the parser. Spans are dummies
 * (line 1), so these tests assert codes and IR, not positions; positions are asserted through real files.
 */
final class Ast {
  private Ast() {}

  static final Span S = new Span(1, 1, 1, 2);

  static Name name(String spelling) {
    StringBuilder id = new StringBuilder();
    spelling.codePoints().forEach(cp -> id.appendCodePoint(cp >= '₀' && cp <= '₉' ? '0' + (cp - '₀') : cp));
    return new Name(id.toString(), spelling, S);
  }

  static Expr ref(String n) {
    return new Expr.Ref(name(n), S);
  }

  static Expr num(double v) {
    return new Expr.Num(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v), S);
  }

  static Expr bin(Expr.BinaryOp op, Expr a, Expr b) {
    return new Expr.Binary(op, a, b, S);
  }

  static Expr add(Expr a, Expr b) {
    return bin(Expr.BinaryOp.ADD, a, b);
  }

  static Expr sub(Expr a, Expr b) {
    return bin(Expr.BinaryOp.SUB, a, b);
  }

  static Expr times(Expr a, Expr b) {
    return bin(Expr.BinaryOp.MUL, a, b);
  }

  static Expr div(Expr a, Expr b) {
    return bin(Expr.BinaryOp.DIV, a, b);
  }

  static Expr dot(Expr a, Expr b) {
    return bin(Expr.BinaryOp.DOT, a, b);
  }

  static Expr juxt(Expr a, Expr b) {
    return bin(Expr.BinaryOp.JUXT, a, b);
  }

  static Expr pow(Expr a, Expr b) {
    return bin(Expr.BinaryOp.POW, a, b);
  }

  static Expr neg(Expr a) {
    return new Expr.Unary(Expr.UnaryOp.NEG, a, S);
  }

  static Expr tr(Expr a) {
    return new Expr.Transpose(a, S);
  }

  /** A parenthesised call; arguments are Expr (positional) or Arg (e.g. {@link #axis}). */
  static Expr call(String f, Object... args) {
    List<Arg> list = new ArrayList<>();
    for (Object o : args) list.add(o instanceof Arg a ? a : new Arg(null, (Expr) o, S));
    return new Expr.Call(name(f), list, true, S);
  }

  static Arg axis(int k) {
    return new Arg(name("axis"), k < 0 ? neg(num(-k)) : num(k), S);
  }

  static Arg named(String n, Expr e) {
    return new Arg(name(n), e, S);
  }

  static Stmt let(String target, Expr e) {
    return new Stmt.Assign(name(target), e, S);
  }

  static Stmt dims(Object... items) {
    List<DimItem> list = new ArrayList<>();
    for (int i = 0; i < items.length; i++) {
      String n = (String) items[i];
      Expr size = null;
      if (i + 1 < items.length && items[i + 1] instanceof Number v) {
        size = num(v.doubleValue());
        i++;
      }
      list.add(new DimItem(name(n), size, S));
    }
    return new Stmt.DimDecl(list, S);
  }

  /** {@code v("W", "I", "H")} is {@code W[I, H]}; an entry that parses as an integer is a literal size. */
  static VarItem v(String n, String... shape) {
    return vi(n, null, shape);
  }

  static VarItem vi(String n, Init init, String... shape) {
    List<Expr> entries = new ArrayList<>();
    for (String s : shape) entries.add(s.matches("-?[0-9.]+") ? new Expr.Num(s, S) : ref(s));
    return new VarItem(name(n), entries, init, S);
  }

  static Init init(String f, double... args) {
    List<Arg> list = new ArrayList<>();
    for (double a : args) list.add(new Arg(null, a < 0 ? neg(num(-a)) : num(a), S));
    return new Init(name(f), list, S);
  }

  static Stmt input(VarItem... items) {
    return new Stmt.VarDecl(Stmt.VarKind.INPUT, List.of(items), S);
  }

  static Stmt param(VarItem... items) {
    return new Stmt.VarDecl(Stmt.VarKind.PARAM, List.of(items), S);
  }

  static Stmt output(String... names) {
    List<Name> list = new ArrayList<>();
    for (String n : names) list.add(name(n));
    return new Stmt.OutputDecl(list, S);
  }

  static Stmt loss(String n) {
    return new Stmt.LossDecl(name(n), S);
  }

  static Model model(String n, Stmt... statements) {
    return new Model(n, S, List.of(statements), S);
  }

  /** Checks one model; returns its IR or null, diagnostics in {@code diags}. */
  static ModelIR check(Diagnostics diags, Stmt... statements) {
    SourceFile file = new SourceFile(List.of(model("M", statements)), false, S);
    List<ModelIR> out = Checker.check(file, Source.of("t.nn", ""), diags);
    return out.isEmpty() ? null : out.get(0);
  }
}
