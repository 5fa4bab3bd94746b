package dev.nnc.check;

import dev.nnc.ast.Arg;
import dev.nnc.ast.Expr.Binary;
import dev.nnc.ast.Expr.Call;
import dev.nnc.ast.Expr.Num;
import dev.nnc.ast.Expr.Ref;
import dev.nnc.ast.Expr.Transpose;
import dev.nnc.ast.Expr.Unary;
import dev.nnc.ast.Name;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Source;
import dev.nnc.diag.Span;
import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.Role;
import dev.nnc.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Lowers one right-hand side to the IR while checking names, arguments and shapes. Returns null for a
 * subexpression with an error; the error is reported once where it arises and its parents stay silent.
 * Recursion follows the nesting of one expression only (the compiler runs on a big-stack thread); statements are
 * lowered one after another by {@link ModelChecker}.
 */
final class ExprLowerer {
  private final Scope scope;
  private final Graph graph;
  private final Source source;
  private final Diagnostics diags;

  /** While lowering a function's body: its parameters bound to the call's arguments (null elsewhere). */
  private final java.util.Map<String, Expr> locals;
  /** While lowering the rules of a function: that function, whose calls in its own rules are its plain body. */
  private final String plainFunction;
  /** While lowering a recurrence's step: what its step references and captured names mean (null elsewhere). */
  private final StepFrame frame;

  /** The names of a recurrence's step (implemented by {@link RecurrenceLowering}). */
  interface StepFrame {
    /** {@code h[t−1]} or {@code X[t]} inside the step: a param of the step model, or null after an error. */
    Expr stepRef(dev.nnc.ast.Expr.StepRef r);

    /** A name of the model read by the step (Wh, b): a param of the step model standing for it, or null. */
    Expr capture(Name name);
  }

  ExprLowerer(Scope scope, Graph graph, Source source, Diagnostics diags) {
    this(scope, graph, source, diags, null, null, null);
  }

  private ExprLowerer(Scope scope, Graph graph, Source source, Diagnostics diags, java.util.Map<String, Expr> locals,
      String plainFunction) {
    this(scope, graph, source, diags, locals, plainFunction, null);
  }

  private ExprLowerer(Scope scope, Graph graph, Source source, Diagnostics diags, java.util.Map<String, Expr> locals,
      String plainFunction, StepFrame frame) {
    this.scope = scope;
    this.graph = graph;
    this.source = source;
    this.diags = diags;
    this.locals = locals;
    this.plainFunction = plainFunction;
    this.frame = frame;
  }

  /** A lowerer for a recurrence's step: nodes go to the step's own graph, names through {@code frame}. */
  ExprLowerer forStep(Graph stepGraph, StepFrame frame) {
    return new ExprLowerer(scope, stepGraph, source, diags, null, null, frame);
  }

  Graph graph() {
    return graph;
  }

  Expr lower(dev.nnc.ast.Expr e) {
    Expr x = lowerNode(e);
    // where each elementwise function and division was written first, for the numeric-hazard warnings
    if (x instanceof Expr.Unary || x instanceof Expr.Binary b && b.op() == BinaryOp.DIV) {
      scope.sites.putIfAbsent(x.id(), e);
    }
    return x;
  }

  private Expr lowerNode(dev.nnc.ast.Expr e) {
    if (e instanceof Num n) return graph.constant(n.value());
    if (e instanceof Ref r) return resolve(r.name());
    if (e instanceof Unary u) {
      Expr x = lower(u.operand());
      if (x == null) return null;
      return u.op() == dev.nnc.ast.Expr.UnaryOp.NEG ? graph.neg(x) : x;
    }
    if (e instanceof Transpose t) return transpose(t);
    if (e instanceof Binary b) return binary(b);
    if (e instanceof dev.nnc.ast.Expr.Derivative d) return derivative(d);
    if (e instanceof dev.nnc.ast.Expr.StepRef r) return frame != null ? frame.stepRef(r) : stepOutside(r);
    return call((Call) e);
  }

  // ---- names -----------------------------------------------------------------------------------

