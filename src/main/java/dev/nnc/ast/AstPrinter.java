package dev.nnc.ast;

import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The canonical text of an AST ({@code nnc fmt}): one statement per line, two-space indent inside model blocks,
 * the fewest parentheses that reparse to the same tree, and one spelling per operator and built-in:
 * <pre>
 *   form        UNICODE    ASCII
 *   a − b, −a   −          -
 *   product     a · b      a @ b      (juxtaposition stays juxtaposition)
 *   elementwise a * b, a / b (× ⊙ ÷ become * and /)
 *   powers      x², x³, x^y           x^2, x^3, x^y  (** becomes ^)
 *   transpose   xᵀ         transpose(x)
 *   functions   σ √ log sum           sigmoid sqrt log sum  (ln becomes log, Σ ∑ become sum)
 *   constant    π          pi
 *   names       as written (w₁)       with subscript digits as ASCII digits (w1)
 * </pre>
 * Comments are not kept. Parsing the output gives the same tree as the input up to these spellings
 * (see {@link AstDump} with aliases normalised). The printer keeps an explicit work stack instead of recursing,
 * so a 25,000-term chain or a deeply nested expression needs no large thread stack.
 */
public final class AstPrinter {
  /** Which spelling of the operators, built-ins and π to print. */
  public enum Spelling {
    UNICODE,
    ASCII
  }

  // Precedence levels of the printed forms, loosest first (LANGUAGE.md §3).
  private static final int ADDITIVE = 1;
  private static final int MULTIPLICATIVE = 2;
  private static final int JUXTAPOSITION = 3;
  private static final int UNARY = 4;
  private static final int APPLICATION = 5;
  private static final int POWER = 6;
  private static final int POSTFIX = 7;
  private static final int ATOM = 8;
  /** A minimum no form reaches: forces parentheses. */
  private static final int ALWAYS_PARENTHESISE = 9;
  /** The operand after ^, which may carry its own sign (x^−1). */
  private static final int EXPONENT = -1;

  private static final Map<String, String> CANONICAL_FUNCTION = Map.of(
      "σ", "sigmoid", "√", "sqrt", "Σ", "sum", "∑", "sum", "ln", "log");

  private final Spelling spelling;

  private AstPrinter(Spelling spelling) {
    this.spelling = spelling;
  }

  /** The built-in's main name: σ → sigmoid, √ → sqrt, Σ ∑ → sum, ln → log; other names unchanged. */
  public static String canonicalFunction(String name) {
    return CANONICAL_FUNCTION.getOrDefault(name, name);
  }

  public static String print(SourceFile file, Spelling spelling) {
    AstPrinter p = new AstPrinter(spelling);
    StringBuilder out = new StringBuilder();
    if (file.bare()) {
      for (Model m : file.models()) for (Stmt s : m.statements()) out.append(p.stmt(s)).append('\n');
      return out.toString();
    }
    boolean first = true;
    for (Model m : file.models()) {
      if (!first) out.append('\n');
      first = false;
      out.append("model ").append(m.name()).append(" {\n");
      for (Stmt s : m.statements()) out.append("  ").append(p.stmt(s)).append('\n');
      out.append("}\n");
    }
    return out.toString();
  }

  public static String print(Stmt stmt, Spelling spelling) {
    return new AstPrinter(spelling).stmt(stmt);
  }

  public static String print(Expr expr, Spelling spelling) {
    StringBuilder out = new StringBuilder();
    new AstPrinter(spelling).expr(expr, 0, out);
    return out.toString();
  }

  // ------------------------------------------------------------------ statements

