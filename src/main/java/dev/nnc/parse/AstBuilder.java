package dev.nnc.parse;

import dev.nnc.ast.Arg;
import dev.nnc.ast.DimItem;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Init;
import dev.nnc.ast.Model;
import dev.nnc.ast.Name;
import dev.nnc.ast.SourceFile;
import dev.nnc.ast.Stmt;
import dev.nnc.ast.VarItem;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Source;
import dev.nnc.diag.Span;
import dev.nnc.parse.NnParser.*;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Parse tree → AST records. It only builds nodes; the few things it reports are syntax facts the grammar leaves to
 * it on purpose: a number as a juxtaposed factor (E0105), a reserved word used as a name (E0212), a file with no
 * statement (E0109), and model blocks mixed with bare statements (E0110). Chains (loops in the grammar) become
 * left-nested Binary nodes without recursion, so a 20,000-term sum costs no stack.
 */
final class AstBuilder {
  private final Source source;
  private final Diagnostics diags;

  AstBuilder(Source source, Diagnostics diags) {
    this.source = source;
    this.diags = diags;
  }

  SourceFile file(FileContext ctx) {
    List<Model> models = new ArrayList<>();
    List<Stmt> bare = new ArrayList<>();
    Boolean firstIsModel = null;
    boolean mixReported = false;
    for (ItemContext item : ctx.item()) {
      boolean isModel = item.model() != null;
      if (firstIsModel == null) firstIsModel = isModel;
      if (isModel != firstIsModel && !mixReported) {
        mixReported = true;
        diags.error(Code.MIXED_MODELS_AND_STATEMENTS, span(item),
            isModel ? "a model block in a file of bare statements" : "a bare statement in a file of model blocks",
            "put every statement inside a 'model Name { … }' block, or write no model block at all");
      }
      if (isModel) models.add(model(item.model()));
      else bare.add(stmt(item.stmt()));
    }
    if (ctx.item().isEmpty()) {
      diags.error(Code.EMPTY_FILE, Span.point(1, 1), "the file holds no statement",
          "write at least one assignment, e.g. J = 3(a + b c)");
      return null;
    }
    Span whole = span(ctx.item(0)).to(span(ctx.item(ctx.item().size() - 1)));
    if (models.isEmpty()) {
      Model model = new Model(ModelNames.fromFileName(source.name()), Span.NONE, bare, whole);
      return new SourceFile(List.of(model), true, whole);
    }
    return new SourceFile(models, false, whole);
  }

  private Model model(ModelContext ctx) {
    List<Stmt> statements = new ArrayList<>();
    for (StmtContext s : ctx.stmt()) statements.add(stmt(s));
    Name name = name(ctx.name());
    return new Model(name.id(), name.span(), statements, span(ctx));
  }

  // ------------------------------------------------------------------ statements