  /** A name used as a value. */
  Expr resolve(Name name) {
    String id = name.id();
    if (Builtins.isConstant(id)) return graph.constant(Math.PI);
    if (locals != null) { // a function body reads only its parameters (Functions checked that at the definition)
      Expr bound = locals.get(id);
      if (bound != null) return bound;
      diags.error(Code.FUNCTION_BODY_NAME, name.span(), "'" + name.spelling() + "' is not a parameter of the function",
          "a function reads only its parameters");
      return null;
    }
    if (Builtins.isFunction(id)) {
      diags.error(Code.RESERVED_NAME, name.span(), "'" + name.spelling() + "' is a built-in function, not a value",
          "apply it to an operand: " + Builtins.lookup(id).usage());
      return null;
    }
    if (frame != null && !scope.dims.containsKey(id)) return frame.capture(name);
    if (scope.values.containsKey(id)) return scope.values.get(id);
    if (scope.failed.contains(id)) return null;
    Scope.VarSym sym = scope.vars.get(id);
    if (sym != null) return sym.poisoned ? null : sym.var;
    Dim dim = scope.dims.get(id);
    if (dim != null) return graph.dimSize(dim);
    Integer at = scope.assignedAt.get(id);
    if (at != null) {
      Name target = scope.assignedTarget.get(id);
      if (at == scope.current) {
        diags.error(Code.USED_BEFORE_DEFINITION, name.span(), "'" + name.spelling() + "' is used in its own definition",
            "a name is assigned once, from names defined before it; give the new value a new name");
      } else {
        diags.error(Code.USED_BEFORE_DEFINITION, name.span(),
            "'" + name.spelling() + "' is used before it is assigned on line " + target.span().line(),
            "move the assignment of '" + target.spelling() + "' above this line");
      }
      return null;
    }
    if (scope.implicitParams) return implicitParam(name);
    String near = Suggestions.nearest(id, scope.spellings.keySet());
    String transposed = id.length() > 1 && id.endsWith("T") ? scope.spellings.get(id.substring(0, id.length() - 1))
        : null;
    String hint = transposed != null ? "for the transpose of '" + transposed + "' write " + transposed + "ᵀ"
        : id.equals("T") ? "for a transpose write ᵀ right after the operand: wᵀx, not w^T x"
        : id.equals("sigma") ? "the logistic function is written σ (or sigmoid): σ(z)"
        : near != null ? "did you mean '" + scope.spellings.get(near) + "'?"
        : id.equals("e") ? "there is no constant e; write exp(1) for Euler's number, or declare e"
        : "declare it with 'input " + name.spelling() + "' or 'param " + name.spelling() + "', or assign it first";
    diags.error(Code.UNDEFINED_NAME, name.span(), "undefined name '" + name.spelling() + "'", hint);
    return null;
  }

  private Expr implicitParam(Name name) {
    Scope.VarSym sym = new Scope.VarSym(name.id(), name.spelling(), Role.PARAM, name.span());
    sym.var = graph.var(name.id(), Role.PARAM, Shape.SCALAR);
    sym.init = dev.nnc.ir.ModelIR.Init.ZEROS;
    scope.vars.put(name.id(), sym);
    scope.spellings.putIfAbsent(name.id(), name.spelling());
    return sym.var;
  }

  // ---- recurrences (docs/language.md) ---------------------------------------------------------------

  /** {@code h[T]} outside the recurrence: its last step; every other step index is an error here. */
  private Expr stepOutside(dev.nnc.ast.Expr.StepRef r) {
    String id = r.name().id();
    Expr.Recur all = scope.recurrences.get(id);
    if (all == null) {
      if (scope.failed.contains(id)) return null;
      if (!scope.isKnownValue(id)) return resolve(r.name()); // undefined or used before its definition: say that
      diags.error(Code.STEP_INDEX, r.span(), "'" + r.name().spelling() + "' is not a recurrence: only a recurrence's "
          + "value is read at a step outside its own step", "a sequence X is read as X[t] inside a recurrence's step "
          + "h[t] = …; here use " + r.name().spelling() + " as a whole");
      return null;
    }
    Dim steps = all.rec().steps();
    if (r.index() instanceof Ref ref && steps.name() != null && steps.name().equals(ref.name().id())) {
      List<Dim> state = all.rec().stateShape().dims();
      return graph.layer(dev.nnc.ir.LayerOp.LAST_STEP, List.of(all), List.of(), new Shape(state));
    }
    String last = steps.name() != null ? scope.spellings.getOrDefault(steps.name(), steps.name()) : steps.toString();
    diags.error(Code.STEP_INDEX, r.index().span(), "outside its step, recurrence '" + r.name().spelling() + "' is read"
        + " as a whole (all steps) or at its last step " + r.name().spelling() + "[" + last + "]",
        "write " + r.name().spelling() + "[" + last + "] for the last state, or " + r.name().spelling()
            + " for all of them (shape " + Shapes.describe(all.shape()) + ")");
    return null;
  }