  private String stmt(Stmt s) {
    StringBuilder out = new StringBuilder();
    if (s instanceof Stmt.Assign a) {
      out.append(name(a.target())).append(" = ");
      expr(a.value(), 0, out);
    } else if (s instanceof Stmt.StepAssign a) {
      out.append(name(a.target())).append('[');
      expr(a.index(), 0, out);
      out.append("] = ");
      expr(a.value(), 0, out);
    } else if (s instanceof Stmt.RuleDef r) {
      String rel = r.exact() ? " = " : spelling == Spelling.UNICODE ? " ≈ " : " ~= ";
      out.append(spelling == Spelling.UNICODE ? "∂" + name(r.function()) + "/∂" + name(r.param())
          : "grad(" + name(r.function()) + ", " + name(r.param()) + ")").append(rel);
      expr(r.rule(), 0, out);
    } else if (s instanceof Stmt.FunctionDef f) {
      out.append(name(f.name())).append('(');
      for (int i = 0; i < f.params().size(); i++) out.append(i > 0 ? ", " : "").append(name(f.params().get(i)));
      out.append(") = ");
      expr(f.body(), 0, out);
    } else if (s instanceof Stmt.DimDecl d) {
      out.append("dim ");
      for (int i = 0; i < d.items().size(); i++) {
        DimItem item = d.items().get(i);
        if (i > 0) out.append(", ");
        out.append(name(item.name()));
        if (item.size() != null) {
          out.append(" = ");
          expr(item.size(), 0, out);
        }
      }
    } else if (s instanceof Stmt.VarDecl v) {
      out.append(v.kind().keyword()).append(' ');
      for (int i = 0; i < v.items().size(); i++) {
        if (i > 0) out.append(", ");
        varItem(v.items().get(i), out);
      }
    } else if (s instanceof Stmt.OutputDecl o) {
      out.append("output ");
      for (int i = 0; i < o.names().size(); i++) out.append(i > 0 ? ", " : "").append(name(o.names().get(i)));
    } else {
      out.append("loss ").append(name(((Stmt.LossDecl) s).name()));
    }
    return out.toString();
  }

  private void varItem(VarItem item, StringBuilder out) {
    out.append(name(item.name()));
    if (!item.shape().isEmpty()) {
      out.append('[');
      for (int i = 0; i < item.shape().size(); i++) {
        if (i > 0) out.append(", ");
        expr(item.shape().get(i), 0, out);
      }
      out.append(']');
    }
    if (item.modifier() != null) out.append(' ').append(name(item.modifier()));
    if (item.init() != null) {
      out.append(" ~ ").append(name(item.init().function()));
      if (!item.init().args().isEmpty()) {
        out.append('(');
        args(item.init().args(), out);
        out.append(')');
      }
    }
  }