  private Stmt stmt(StmtContext ctx) {
    if (ctx instanceof AssignStmtContext a) return new Stmt.Assign(name(a.name()), expr(a.expr()), span(ctx));
    if (ctx instanceof StepStmtContext a) {
      return new Stmt.StepAssign(name(a.name()), expr(a.index), expr(a.value), span(ctx));
    }
    if (ctx instanceof RuleDefContext r) {
      return new Stmt.RuleDef(name(r.NAME(0).getSymbol()), name(r.NAME(1).getSymbol()),
          r.rel.getType() == NnLexer.ASSIGN, expr(r.expr()), false, span(ctx));
    }
    if (ctx instanceof GradRuleDefContext r) {
      return new Stmt.RuleDef(name(r.NAME(0).getSymbol()), name(r.NAME(1).getSymbol()),
          r.rel.getType() == NnLexer.ASSIGN, expr(r.expr()), true, span(ctx));
    }
    if (ctx instanceof FunctionDefContext f) {
      List<Name> params = new ArrayList<>();
      for (org.antlr.v4.runtime.tree.TerminalNode n : f.NAME()) params.add(name(n.getSymbol()));
      return new Stmt.FunctionDef(name(f.name()), params, expr(f.expr()), span(ctx));
    }
    if (ctx instanceof DimStmtContext d) {
      List<DimItem> items = new ArrayList<>();
      for (DimItemContext i : d.dimItem()) {
        items.add(new DimItem(name(i.name()), i.expr() == null ? null : expr(i.expr()), span(i)));
      }
      return new Stmt.DimDecl(items, span(ctx));
    }
    if (ctx instanceof VarStmtContext v) {
      Stmt.VarKind kind = v.kind.getType() == NnLexer.INPUT ? Stmt.VarKind.INPUT : Stmt.VarKind.PARAM;
      List<VarItem> items = new ArrayList<>();
      for (VarItemContext i : v.varItem()) {
        List<Expr> shape = new ArrayList<>();
        for (ExprContext e : i.expr()) shape.add(expr(e));
        Name modifier = i.modifier == null ? null : name(i.modifier);
        items.add(new VarItem(name(i.name()), shape, i.init() == null ? null : init(i.init()), modifier, span(i)));
      }
      return new Stmt.VarDecl(kind, items, span(ctx));
    }
    if (ctx instanceof OutputStmtContext o) {
      List<Name> names = new ArrayList<>();
      for (NameContext n : o.name()) names.add(name(n));
      return new Stmt.OutputDecl(names, span(ctx));
    }
    LossStmtContext l = (LossStmtContext) ctx;
    return new Stmt.LossDecl(name(l.name()), span(ctx));
  }

  private Init init(InitContext ctx) {
    return new Init(name(ctx.name()), ctx.args() == null ? List.of() : args(ctx.args()), span(ctx));
  }

  private Name name(NameContext ctx) {
    Token t = ctx.getStart();
    if (ctx.reserved() != null) {
      boolean function = t.getType() == NnLexer.FUNC;
      diags.error(Code.RESERVED_NAME, span(ctx),
          "'" + t.getText() + "' is " + (function ? "a built-in function" : "a keyword") + " and cannot be a name",
          "choose another name, e.g. '" + t.getText() + "_'");
    }
    return name(t);
  }

  static Name name(Token t) {
    String text = t.getText(); // a new string at each call (the token's slice of the input)
    return new Name(normalise(text), text, TokenShaper.span(t));
  }

  /** NFC, and subscript digits ₀…₉ → 0…9: {@code w₁} and {@code w1} are one name. */
  static String normalise(String spelling) {
    int i = 0;
    while (i < spelling.length() && spelling.charAt(i) < 0x80) i++;
    if (i == spelling.length()) return spelling; // the common case, and already NFC (a loop: no stream per name)
    StringBuilder b = new StringBuilder(spelling.length());
    spelling.codePoints().forEach(cp -> {
      if (cp >= 0x2080 && cp <= 0x2089) b.append((char) ('0' + (cp - 0x2080)));
      else b.appendCodePoint(cp);
    });
    return Normalizer.normalize(b, Normalizer.Form.NFC);
  }

  // ------------------------------------------------------------------ expressions

  private Expr expr(ExprContext ctx) {
    return additive(ctx.additive());
  }

  private Expr additive(AdditiveContext ctx) {
    // The lists are fetched once: ctx.multiplicative(i) scans the children, which is quadratic on long chains.
    List<MultiplicativeContext> operands = ctx.multiplicative();
    List<AddOpContext> ops = ctx.addOp();
    Expr left = multiplicative(operands.get(0));
    for (int i = 0; i < ops.size(); i++) {
      MultiplicativeContext r = operands.get(i + 1);
      Expr.BinaryOp op = ops.get(i).PLUS() != null ? Expr.BinaryOp.ADD : Expr.BinaryOp.SUB;
      left = new Expr.Binary(op, left, multiplicative(r), span(ctx.getStart(), r.getStop()));
    }
    return left;
  }