  // ---- the model's functions -------------------------------------------------------------------

  /**
   * {@code dense(x1, W1, b1)}: the body of {@code dense} lowered with its parameters bound to the arguments' nodes
   * (a macro expansion; the IR has no functions, so everything after {@code check} sees ordinary nodes). An error
   * inside the body for these arguments is reported twice: where it is in the definition (saying which call), and
   * at the call (E0222, naming the definition's line).
   */
  private Expr callFunction(Call c) {
    dev.nnc.ast.Stmt.FunctionDef f = scope.functions.get(c.function().id());
    String usage = Functions.usage(f);
    boolean ok = !scope.failedFunctions.contains(f.name().id());
    List<Expr> xs = new ArrayList<>();
    for (Arg a : c.args()) {
      if (a.name() != null) {
        diags.error(Code.FUNCTION_ARGUMENTS, a.name().span(), "'" + f.name().spelling()
            + "' takes its arguments by position, not by name", "call it as " + usage);
        ok = false;
      }
      xs.add(lower(a.value()));
    }
    if (ok && xs.size() != f.params().size()) {
      diags.error(Code.FUNCTION_ARGUMENTS, c.function().span(), "'" + f.name().spelling() + "' takes "
          + f.params().size() + " argument" + (f.params().size() == 1 ? "" : "s") + ", given " + xs.size(),
          "call it as " + usage + " (defined on line " + f.span().line() + ")");
      ok = false;
    }
    for (Expr x : xs) if (x == null) ok = false;
    if (!ok) return null;
    java.util.Map<String, Expr> bound = new java.util.HashMap<>();
    for (int i = 0; i < xs.size(); i++) bound.put(f.params().get(i).id(), xs.get(i));
    Diagnostics inner = new Diagnostics();
    ExprLowerer body = new ExprLowerer(scope, graph, source, inner, bound, plainFunction);
    Expr out = body.lower(f.body());
    dev.nnc.ast.Stmt.RuleDef[] rules = scope.rules.get(f.name().id());
    if (out != null && rules != null && !f.name().id().equals(plainFunction)) {
      // A rule may call its own function (∂softclip/∂z = 1 − softclip(z)²/4): there it means the value, not another
      // call with rules, so the rules are lowered with this function plain.
      out = withRules(f, rules, xs, out, new ExprLowerer(scope, graph, source, inner, bound, f.name().id()), inner);
    }
    String where = "line " + c.span().line() + ", column " + c.span().col();
    dev.nnc.diag.Diagnostic first = null;
    for (dev.nnc.diag.Diagnostic d : inner.all()) {
      if (first == null && d.isError()) first = d;
      diags.report(new dev.nnc.diag.Diagnostic(d.severity(), d.code(), d.span(),
          d.message() + " (in the call of '" + f.name().spelling() + "' on " + where + ")", d.hint()));
    }
    if (first != null) {
      StringBuilder shapes = new StringBuilder();
      for (int i = 0; i < xs.size(); i++) {
        shapes.append(i > 0 ? ", " : "").append(f.params().get(i).spelling()).append(" = ")
            .append(Shapes.describe(xs.get(i).shape()));
      }
      diags.error(Code.FUNCTION_CALL_FAILS, c.function().span(), "this call of '" + f.name().spelling()
          + "' fails in its definition (line " + first.span().line() + ", column " + first.span().col() + "): "
          + first.message(), "the arguments here: " + shapes + "; " + usage + " is defined on line "
          + f.span().line());
      return null;
    }
    return out;
  }