  private void args(List<Arg> args, StringBuilder out) {
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) out.append(", ");
      Arg a = args.get(i);
      if (a.name() != null) out.append(name(a.name())).append('=');
      expr(a.value(), 0, out);
    }
  }

  private String name(Name n) {
    if (spelling == Spelling.ASCII) return n.id();
    String written = Normalizer.normalize(n.spelling(), Normalizer.Form.NFC);
    return mapSubscripts(written).equals(n.id()) ? written : n.id();
  }

  private static String mapSubscripts(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> b.appendCodePoint(cp >= 0x2080 && cp <= 0x2089 ? '0' + (cp - 0x2080) : cp));
    return Normalizer.normalize(b, Normalizer.Form.NFC);
  }

  // ------------------------------------------------------------------ expressions

  /** A pending piece of output: an expression to print at a minimum precedence. */
  private record Pending(Expr expr, int min) {}

  private void expr(Expr root, int min, StringBuilder out) {
    Deque<Object> work = new ArrayDeque<>();
    work.push(new Pending(root, min));
    List<Object> parts = new ArrayList<>();
    while (!work.isEmpty()) {
      Object next = work.pop();
      if (next instanceof String s) {
        out.append(s);
        continue;
      }
      Pending p = (Pending) next;
      parts.clear();
      expand(p.expr(), p.min(), parts);
      for (int i = parts.size() - 1; i >= 0; i--) work.push(parts.get(i));
    }
  }

  /** Appends to {@code parts}, in output order, the strings and sub-expressions that print {@code e}. */
  private void expand(Expr e, int min, List<Object> parts) {
    if (min == EXPONENT) {
      if (e instanceof Expr.Unary u) {
        parts.add(sign(u.op()));
        parts.add(new Pending(u.operand(), EXPONENT));
        return;
      }
      min = POWER;
    }
    boolean parens = level(e) < min;
    if (parens) parts.add("(");
    if (e instanceof Expr.Num n) {
      parts.add(n.text());
    } else if (e instanceof Expr.Ref r) {
      parts.add(ref(r.name()));
    } else if (e instanceof Expr.Unary u) {
      parts.add(sign(u.op()));
      parts.add(new Pending(u.operand(), UNARY));
    } else if (e instanceof Expr.Transpose t && spelling == Spelling.ASCII) {
      parts.add("transpose(");
      parts.add(new Pending(t.operand(), 0));
      parts.add(")");
    } else if (e instanceof Expr.Transpose t) {
      parts.add(new Pending(t.operand(), POSTFIX));
      parts.add("ᵀ");
    } else if (e instanceof Expr.Call c) {
      call(c, parts);
    } else if (e instanceof Expr.Derivative d) {
      derivative(d, parts);
    } else if (e instanceof Expr.StepRef r) {
      parts.add(name(r.name()) + "[");
      parts.add(new Pending(r.index(), 0));
      parts.add("]");
    } else {
      binary((Expr.Binary) e, parts);
    }
    if (parens) parts.add(")");
  }

  private void binary(Expr.Binary b, List<Object> parts) {
    switch (b.op()) {
      case POW -> {
        parts.add(new Pending(b.left(), POSTFIX));
        String postfix = postfixPower(b);
        if (postfix != null) {
          parts.add(postfix);
        } else {
          parts.add("^");
          parts.add(new Pending(b.right(), EXPONENT));
        }
      }
      case JUXT -> {
        parts.add(new Pending(b.left(), JUXTAPOSITION));
        // A factor that would read as a number after another operand (2 3) or as a signed term (a −b) needs
        // parentheses to stay a factor.
        boolean force = startsWithNumber(b.right());
        int rightMin = force ? ALWAYS_PARENTHESISE : APPLICATION;
        parts.add(glue(b.left(), b.right(), rightMin) ? "" : " ");
        parts.add(new Pending(b.right(), rightMin));
      }
      default -> {
        int level = b.op() == Expr.BinaryOp.ADD || b.op() == Expr.BinaryOp.SUB ? ADDITIVE : MULTIPLICATIVE;
        parts.add(new Pending(b.left(), level));
        parts.add(" " + operator(b.op()) + " ");
        parts.add(new Pending(b.right(), level + 1));
      }
    }
  }

  private void call(Expr.Call c, List<Object> parts) {
    String f = function(c.function());
    if (!c.parenthesised() && c.args().size() == 1 && c.args().get(0).name() == null
        && !startsWithParenthesis(c.args().get(0).value(), UNARY)) {
      parts.add(f.equals("√") ? f : f + " ");
      parts.add(new Pending(c.args().get(0).value(), UNARY));
      return;
    }
    // An application whose operand would print starting with "(" is printed as a call: "log (x^2)^3" would read as
    // (log(x^2))^3, since a function name before "(" always calls; log((x^2)^3) keeps the meaning of log x²³.
    parts.add(f + "(");
    for (int i = 0; i < c.args().size(); i++) {
      if (i > 0) parts.add(", ");
      Arg a = c.args().get(i);
      if (a.name() != null) parts.add(name(a.name()) + "=");
      parts.add(new Pending(a.value(), 0));
    }
    parts.add(")");
  }

  /** {@code ∂E/∂x} with E a name or parenthesised, or {@code grad(E, x)} in ASCII. */
  private void derivative(Expr.Derivative d, List<Object> parts) {
    if (spelling == Spelling.UNICODE) {
      parts.add("∂");
      if (d.of() instanceof Expr.Ref r) {
        parts.add(ref(r.name()));
      } else {
        parts.add("(");
        parts.add(new Pending(d.of(), 0));
        parts.add(")");
      }
      parts.add("/∂" + name(d.wrt()));
    } else {
      parts.add("grad(");
      parts.add(new Pending(d.of(), 0));
      parts.add(", " + name(d.wrt()) + ")");
    }
  }

  private String postfixPower(Expr.Binary b) {
    if (spelling != Spelling.UNICODE || !(b.right() instanceof Expr.Num n)) return null;
    return n.text().equals("2") ? "²" : n.text().equals("3") ? "³" : null;
  }

  private int level(Expr e) {
    if (e instanceof Expr.Num || e instanceof Expr.Ref || e instanceof Expr.Derivative || e instanceof Expr.StepRef) {
      return ATOM;
    }
    if (e instanceof Expr.Unary) return UNARY;
    if (e instanceof Expr.Transpose) return spelling == Spelling.ASCII ? ATOM : POSTFIX; // transpose(x) is a call
    if (e instanceof Expr.Call c) {
      return !c.parenthesised() && c.args().size() == 1 && c.args().get(0).name() == null ? APPLICATION : ATOM;
    }
    Expr.Binary b = (Expr.Binary) e;
    return switch (b.op()) {
      case ADD, SUB -> ADDITIVE;
      case MUL, DIV, DOT -> MULTIPLICATIVE;
      case JUXT -> JUXTAPOSITION;
      case POW -> postfixPower(b) != null ? POSTFIX : POWER;
    };
  }

  /** Whether {@code e}, printed at minimum precedence {@code min}, begins with an opening parenthesis. */
  private boolean startsWithParenthesis(Expr e, int min) {
    while (true) {
      if (min == EXPONENT) {
        if (e instanceof Expr.Unary) return false;
        min = POWER;
      }
      if (level(e) < min) return true;
      if (e instanceof Expr.Transpose t && spelling == Spelling.UNICODE) {
        e = t.operand();
        min = POSTFIX;
      } else if (e instanceof Expr.Binary b) {
        min = switch (b.op()) {
          case POW -> POSTFIX;
          case JUXT -> JUXTAPOSITION;
          case ADD, SUB -> ADDITIVE;
          default -> MULTIPLICATIVE;
        };
        e = b.left();
      } else {
        return false; // a number, a name, a sign or a function name comes first
      }
    }
  }

  /** Whether {@code e}, printed without its own parentheses, begins with a number literal. */
  private boolean startsWithNumber(Expr e) {
    return leftmostOperand(e) instanceof Expr.Num;
  }

  /**
   * The operand {@code e} begins with when printed without its own parentheses: down through postfix {@code ᵀ},
   * {@code ²} and power bases that need no parentheses of their own ({@code 2²ᵀ} begins with {@code 2}).
   */
  private Expr leftmostOperand(Expr e) {
    while (true) {
      if (e instanceof Expr.Transpose t && spelling == Spelling.UNICODE && level(t.operand()) >= POSTFIX) {
        e = t.operand();
      } else if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.POW && level(b.left()) >= POSTFIX) {
        e = b.left();
      } else {
        return e;
      }
    }
  }

  /** {@code 2x}, {@code 3(a + b)}: an integer literal and a following name or parenthesis need no space. */
  private boolean glue(Expr left, Expr right, int rightMin) {
    if (left instanceof Expr.Transpose) { // wᵀx as in LANGUAGE.md; transpose(w) x in ASCII
      return spelling == Spelling.UNICODE && startsWithName(right, rightMin);
    }
    if (!(left instanceof Expr.Num n) || !n.text().chars().allMatch(Character::isDigit)) return false;
    if (level(right) < rightMin) return true; // printed in parentheses
    if (!(leftmostOperand(right) instanceof Expr.Ref r)) return false;
    String text = ref(r.name());
    return !(text.startsWith("e") || text.startsWith("E")); // 2e5 would read as a number
  }

  /** Whether {@code e} printed at {@code min} begins with a plain name (not a parenthesis, sign or function). */
  private boolean startsWithName(Expr e, int min) {
    return level(e) >= min && leftmostOperand(e) instanceof Expr.Ref;
  }

  private String sign(Expr.UnaryOp op) {
    return op == Expr.UnaryOp.PLUS ? "+" : spelling == Spelling.UNICODE ? "−" : "-";
  }

  private String operator(Expr.BinaryOp op) {
    return switch (op) {
      case ADD -> "+";
      case SUB -> spelling == Spelling.UNICODE ? "−" : "-";
      case MUL -> "*";
      case DIV -> "/";
      case DOT -> spelling == Spelling.UNICODE ? "·" : "@";
      case POW -> "^";
      case JUXT -> " ";
    };
  }

  private String ref(Name n) {
    if (n.id().equals("π") || n.id().equals("pi")) return spelling == Spelling.UNICODE ? "π" : "pi";
    return name(n);
  }

  private String function(Name n) {
    String canonical = canonicalFunction(n.id());
    if (spelling == Spelling.UNICODE) {
      if (canonical.equals("sigmoid")) return "σ";
      if (canonical.equals("sqrt")) return "√";
    }
    if (!canonical.equals(n.id())) return canonical;
    return name(n);
  }
}