  private Expr multiplicative(MultiplicativeContext ctx) {
    List<JuxtapositionContext> operands = ctx.juxtaposition();
    List<MulOpContext> ops = ctx.mulOp();
    Expr left = juxtaposition(operands.get(0));
    for (int i = 0; i < ops.size(); i++) {
      JuxtapositionContext r = operands.get(i + 1);
      left = new Expr.Binary(mulOp(ops.get(i)), left, juxtaposition(r), span(ctx.getStart(), r.getStop()));
    }
    return left;
  }

  private static Expr.BinaryOp mulOp(MulOpContext op) {
    int type = op.getStart().getType();
    if (type == NnLexer.SLASH || type == NnLexer.DIVIDE) return Expr.BinaryOp.DIV;
    if (type == NnLexer.DOT || type == NnLexer.AT) return Expr.BinaryOp.DOT;
    return Expr.BinaryOp.MUL;
  }

  private Expr juxtaposition(JuxtapositionContext ctx) {
    Expr left = unary(ctx.unary());
    ParserRuleContext previous = ctx.unary();
    for (ApplicationContext factor : ctx.application()) {
      if (factor.getStart().getType() == NnLexer.NUMBER) adjacentNumber(previous, factor);
      left = new Expr.Binary(Expr.BinaryOp.JUXT, left, application(factor), span(ctx.getStart(), factor.getStop()));
      previous = factor;
    }
    return left;
  }

  private void adjacentNumber(ParserRuleContext previous, ApplicationContext factor) {
    String before = text(previous);
    String number = factor.getStart().getText();
    String hint = before.length() <= 24
        ? "a number cannot be a factor after another operand; write " + before + "·" + number
            + (previous.getStart().getType() == NnLexer.NUMBER ? "" : " or " + number + before)
        : "a number cannot be a factor after another operand; multiply with · or put the number first";
    diags.error(Code.ADJACENT_NUMBERS, TokenShaper.span(factor.getStart()),
        "the number " + number + " follows another operand with nothing between them", hint);
  }

  private Expr unary(UnaryContext ctx) {
    // Iterative over the signs: "− − − x" must not cost one frame per sign more than the parser already spent.
    List<SignedContext> signs = new ArrayList<>();
    UnaryContext u = ctx;
    while (u instanceof SignedContext s) {
      signs.add(s);
      u = s.unary();
    }
    Expr e = application(((UnsignedContext) u).application());
    for (int i = signs.size() - 1; i >= 0; i--) {
      SignedContext s = signs.get(i);
      Expr.UnaryOp op = s.sign.getType() == NnLexer.MINUS ? Expr.UnaryOp.NEG : Expr.UnaryOp.PLUS;
      e = new Expr.Unary(op, e, span(s));
    }
    return e;
  }

  private Expr application(ApplicationContext ctx) {
    if (ctx instanceof AppliedContext a) {
      Expr operand = unary(a.unary());
      Name function = name(a.FUNC().getSymbol());
      return builtinCall(function, List.of(new Arg(null, operand, operand.span())), false, span(ctx));
    }
    return power(((NotAppliedContext) ctx).power());
  }

  private Expr power(PowerContext ctx) {
    Expr base = postfix(ctx.postfix());
    if (ctx.exponent() == null) return base;
    return new Expr.Binary(Expr.BinaryOp.POW, base, exponent(ctx.exponent()), span(ctx));
  }

  private Expr exponent(ExponentContext ctx) {
    if (ctx instanceof SignedExponentContext s) {
      Expr.UnaryOp op = s.sign.getType() == NnLexer.MINUS ? Expr.UnaryOp.NEG : Expr.UnaryOp.PLUS;
      return new Expr.Unary(op, exponent(s.exponent()), span(ctx));
    }
    return power(((PlainExponentContext) ctx).power());
  }