  /**
   * The call {@code out} of a function with derivative rules: each rule lowered over the same arguments and
   * broadcast to the value's shape; an argument must be a scalar or have the value's shape (the rule is
   * elementwise). Errors go to {@code inner}, like the body's.
   */
  private Expr withRules(dev.nnc.ast.Stmt.FunctionDef f, dev.nnc.ast.Stmt.RuleDef[] rules, List<Expr> xs, Expr out,
      ExprLowerer body, Diagnostics inner) {
    List<Expr> lowered = new ArrayList<>();
    List<Boolean> exact = new ArrayList<>();
    for (int i = 0; i < rules.length; i++) {
      Expr r = body.lower(rules[i].rule());
      if (r == null) return null;
      Shape shape = Shapes.broadcast(r.shape(), out.shape());
      if (shape == null || !shape.sameAs(out.shape())) {
        inner.error(Code.RULE_SHAPE, rules[i].rule().span(), "the rule is " + Shapes.describe(r.shape())
            + ", which does not broadcast to the call's value " + Shapes.describe(out.shape()),
            "a rule gives the elementwise derivative: a scalar or the value's shape");
        return null;
      }
      Expr x = xs.get(i);
      if (!x.shape().isScalar() && !x.shape().sameAs(out.shape())) {
        inner.error(Code.RULE_SHAPE, rules[i].param().span(), "the argument for '" + rules[i].param().spelling()
            + "' is " + Shapes.describe(x.shape()) + ", the value " + Shapes.describe(out.shape())
            + ": a derivative rule is for a function elementwise in each argument", "pass a scalar or an argument"
            + " of the value's shape, or drop the rules");
        return null;
      }
      lowered.add(graph.broadcast(r, out.shape()));
      exact.add(rules[i].exact());
    }
    return graph.custom(f.name().spelling(), exact, xs, out, lowered);
  }

  // ---- derivatives (LANGUAGE.md §10) ------------------------------------------------------------

  /**
   * {@code ∂E/∂x}: E must be a scalar, x an input or param (a var of the model). Lowered to an
   * {@link Expr.Derivative} node, which the differentiator's first pass ({@code diff.Derivatives}) expands.
   */
  private Expr derivative(dev.nnc.ast.Expr.Derivative d) {
    Expr of = lower(d.of());
    Name wrt = d.wrt();
    Expr x = resolve(wrt);
    if (of == null || x == null) return null;
    if (!(x instanceof Expr.Var var)) {
      String what = scope.values.containsKey(wrt.id()) ? "an assigned value" : scope.dims.containsKey(wrt.id())
          ? "a dim" : "not a variable";
      diags.error(Code.DERIVATIVE_NOT_WRT_VAR, wrt.span(), "'" + wrt.spelling() + "' is " + what
          + ": a derivative is taken with respect to an input or a param",
          "differentiate with respect to a param or input it depends on, e.g. ∂" + ofText(d) + "/∂w");
      return null;
    }
    if (!of.shape().isScalar()) {
      String e = ofText(d);
      diags.error(Code.DERIVATIVE_OF_NON_SCALAR, d.of().span(), "∂" + e + "/∂" + wrt.spelling() + ": " + e + " is a "
          + Shapes.kind(of.shape()) + " " + Shapes.describe(of.shape()) + ", not a scalar",
          "contract it with a vector first: ∂(u · " + e + ")/∂" + wrt.spelling() + ", or ∂(sum(" + e + "))/∂"
              + wrt.spelling());
      return null;
    }
    Expr node = graph.derivative(of, var);
    scope.derivativeSpans.putIfAbsent(node, d.span());
    return node;
  }

  private String ofText(dev.nnc.ast.Expr.Derivative d) {
    String t = text(d.of());
    return d.of() instanceof Ref ? t : "(" + t + ")";
  }

  // ---- operators -------------------------------------------------------------------------------

  private Expr transpose(Transpose t) {
    Expr x = lower(t.operand());
    if (x == null) return null;
    // xᵀ: the caret on ᵀ; transpose(x) (the parser makes it this node too): on the function name.
    Span last = Span.point(t.span().endLine(), t.span().endCol() - 1);
    boolean postfix = SourceText.codePointAt(source.line(last.line()), last.col()) == 'ᵀ';
    return transpose(x, postfix ? last : Span.point(t.span().line(), t.span().col()));
  }

  private Expr transpose(Expr x, Span at) {
    if (x.shape().rank() > 2) {
      diags.error(Code.UNSUPPORTED_RANK, at,
          "transpose of a " + Shapes.kind(x.shape()) + " " + Shapes.describe(x.shape()) + " is not supported",
          "ᵀ (ASCII: transpose(x)) is defined for vectors (unchanged) and matrices");
      return null;
    }
    return graph.transpose(x);
  }

  private Expr binary(Binary b) {
    Expr left = lower(b.left());
    Expr right = lower(b.right());
    if (b.op() == dev.nnc.ast.Expr.BinaryOp.DIV && isLiteralZero(b.right())) {
      diags.error(Code.DIVISION_BY_ZERO, b.right().span(), "division by the literal 0",
          "the result would be infinite or NaN everywhere");
      return null;
    }
    if (left == null || right == null) return null;
    // Found only when an error needs it: scanning the line for every operator would be quadratic on long lines.
    Supplier<Span> op = () -> SourceText.operatorBetween(source, b.left().span(), b.right().span());
    return switch (b.op()) {
      case ADD -> elementwise(BinaryOp.ADD, left, right, op, "+");
      case SUB -> elementwise(BinaryOp.SUB, left, right, op, "−");
      case MUL -> elementwise(BinaryOp.MUL, left, right, op, "*");
      case DIV -> elementwise(BinaryOp.DIV, left, right, op, "/");
      case POW -> elementwise(BinaryOp.POW, left, right, op, "^");
      case DOT, JUXT -> product(left, right, op, b.left(), b.right());
    };
  }

  private static boolean isLiteralZero(dev.nnc.ast.Expr e) {
    if (e instanceof Unary u) return isLiteralZero(u.operand());
    return e instanceof Num n && n.value() == 0;
  }

  /** Elementwise with NumPy broadcasting made explicit: both operands are broadcast to the result shape. */
  Expr elementwise(BinaryOp op, Expr a, Expr b, Supplier<Span> opSpan, String symbol) {
    Shape shape = Shapes.broadcast(a.shape(), b.shape());
    if (shape == null) {
      Span at = opSpan.get();
      symbol = writtenSymbol(at, symbol);
      String hint;
      if (a.shape().rank() == 2 && Shapes.reversed(a.shape()).sameAs(b.shape())) {
        hint = "one side is the transpose of the other: transpose one of them with ᵀ";
      } else {
        hint = "broadcasting aligns shapes on the right; each pair of axes must be equal or 1";
      }
      diags.error(Code.SHAPE_MISMATCH, at, "shapes " + Shapes.describe(a.shape()) + " and "
          + Shapes.describe(b.shape()) + " do not broadcast for '" + symbol + "' (" + Shapes.clash(a.shape(), b.shape())
          + " differ)", hint);
      return null;
    }
    return graph.binary(op, graph.broadcast(a, shape), graph.broadcast(b, shape));
  }

  /** The operator as the user wrote it ({@code ×} rather than {@code *}), when the span points at one. */
  private String writtenSymbol(Span at, String fallback) {
    int cp = SourceText.codePointAt(source.line(at.line()), at.col());
    if (cp < 0 || Character.isLetterOrDigit(cp) || cp == '(' || cp == '_') return fallback;
    if (cp == '*' && SourceText.codePointAt(source.line(at.line()), at.col() + 1) == '*') return "**";
    return new String(Character.toChars(cp));
  }

  /**
   * {@code ·}, {@code @} and juxtaposition: scalar scaling when a side is a scalar, else the linear-algebra product
   * of vectors and matrices (NumPy {@code @}: dot, matrix·vector, vector·matrix, matmul).
   */
  private Expr product(Expr a, Expr b, Supplier<Span> opSpan, dev.nnc.ast.Expr left, dev.nnc.ast.Expr right) {
    if (a.shape().isScalar() || b.shape().isScalar()) {
      Shape shape = a.shape().isScalar() ? b.shape() : a.shape();
      return graph.mul(graph.broadcast(a, shape), graph.broadcast(b, shape));
    }
    Shape sa = a.shape();
    Shape sb = b.shape();
    if (sa.rank() > 2 || sb.rank() > 2) {
      diags.error(Code.UNSUPPORTED_RANK, opSpan.get(), "the product of " + Shapes.describe(sa) + " and " + Shapes.describe(sb)
          + " is not supported: · and juxtaposition multiply vectors and matrices",
          "for the elementwise product write '" + text(left) + " * " + text(right) + "'");
      return null;
    }
    Dim ka = sa.dim(sa.rank() - 1);
    Dim kb = sb.dim(0);
    if (!ka.sameExtent(kb)) {
      diags.error(Code.PRODUCT_SHAPE_MISMATCH, opSpan.get(), "product of " + Shapes.kind(sa) + " " + Shapes.describe(sa)
          + " and " + Shapes.kind(sb) + " " + Shapes.describe(sb) + ": inner dimensions " + Shapes.describe(ka) + " and "
          + Shapes.describe(kb) + " differ", productHint(sa, sb, left, right));
      return null;
    }
    return graph.matmul(a, b);
  }