  private Expr postfix(PostfixContext ctx) {
    Expr e = atom(ctx.atom());
    for (PostOpContext op : ctx.postOp()) {
      Token t = op.getStart();
      Span s = span(ctx.getStart(), t);
      if (t.getType() == NnLexer.TRANSPOSE) {
        e = new Expr.Transpose(e, s);
      } else {
        String exponent = t.getType() == NnLexer.SQUARE ? "2" : "3";
        e = new Expr.Binary(Expr.BinaryOp.POW, e, new Expr.Num(exponent, TokenShaper.span(t)), s);
      }
    }
    return e;
  }

  private Expr atom(AtomContext ctx) {
    if (ctx instanceof NumberContext n) {
      return new Expr.Num(n.NUMBER().getText().replace('\u2212', '-'), span(ctx));
    }
    if (ctx instanceof StepRefContext r) {
      return new Expr.StepRef(name(r.NAME().getSymbol()), expr(r.expr()), span(ctx));
    }
    if (ctx instanceof RefContext r) return new Expr.Ref(name(r.NAME().getSymbol()), span(ctx));
    if (ctx instanceof ParenContext p) return expr(p.expr());
    if (ctx instanceof BuiltinCallContext c) {
      return builtinCall(name(c.FUNC().getSymbol()), c.args() == null ? List.of() : args(c.args()), true, span(ctx));
    }
    if (ctx instanceof DerivativeContext d) {
      Expr of = d.derivativeOf() instanceof DerivativeOfNameContext n
          ? new Expr.Ref(name(n.NAME().getSymbol()), span(n))
          : expr(((DerivativeOfParenContext) d.derivativeOf()).expr());
      return new Expr.Derivative(of, name(d.NAME().getSymbol()), false, span(ctx));
    }
    if (ctx instanceof GradCallContext g) {
      return new Expr.Derivative(expr(g.expr()), name(g.NAME().getSymbol()), true, span(ctx));
    }
    NameCallContext c = (NameCallContext) ctx;
    return new Expr.Call(name(c.NAME().getSymbol()), c.args() == null ? List.of() : args(c.args()), true,
        span(ctx));
  }

  /**
   * {@code transpose(x)} and {@code transpose x} are the ASCII spelling of {@code xᵀ}: the same tree, so that
   * {@code nnc fmt --ascii} output parses back to it. Other argument lists stay a call for the checker to report.
   */
  private static Expr builtinCall(Name function, List<Arg> args, boolean parenthesised, Span span) {
    if (function.id().equals(TRANSPOSE) && args.size() == 1 && args.get(0).name() == null) {
      return new Expr.Transpose(args.get(0).value(), span);
    }
    return new Expr.Call(function, args, parenthesised, span);
  }

  /** The ASCII transpose: a FUNC token like the built-ins (and a spelling in the primitive registry). */
  static final String TRANSPOSE = "transpose";

  private List<Arg> args(ArgsContext ctx) {
    List<Arg> args = new ArrayList<>();
    for (ArgContext a : ctx.arg()) {
      if (a instanceof NamedArgContext n) {
        args.add(new Arg(name(n.NAME().getSymbol()), expr(n.expr()), span(a)));
      } else {
        args.add(new Arg(null, expr(((PositionalArgContext) a).expr()), span(a)));
      }
    }
    return args;
  }

  // ------------------------------------------------------------------ spans

  private static Span span(ParserRuleContext ctx) {
    return span(ctx.getStart(), ctx.getStop());
  }

  private static Span span(Token start, Token stop) {
    Span a = TokenShaper.span(start);
    if (stop == null) return a;
    return a.to(TokenShaper.span(stop));
  }

  private String text(ParserRuleContext ctx) {
    // Tokens' start/stop indices are code-point indices into the source text.
    int from = ctx.getStart().getStartIndex();
    int to = ctx.getStop().getStopIndex() + 1;
    String text = source.text();
    int a = text.offsetByCodePoints(0, from);
    int b = text.offsetByCodePoints(a, to - from);
    return text.substring(a, b);
  }
}