  private String productHint(Shape sa, Shape sb, dev.nnc.ast.Expr left, dev.nnc.ast.Expr right) {
    String l = text(left);
    String r = text(right);
    if (sa.sameAs(sb) && sa.rank() == 2) {
      return "· and juxtaposition are the matrix product; for the elementwise product write '" + l + " * " + r
          + "', and 'sum(" + l + " * " + r + ")' to add up its entries";
    }
    if (sa.rank() == 2 && sa.dim(0).sameExtent(sb.dim(0))) return "transpose the left side: '" + wrap(l) + "ᵀ " + r + "'";
    if (sb.rank() == 2 && sa.dim(sa.rank() - 1).sameExtent(sb.dim(1))) {
      return "transpose the right side: '" + l + " " + wrap(r) + "ᵀ'";
    }
    if (sa.sameAs(sb) || Shapes.broadcast(sa, sb) != null) {
      return "for the elementwise product write '" + l + " * " + r + "'";
    }
    return "the last axis of the left side must match the first axis of the right side";
  }

  private static String wrap(String s) {
    return s.codePoints().allMatch(cp -> Character.isLetterOrDigit(cp) || cp == '_') ? s : "(" + s + ")";
  }

  /** An operand as written, with an application without parentheses shown with them ({@code log Y} → {@code log(Y)}). */
  private String text(dev.nnc.ast.Expr e) {
    if (e instanceof Call c && !c.parenthesised() && c.args().size() == 1) {
      return c.function().spelling() + "(" + SourceText.slice(source, c.args().get(0).value().span()) + ")";
    }
    return SourceText.slice(source, e.span());
  }

  // ---- calls -----------------------------------------------------------------------------------

  private Expr call(Call c) {
    Builtins.Builtin fn = Builtins.lookup(c.function().id());
    if (fn == null && scope.functions.containsKey(c.function().id())) return callFunction(c);
    if (fn == null) return nameBeforeParen(c);
    if (fn.kind() == Builtins.Kind.LAYER) return new LayerLowering(this, graph, diags).lower(fn, c);
    List<Arg> positional = new ArrayList<>();
    Arg axisArg = null;
    Arg keepdims = null;
    boolean ok = true;
    for (Arg a : c.args()) {
      if (isKeepdims(a) && fn.keepsDims()) {
        if (keepdims != null) {
          diags.error(Code.WRONG_ARGUMENTS, a.span(), "keepdims is given twice", "use " + fn.usage());
          ok = false;
        }
        keepdims = a;
      } else if (isKeepdims(a) && fn.takesAxis()) {
        diags.error(Code.WRONG_ARGUMENTS, a.span(), "'" + fn.canonical() + "' keeps every axis already; keepdims is "
            + "for the reductions", "use " + fn.usage());
        ok = false;
      } else if (a.name() == null) {
        positional.add(a);
      } else if (!a.name().id().equals("axis") || !fn.takesAxis()) {
        diags.error(Code.WRONG_ARGUMENTS, a.name().span(), "'" + fn.canonical() + "' takes no argument named '"
            + a.name().spelling() + "'", "use " + fn.usage());
        ok = false;
      } else if (axisArg != null) {
        diags.error(Code.WRONG_ARGUMENTS, a.name().span(), "axis= is given twice", "use " + fn.usage());
        ok = false;
      } else {
        axisArg = a;
      }
    }
    int n = positional.size();
    // A function's numeric argument (leaky_relu's slope, elu's α) is a literal, not an operand: read below, never lowered.
    int operands = fn.kind() == Builtins.Kind.WITH_PARAM ? Math.min(n, 1) : n;
    List<Expr> xs = new ArrayList<>();
    for (int i = 0; i < operands; i++) xs.add(lower(positional.get(i).value()));
    boolean countOk = switch (fn.kind()) {
      case ELEMENTWISE, REDUCE, MEAN, SOFTMAX, TRANSPOSE, LAYER -> n == 1; // LAYER: lowered above
      case WITH_PARAM, MAX_MIN -> n == 1 || n == 2;
    };
    if (!countOk) {
      String hint = "use " + fn.usage();
      if (fn.takesAxis() && n == 2 && integerLiteral(positional.get(1).value()) != null) {
        hint = "write the axis as a named argument: " + fn.canonical() + "(" + text(positional.get(0).value()) + ", axis="
            + integerLiteral(positional.get(1).value()) + ")";
      }
      diags.error(Code.WRONG_ARGUMENTS, c.function().span(), "'" + c.function().spelling() + "' takes "
          + arity(fn) + ", got " + n, hint);
      return null;
    }
    if (fn.kind() == Builtins.Kind.MAX_MIN && n == 2 && axisArg != null) {
      diags.error(Code.WRONG_ARGUMENTS, axisArg.name().span(), "'" + fn.canonical()
          + "' of two operands is elementwise and takes no axis", "use " + fn.usage());
      return null;
    }
    if (fn.kind() == Builtins.Kind.MAX_MIN && n == 2 && keepdims != null) {
      diags.error(Code.WRONG_ARGUMENTS, keepdims.span(), "'" + fn.canonical()
          + "' of two operands is elementwise and takes no keepdims", "use " + fn.usage());
      return null;
    }
    Integer axis = null;
    if (axisArg != null) {
      axis = integerLiteral(axisArg.value());
      if (axis == null) {
        diags.error(Code.WRONG_ARGUMENTS, axisArg.value().span(), "axis= takes an integer literal",
            "write e.g. axis=0 or axis=-1");
        ok = false;
      }
    }
    Double param = null;
    if (fn.kind() == Builtins.Kind.WITH_PARAM && n == 2) {
      param = numberLiteral(positional.get(1).value());
      if (param == null) {
        diags.error(Code.WRONG_ARGUMENTS, positional.get(1).value().span(),
            fn.canonical() + "'s " + fn.unary().param().name() + " must be a number literal",
            "write e.g. " + fn.canonical() + "(x, " + fn.unary().param().example() + ")");
        ok = false;
      }
    }
    for (Expr x : xs) if (x == null) ok = false;
    if (!ok) return null;
    Expr x = xs.get(0);
    Expr result = switch (fn.kind()) {
      case ELEMENTWISE -> graph.unary(fn.unary().op(), x);
      case WITH_PARAM -> graph.unary(fn.unary().op(), x, param == null ? fn.unary().param().defaultValue() : param);
      case MAX_MIN -> n == 2 ? elementwise(fn.binary(), x, xs.get(1), () -> c.function().span(), fn.canonical())
          : reduce(fn.reduce(), x, axis, axisArg, fn);
      case REDUCE -> reduce(fn.reduce(), x, axis, axisArg, fn);
      case MEAN -> mean(x, axis, axisArg, fn);
      case SOFTMAX -> softmax(fn, x, axis, axisArg, c);
      case TRANSPOSE -> transpose(x, c.function().span());
      case LAYER -> throw new IllegalStateException("lowered by LayerLowering");
    };
    return keepdims == null || result == null ? result : keepDims(result, x.shape(), axis);
  }

  /** The bare word {@code keepdims} as an argument: a flag of the reductions, never a value there. */
  private static boolean isKeepdims(Arg a) {
    return a.name() == null && a.value() instanceof Ref r && r.name().id().equals("keepdims");
  }

  /**
   * {@code keepdims}: the reduced axes stay, with extent 1, so that {@code S − max(S, axis=1, keepdims)} broadcasts
   * row by row. The reduction's result is broadcast back into the operand's rank (an axis map, no new node kind).
   */
  private Expr keepDims(Expr reduced, Shape operand, Integer axis) {
    int rank = operand.rank();
    int a = axis == null ? -1 : axis < 0 ? axis + rank : axis;
    List<Dim> dims = new ArrayList<>();
    List<Integer> map = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      boolean reducedAxis = axis == null || i == a;
      dims.add(reducedAxis ? Dim.literal(1) : operand.dim(i));
      if (!reducedAxis) map.add(i);
    }
    return graph.broadcast(reduced, map, new Shape(dims));
  }

  private static String arity(Builtins.Builtin fn) {
    return switch (fn.kind()) {
      case ELEMENTWISE, TRANSPOSE, LAYER -> "1 argument";
      case REDUCE, MEAN, SOFTMAX -> "1 operand (and optionally axis=)";
      case WITH_PARAM -> "1 or 2 arguments";
      case MAX_MIN -> "1 operand (a reduction) or 2 (elementwise)";
    };
  }

  /** {@code a(x)} with a name that is not a built-in: the product {@code a·(x)} if a is a value, else unknown. */
  private Expr nameBeforeParen(Call c) {
    Name f = c.function();
    boolean value = scope.isKnownValue(f.id()) || (scope.implicitParams && scope.valueNames.contains(f.id()));
    if (!value) {
      List<Expr> ignored = new ArrayList<>();
      for (Arg a : c.args()) ignored.add(lower(a.value())); // report what is wrong inside too
      String near = Suggestions.nearest(f.id(), Builtins.spellings());
      String hint = near != null ? "did you mean '" + near + "'?"
          : scope.implicitParams ? "built-in functions are listed in docs/language.md; for a product write '"
              + f.spelling() + "·(…)'"
              : "built-in functions are listed in docs/language.md";
      diags.error(Code.UNKNOWN_FUNCTION, f.span(), "unknown function '" + f.spelling() + "'", hint);
      return null;
    }
    if (c.args().size() != 1 || c.args().get(0).name() != null) {
      diags.error(Code.UNKNOWN_FUNCTION, f.span(), "'" + f.spelling() + "' is a value, not a function",
          "'" + f.spelling() + "(x)' with one operand is the product " + f.spelling() + "·(x)");
      return null;
    }
    Expr a = resolve(f);
    dev.nnc.ast.Expr argument = c.args().get(0).value();
    Expr b = lower(argument);
    if (a == null || b == null) return null;
    return product(a, b, () -> Span.point(argument.span().line(), argument.span().col()), new Ref(f, f.span()), argument);
  }

  // ---- reductions and softmax ------------------------------------------------------------------

  /** Normalises an axis (negative counts from the end) or reports it out of range and returns -1. */
  private int axis(int k, Shape shape, Arg axisArg, Builtins.Builtin fn) {
    int rank = shape.rank();
    int a = k < 0 ? k + rank : k;
    if (a < 0 || a >= rank) {
      String range = rank == 0 ? "a scalar has no axes" : rank == 1 ? "the only axis of " + Shapes.describe(shape)
          + " is 0 (or −1)" : "axes of " + Shapes.describe(shape) + " are 0…" + (rank - 1)
          + " (or −" + rank + "…−1 from the end)";
      diags.error(Code.AXIS_OUT_OF_RANGE, axisArg.value().span(), "axis " + k + " is out of range for '"
          + fn.canonical() + "' of " + Shapes.describe(shape), range);
      return -1;
    }
    return a;
  }

  private Expr reduce(ReduceOp op, Expr x, Integer axis, Arg axisArg, Builtins.Builtin fn) {
    if (axis == null) return graph.reduceAll(op, x);
    int a = axis(axis, x.shape(), axisArg, fn);
    if (a < 0) return null;
    return graph.reduce(op, x, List.of(a));
  }

  /** mean = sum / count, count the product of the reduced extents (a dim's size when it is free). */
  private Expr mean(Expr x, Integer axis, Arg axisArg, Builtins.Builtin fn) {
    List<Integer> axes = new ArrayList<>();
    if (axis == null) {
      for (int i = 0; i < x.shape().rank(); i++) axes.add(i);
    } else {
      int a = axis(axis, x.shape(), axisArg, fn);
      if (a < 0) return null;
      axes.add(a);
    }
    Expr sum = graph.reduce(ReduceOp.SUM, x, axes);
    double fixed = 1;
    Expr count = null;
    for (int i : axes) {
      Dim d = x.shape().dim(i);
      if (d.isFree()) count = count == null ? graph.dimSize(d) : graph.mul(count, graph.dimSize(d));
      else fixed *= d.size();
    }
    if (count == null) count = graph.constant(fixed);
    else if (fixed != 1) count = graph.mul(graph.constant(fixed), count);
    return graph.div(sum, graph.broadcast(count, sum.shape()));
  }

  private Expr softmax(Builtins.Builtin fn, Expr x, Integer axis, Arg axisArg, Call c) {
    if (x.shape().isScalar()) {
      diags.error(Code.UNSUPPORTED_RANK, c.function().span(), "'" + fn.canonical() + "' of a scalar",
          fn.canonical() + " normalises along an axis of a vector or matrix; of one number it is constant");
      return null;
    }
    int a = x.shape().rank() - 1;
    if (axis != null) {
      a = axis(axis, x.shape(), axisArg, fn);
      if (a < 0) return null;
    }
    return fn.log() ? graph.logSoftmax(x, a) : graph.softmax(x, a);
  }

  // ---- literals --------------------------------------------------------------------------------

  /** A signed number literal's value, or null if {@code e} is something else. */
  static Double numberLiteral(dev.nnc.ast.Expr e) {
    if (e instanceof Num n) return n.value();
    if (e instanceof Unary u && u.operand() instanceof Num n) {
      return u.op() == dev.nnc.ast.Expr.UnaryOp.NEG ? -n.value() : n.value();
    }
    return null;
  }

  static Integer integerLiteral(dev.nnc.ast.Expr e) {
    Double v = numberLiteral(e);
    if (v == null || v != Math.rint(v) || Math.abs(v) > 1_000_000) return null;
    return v.intValue();
  }
}
