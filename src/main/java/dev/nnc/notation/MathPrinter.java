package dev.nnc.notation;

import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Numbers;
import dev.nnc.ir.UnaryOp;
import dev.nnc.prim.FunctionPrim;
import dev.nnc.prim.Prims;
import dev.nnc.prim.Symbol;
import dev.nnc.prim.UnaryPrim;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints IR nodes in the model's notation, with as few parentheses as the .nn precedence rules allow:
 * {@code a − y}, {@code a(1−a)}, {@code σ(z)}, {@code Xᵀ · δ}, {@code ∂L/∂a · a(1−a)}.
 *
 * <p>Usage: {@code MathPrinter.unicode(names).print(expr)}, where {@code names} maps nodes to the name that stands
 * for them (named values → their spelling; see {@link #names}), or {@link #labelled} with {@link Label}s, which
 * can also be partial derivatives ({@code ∂L/∂name}) or numbers substituted for symbols. A named node
 * prints as its name wherever it occurs, so derivatives show reused forward values ({@code a(1−a)}, not
 * {@code σ(z)(1−σ(z))}). {@link #printDefinition} expands the root itself even when it has a name.
 *
 * <p>Layout: {@code +}/{@code −} with spaces, except inside parentheses or a call around two plain operands
 * ({@code a(1−a)}, {@code log(1−a)}); scalar products by juxtaposition where .nn reads them back the same way
 * ({@code 2a}, {@code b c}, {@code y log(a)}), otherwise {@code ·}; elementwise tensor products {@code ⊙};
 * matrix products {@code ·}; broadcasts are invisible. One emitter serves all three notations: it decides the
 * layout once and spells each token (operator, function, name, number, label) in the printer's notation, so the
 * notations agree token for token and nothing re-reads printed text.
 *
 * <p>Output is bounded: past {@link #withLimit} characters (default 4000) or a nesting depth of 1000 it ends
 * in {@code …} — an explicit bound for callers that print into a fixed space (code comments); a huge or deeply
 * nested DAG never costs more than the limit.
 */
public final class MathPrinter {
  /** The notation to print in. */
  public enum Notation {
    UNICODE,
    ASCII,
    LATEX,
    /**
     * MathML Core presentation markup: the content of a {@code <math>} element ({@code <mi>a</mi><mo>−</mo>…}),
     * which browsers render natively. The same layout and tokens as the others; superscripts, square roots and
     * partial derivatives become {@code <msup>}, {@code <msqrt>} and {@code <mfrac>}. Past the output bound the
     * markup ends in {@code <mo>…</mo>} and stays well-formed (every open element is closed).
     */
    MATHML
  }

  private static final int SUM = 1;
  private static final int PROD = 2;
  private static final int NEG = 3;
  private static final int JUXT = 4;
  private static final int APP = 5;
  private static final int POW = 6;
  private static final int POST = 7;
  private static final int ATOM = 8;

  private enum Kind {
    NAME,
    NUMBER,
    SYMBOL,
    CALL,
    PAREN,
    POST,
    OTHER
  }

  /** How a node prints, decided without printing it. */
  private record Form(int level, Kind kind, boolean startsWithMinus, boolean plain) {}

  private static final int MAX_DEPTH = 1000;

  private final Map<Expr, Label> names;
  private final Notation notation;
  private final int limit;

  private MathPrinter(Map<Expr, Label> names, Notation notation, int limit) {
    this.names = names;
    this.notation = notation;
    this.limit = limit;
  }

  private static Map<Expr, Label> labels(Map<Expr, String> names) {
    Map<Expr, Label> labels = new HashMap<>();
    names.forEach((e, n) -> labels.put(e, Label.name(n)));
    return labels;
  }

  public static MathPrinter unicode(Map<Expr, String> names) {
    return of(Notation.UNICODE, names);
  }

  public static MathPrinter ascii(Map<Expr, String> names) {
    return of(Notation.ASCII, names);
  }

  public static MathPrinter latex(Map<Expr, String> names) {
    return of(Notation.LATEX, names);
  }

  public static MathPrinter of(Notation notation, Map<Expr, String> names) {
    return new MathPrinter(labels(names), notation, 4000);
  }

  /** A printer whose named nodes print as the given labels (names, partial derivatives, numbers). */
  public static MathPrinter labelled(Notation notation, Map<Expr, Label> labels) {
    return new MathPrinter(Map.copyOf(labels), notation, 4000);
  }

  /** The same printer with a different output bound (in characters of its notation). */
  public MathPrinter withLimit(int maxChars) {
    return new MathPrinter(names, notation, maxChars);
  }

  public Notation notation() {
    return notation;
  }

  /** Prints {@code e}; a node with a name (the root included) prints as that name. */
  public String print(Expr e) {
    return render(e, false);
  }

  /** Prints {@code e} expanded one level: the root is shown as its operation even if it has a name (a leaf, as its name). */
  public String printDefinition(Expr e) {
    return render(e, true);
  }

  /** Whether {@link #print} of {@code e} starts with a minus sign ({@code −a b}, {@code −y/a}, {@code −2}). */
  public boolean startsWithMinus(Expr e) {
    return forms(e, false).get(e).startsWithMinus();
  }

  /** {@link #print} of {@code e} without its leading minus (for {@code x − e} where {@code e} reads {@code −…}). */
  public String printWithoutLeadingMinus(Expr e) {
    if (!startsWithMinus(e)) throw new IllegalArgumentException("does not start with a minus");
    Map<Expr, Form> forms = forms(e, false);
    Emitter emitter = new Emitter(e, false, forms);
    emitter.skipMinus = true;
    return emit(emitter, e);
  }

  /** An operator token given in Unicode ({@code " · "}, {@code " + "}), spelled in this printer's notation. */
  public String token(String unicodeToken) {
    return op(unicodeToken);
  }

  /** A number in this printer's notation: {@code −2.5}, {@code -2.5}; {@code π}, {@code pi}, {@code \\pi}. */
  public String spell(double v) {
    return spellNumber(v);
  }

  /** A label on its own in this printer's notation: {@code ∂L/∂a}, {@code dL/da}, {@code \\frac{…}{…}}, {@code 3}. */
  public String label(Label label) {
    return spellLabel(label);
  }

  /**
   * The names of a model's nodes, from its {@link dev.nnc.ir.NameTable}: params and inputs by their spelling,
   * assigned values by theirs (the first name wins when two values are one node; constants are never named, so a
   * literal {@code 2} stays {@code 2}). A fresh map the caller may extend.
   */
  public static Map<Expr, String> names(ModelIR model) {
    return model.names().displayNames();
  }

  // ---- rendering -----------------------------------------------------------------------------------------------

  private static final class Overflow extends RuntimeException {
    Overflow() {
      super(null, null, false, false);
    }
  }

  private String render(Expr root, boolean expandRoot) {
    return emit(new Emitter(root, expandRoot, forms(root, expandRoot)), root);
  }

  private String emit(Emitter emitter, Expr root) {
    try {
      emitter.emit(root, 0);
    } catch (Overflow o) {
      if (notation == Notation.MATHML) { // cut after a whole token; then close what is open
        emitter.sb.append(op("…"));
        while (!emitter.open.isEmpty()) emitter.sb.append("</").append(emitter.open.pop()).append('>');
      } else {
        emitter.sb.setLength(Math.min(emitter.sb.length(), limit));
        emitter.sb.append(op("…"));
      }
    }
    return emitter.sb.toString();
  }

  private Label nameOf(Expr e, Expr root, boolean expandRoot) {
    if (expandRoot && e == root && !(e instanceof Expr.Var)) return null; // a leaf has no definition to expand
    Label name = names.get(e);
    if (name != null) return name;
    if (e instanceof Expr.Var v) return Label.name(v.name());
    return null;
  }

  private static Kind kindOf(Label label) {
    return label instanceof Label.Name n && isIdentifier(n.spelling()) ? Kind.NAME : Kind.SYMBOL;
  }

  private static boolean isIdentifier(String s) {
    if (s.isEmpty() || !Character.isLetter(s.codePointAt(0))) return false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      boolean ok = Character.isLetter(cp) || (cp >= '0' && cp <= '9') || cp == '_' || (cp >= '₀' && cp <= '₉');
      if (!ok) return false;
    }
    return true;
  }

  /** Forms of every node reachable from the root (not below named nodes), computed bottom-up in id order. */
  private Map<Expr, Form> forms(Expr root, boolean expandRoot) {
    Map<Expr, Form> forms = new HashMap<>();
    List<Expr> order = new ArrayList<>();
    Deque<Expr> stack = new ArrayDeque<>();
    stack.push(root);
    java.util.Set<Expr> seen = new java.util.HashSet<>();
    seen.add(root);
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      order.add(e);
      if (nameOf(e, root, expandRoot) != null) continue;
      for (Expr in : e.inputs()) if (seen.add(in)) stack.push(in);
    }
    order.sort((x, y) -> Integer.compare(x.id(), y.id()));
    for (Expr e : order) forms.put(e, formOf(e, root, expandRoot, forms));
    return forms;
  }

  private static Form atom(Kind kind) {
    return new Form(ATOM, kind, false, kind == Kind.NAME || kind == Kind.NUMBER);
  }

  /** The operand of a sum after moving its sign into the operator, or null if it has no sign to move. */
  private Expr negatedOperand(Expr b, Expr root, boolean expandRoot) {
    if (nameOf(b, root, expandRoot) != null) return null;
    if (b instanceof Expr.Unary u && u.op() == UnaryOp.NEG) return u.x();
    return null;
  }

  private static boolean isNegativeConst(Expr e) {
    return e instanceof Expr.Const c && (c.value() < 0 || (c.value() == 0 && 1 / c.value() < 0));
  }

  private Form formOf(Expr e, Expr root, boolean expandRoot, Map<Expr, Form> forms) {
    Label name = nameOf(e, root, expandRoot);
    if (name != null) return atom(kindOf(name));
    return e.accept(new Expr.Visitor<Form>() {
      public Form visitConst(Expr.Const c) {
        return isNegativeConst(c) ? new Form(NEG, Kind.OTHER, true, false)
            : atom(c.value() == Math.PI ? Kind.NAME : Kind.NUMBER);
      }

      public Form visitVar(Expr.Var v) {
        return atom(Kind.NAME);
      }

      public Form visitDimSize(Expr.DimSize d) {
        return atom(Kind.NAME);
      }

      public Form visitUnary(Expr.Unary u) {
        Symbol.Style style = Prims.of(u.op()).notation().style();
        if (style == Symbol.Style.PREFIX) return new Form(NEG, Kind.OTHER, true, false);
        if (style == Symbol.Style.ROOT) {
          Form x = forms.get(u.x());
          boolean simple = x.kind() == Kind.NAME || x.kind() == Kind.NUMBER;
          return simple ? new Form(APP, Kind.OTHER, false, false) : atom(Kind.CALL);
        }
        return atom(Kind.CALL);
      }

      public Form visitBinary(Expr.Binary b) {
        return switch (Prims.of(b.op()).notation().style()) {
          case SUM -> {
            Form left = forms.get(b.a());
            Expr right = b.b();
            Expr moved = negatedOperand(right, root, expandRoot);
            boolean rightPlain;
            if (moved != null) rightPlain = forms.get(moved).plain();
            else if (isNegativeConst(right)) rightPlain = true;
            else rightPlain = forms.get(right).plain();
            yield new Form(SUM, Kind.OTHER, left.startsWithMinus(),
                left.plain() && !left.startsWithMinus() && rightPlain);
          }
          case PRODUCT -> juxtaposes(b, forms) ? new Form(JUXT, Kind.OTHER, false, false)
              : new Form(PROD, Kind.OTHER, leftStartsWithMinus(forms.get(b.a()), PROD), false);
          case QUOTIENT -> new Form(PROD, Kind.OTHER, leftStartsWithMinus(forms.get(b.a()), PROD), false);
          case POWER -> isSmallPower(b.b()) ? new Form(POST, Kind.POST, false, false)
              : new Form(POW, Kind.OTHER, false, false);
          case CALL, COMPARE, PREFIX, ROOT, BARS, INDICATOR -> atom(Kind.CALL);
        };
      }

      public Form visitBroadcast(Expr.Broadcast bc) {
        return forms.get(bc.x());
      }

      public Form visitReduce(Expr.Reduce r) {
        return atom(Kind.CALL);
      }

      public Form visitMatMul(Expr.MatMul m) {
        return new Form(PROD, Kind.OTHER, leftStartsWithMinus(forms.get(m.a()), PROD), false);
      }

      public Form visitTranspose(Expr.Transpose t) {
        return new Form(POST, Kind.POST, false, false);
      }

      public Form visitSoftmax(Expr.Softmax s) {
        return atom(Kind.CALL);
      }

      public Form visitLogSoftmax(Expr.LogSoftmax s) {
        return atom(Kind.CALL);
      }

      public Form visitLayer(Expr.Layer l) {
        return atom(Kind.CALL);
      }

      public Form visitDerivative(Expr.Derivative dv) {
        return atom(Kind.CALL);
      }

      public Form visitCustom(Expr.Custom c) {
        return atom(Kind.CALL);
      }

      public Form visitRecur(Expr.Recur r) {
        return atom(Kind.NAME);
      }

      public Form visitRecurGrad(Expr.RecurGrad r) {
        return new Form(SUM, Kind.OTHER, false, false);
      }
    });
  }

  private static boolean leftStartsWithMinus(Form left, int needed) {
    return left.level() >= needed && left.startsWithMinus();
  }

  private static boolean isSmallPower(Expr exponent) {
    Expr x = exponent;
    while (x instanceof Expr.Broadcast bc) x = bc.x();
    return x instanceof Expr.Const c && (c.value() == 2 || c.value() == 3);
  }

  /** A scalar operand of an elementwise product (a scalar, a filled constant, or a broadcast scalar). */
  private static boolean scalarLike(Expr e) {
    Expr x = e;
    while (x instanceof Expr.Broadcast bc) x = bc.x();
    return x.shape().isScalar() || x instanceof Expr.Const;
  }

  /** Whether a product prints by juxtaposition ({@code 2a}, {@code b c}, {@code a(1−a)}, {@code y log(a)}). */
  private static boolean juxtaposes(Expr.Binary b, Map<Expr, Form> forms) {
    if (!scalarLike(b.a()) && !scalarLike(b.b())) return false; // elementwise tensor product: ⊙
    Form l = forms.get(b.a());
    Form r = forms.get(b.b());
    boolean leftOk = switch (l.kind()) {
      case NUMBER, NAME, POST -> true;
      case OTHER -> l.level() == JUXT || l.level() == SUM;
      default -> false;
    };
    if (l.level() == POST && startsWithNumber(b.a())) leftOk = false;
    boolean rightOk = switch (r.kind()) {
      case NAME, CALL -> true;
      case POST -> !startsWithNumber(b.b());
      case OTHER -> r.level() == SUM && !r.startsWithMinus();
      default -> false;
    };
    return leftOk && rightOk;
  }

  private static boolean startsWithNumber(Expr e) {
    Expr x = e;
    while (true) {
      if (x instanceof Expr.Broadcast bc) x = bc.x();
      else if (x instanceof Expr.Binary bin && bin.op() == BinaryOp.POW) x = bin.a();
      else if (x instanceof Expr.Transpose t) x = t.x();
      else break;
    }
    return x instanceof Expr.Const;
  }

  private final class Emitter {
    final StringBuilder sb = new StringBuilder();
    final Expr root;
    final boolean expandRoot;
    final Map<Expr, Form> forms;
    /** Set when the sign of the next leading minus was already written as the operator before it. */
    boolean skipMinus;
    /** The MathML elements open at this point (closed after an overflow so the markup stays well-formed). */
    final Deque<String> open = new ArrayDeque<>();

    Emitter(Expr root, boolean expandRoot, Map<Expr, Form> forms) {
      this.root = root;
      this.expandRoot = expandRoot;
      this.forms = forms;
    }

    /** Appends text already in the printer's notation. */
    private void text(String s) {
      sb.append(s);
      if (sb.length() > limit) throw new Overflow();
    }

    /** Appends an operator token given in Unicode, spelled in the printer's notation. */
    private void sym(String unicodeToken) {
      text(op(unicodeToken));
    }

    /** Appends punctuation ({@code (}, {@code , }, {@code /}, a space), the same in every notation but MathML. */
    private void punct(String s) {
      text(notation == Notation.MATHML ? mathmlPunct(s) : s);
    }

    /** {@code , stride=2}. */
    private void keyword(String name, int value) {
      if (notation != Notation.MATHML) {
        text(", " + name + "=" + value);
        return;
      }
      punct(", ");
      text("<mi>" + name + "</mi>");
      punct("=");
      text(integer(value));
    }

    /** Opens a MathML element (nothing in the other notations); {@link #closeTag} closes it. */
    private void openTag(String name) {
      if (notation != Notation.MATHML) return;
      open.push(name);
      text("<" + name + ">");
    }

    private void closeTag() {
      if (notation != Notation.MATHML) return;
      String name = open.pop(); // popped first: if the bound is hit on this closer, it is not closed twice
      text("</" + name + ">");
    }

    /** MathML {@code base^mark}: {@code <msup><mrow>base</mrow>mark</msup>}. */
    private void superscript(Expr base, int depth, String mark) {
      openTag("msup");
      openTag("mrow");
      operand(base, ATOM, depth);
      closeTag();
      text(mark);
      closeTag();
    }

    private Form form(Expr e) {
      return forms.get(e);
    }

    /** Emits {@code e}, in parentheses unless it binds at least as tightly as {@code minLevel}. */
    private void operand(Expr e, int minLevel, int depth) {
      Form f = form(e);
      if (f.level() >= minLevel) {
        emit(e, depth + 1);
      } else {
        group(e, depth);
      }
    }

    private void group(Expr e, int depth) {
      punct("(");
      emitCompact(e, depth + 1);
      punct(")");
    }

    /** Emits a call argument or parenthesised group: a sum of two plain operands goes without spaces. */
    private void emitCompact(Expr e, int depth) {
      Expr inner = e;
      while (inner instanceof Expr.Broadcast bc && nameOf(inner, root, expandRoot) == null) inner = bc.x();
      Form f = form(inner);
      if (f.level() == SUM && f.plain() && nameOf(inner, root, expandRoot) == null) {
        emitSum((Expr.Binary) inner, depth, true);
      } else {
        emit(e, depth);
      }
    }

    void emit(Expr e, int depth) {
      if (depth > MAX_DEPTH) {
        sym("…");
        return;
      }
      Label name = nameOf(e, root, expandRoot);
      if (name != null) {
        text(spellLabel(name));
        return;
      }
      int d = depth;
      e.accept(new Expr.Visitor<Void>() {
        public Void visitConst(Expr.Const c) {
          if (skipMinus && isNegativeConst(c)) {
            skipMinus = false;
            text(spellNumber(-c.value()));
            return null;
          }
          text(spellNumber(c.value()));
          return null;
        }

        public Void visitVar(Expr.Var v) {
          text(spellName(v.name()));
          return null;
        }

        public Void visitDimSize(Expr.DimSize ds) {
          text(spellName(ds.dim().toString()));
          return null;
        }

        public Void visitUnary(Expr.Unary u) {
          emitUnary(u, d);
          return null;
        }

        public Void visitBinary(Expr.Binary b) {
          emitBinary(b, d);
          return null;
        }

        public Void visitBroadcast(Expr.Broadcast bc) {
          emit(bc.x(), d + 1);
          return null;
        }

        public Void visitReduce(Expr.Reduce r) {
          text(spell(Prims.of(r.op()).notation()));
          punct("(");
          emitCompact(r.x(), d + 1);
          if (r.axes().size() != r.x().shape().rank()) {
            text(axisEquals());
            if (r.axes().size() == 1) {
              text(integer(r.axes().get(0)));
            } else {
              punct("(");
              for (int i = 0; i < r.axes().size(); i++) {
                if (i > 0) punct(", ");
                text(integer(r.axes().get(i)));
              }
              punct(")");
            }
          }
          punct(")");
          return null;
        }

        public Void visitMatMul(Expr.MatMul m) {
          operand(m.a(), PROD, d);
          sym(" · ");
          rightOperand(m.b(), JUXT, d);
          return null;
        }

        public Void visitTranspose(Expr.Transpose t) {
          if (notation == Notation.MATHML) {
            superscript(t.x(), d, "<mi mathvariant=\"normal\">T</mi>");
            return null;
          }
          operand(t.x(), ATOM, d);
          sym("ᵀ");
          return null;
        }

        public Void visitSoftmax(Expr.Softmax s) {
          call(spell(function("softmax")), s.x(), s.axis() == s.shape().rank() - 1 ? null : s.axis(), d);
          return null;
        }

        public Void visitLogSoftmax(Expr.LogSoftmax s) {
          call(spell(function("log_softmax")), s.x(), s.axis() == s.shape().rank() - 1 ? null : s.axis(), d);
          return null;
        }

        public Void visitLayer(Expr.Layer l) {
          layerCall(l, d);
          return null;
        }

        public Void visitDerivative(Expr.Derivative dv) { // ∂(E)/∂x; grad(E, x); \partial(E)/\partial x
          boolean ascii = notation == Notation.ASCII;
          if (notation == Notation.MATHML) {
            text("<mi>∂</mi>");
            punct("(");
            emitCompact(dv.of(), d + 1);
            punct(")");
            punct("/");
            text("<mi>∂</mi>");
            emit(dv.wrt(), d + 1);
            return null;
          }
          text(ascii ? "grad(" : notation == Notation.LATEX ? "\\partial(" : "∂(");
          emitCompact(dv.of(), d + 1);
          text(ascii ? ", " : notation == Notation.LATEX ? ")/\\partial " : ")/∂");
          emit(dv.wrt(), d + 1);
          if (ascii) text(")");
          return null;
        }

        public Void visitRecur(Expr.Recur r) { // h: all its steps
          text(spellName(r.rec().spelling()));
          return null;
        }

        public Void visitRecurGrad(Expr.RecurGrad r) { // Σₜ ∂L/∂h[t] · ∂h[t]/∂W (backpropagation through time)
          text(bptt(r));
          return null;
        }

        public Void visitCustom(Expr.Custom c) { // the call as written: ste(x)
          text(spellName(c.function()));
          punct("(");
          for (int k = 0; k < c.args().size(); k++) {
            if (k > 0) punct(", ");
            emitCompact(c.args().get(k), d + 1);
          }
          punct(")");
          return null;
        }
      });
    }

    /** A right operand: needs {@code minLevel}, and never starts with a sign. */
    private void rightOperand(Expr e, int minLevel, int depth) {
      Form f = form(e);
      if (f.level() >= minLevel && !f.startsWithMinus()) emit(e, depth + 1);
      else group(e, depth);
    }

    /** {@code fn(arg)}, {@code fn} already spelled in the printer's notation. */
    /**
     * {@code conv2d(X, K, stride=2, padding=1)}, {@code maxpool(X, 2)}, {@code flatten(X)} as written, and the adjoint
     * ops by their registry names ({@code conv_transpose2d(∂L/∂Y, K)}: the input adjoint of a convolution).
     */
    private void layerCall(Expr.Layer l, int depth) {
      if (l.op() == dev.nnc.ir.LayerOp.LAST_STEP) { // h[T], as the model writes it
        operand(l.args().get(0), ATOM, depth);
        String steps = spellName(l.args().get(0).shape().dim(0).toString());
        text(notation == Notation.MATHML ? mathmlPunct("[") + steps + mathmlPunct("]") : "[" + steps + "]");
        return;
      }
      dev.nnc.prim.LayerPrim p = Prims.of(l.op());
      boolean flatten = l.op() == dev.nnc.ir.LayerOp.RESHAPE && l.shape().rank() == 2;
      String name = !flatten ? spell(p.notation()) : notation == Notation.MATHML ? "<mi>flatten</mi>" : "flatten";
      text(name);
      punct("(");
      for (int i = 0; i < l.args().size(); i++) {
        if (i > 0) punct(", ");
        emitCompact(l.args().get(i), depth + 1);
      }
      boolean conv = l.ints().size() == 2;
      if (conv && l.ints().get(0) != 1) keyword("stride", l.ints().get(0));
      if (conv && l.ints().get(1) != 0) keyword("padding", l.ints().get(1));
      if (l.ints().size() == 1) {
        punct(", ");
        text(integer(l.ints().get(0)));
      }
      punct(")");
    }

    private void call(String fn, Expr arg, Integer axis, int depth) {
      text(fn);
      punct("(");
      emitCompact(arg, depth + 1);
      if (axis != null) {
        text(axisEquals());
        text(integer(axis));
      }
      punct(")");
    }

    /** √x or √(x+y) in Unicode; sqrt(x) in ASCII; \\sqrt{x} in LaTeX (the symbols from the registry entry). */
    private void sqrt(Symbol n, Expr x, boolean application, int depth) {
      switch (notation) {
        case UNICODE -> {
          if (application) {
            text(n.unicode());
            emit(x, depth + 1);
          } else {
            call(n.unicode(), x, null, depth);
          }
        }
        case ASCII -> {
          text(n.ascii() + "(");
          if (application) emit(x, depth + 1);
          else emitCompact(x, depth + 1);
          text(")");
        }
        case LATEX -> {
          text(n.latex() + "{");
          if (application) emit(x, depth + 1);
          else emitCompact(x, depth + 1);
          text("}");
        }
        case MATHML -> {
          openTag("msqrt");
          if (application) emit(x, depth + 1);
          else emitCompact(x, depth + 1);
          closeTag();
        }
      }
    }

    /** Lays out a function by its registry notation ({@link Prims}): the style decides, the entry gives the symbol. */
    private void emitUnary(Expr.Unary u, int depth) {
      UnaryPrim prim = Prims.of(u.op());
      Symbol n = prim.notation();
      switch (n.style()) {
        case PREFIX -> {
          if (skipMinus) skipMinus = false;
          else text(spell(n));
          rightOperand(u.x(), JUXT, depth);
        }
        case ROOT -> sqrt(n, u.x(), form(u).level() == APP, depth);
        case BARS -> {
          text(spell(n));
          emit(u.x(), depth + 1);
          text(spell(n));
        }
        case INDICATOR -> {
          punct("[");
          emit(u.x(), depth + 1);
          text(spell(n));
          punct("]");
        }
        default -> {
          if (prim.param() == null) {
            call(spell(n), u.x(), null, depth);
          } else {
            text(spell(n));
            punct("(");
            emitCompact(u.x(), depth + 1);
            punct(", ");
            text(spellNumber(u.param()));
            punct(")");
          }
        }
      }
    }

    private void emitBinary(Expr.Binary b, int depth) {
      Symbol n = Prims.of(b.op()).notation();
      switch (n.style()) {
        case SUM -> emitSum(b, depth, false);
        case PRODUCT -> {
          if (form(b).level() == JUXT) {
            Form l = form(b.a());
            operand(b.a(), JUXT, depth);
            Form r = form(b.b());
            boolean rightGroup = r.level() < APP;
            boolean tight = rightGroup || (l.kind() == Kind.NUMBER && (r.kind() == Kind.NAME || r.kind() == Kind.POST));
            if (!tight) punct(" ");
            if (rightGroup) group(b.b(), depth);
            else emit(b.b(), depth + 1);
          } else {
            operand(b.a(), PROD, depth);
            boolean hadamard = !scalarLike(b.a()) && !scalarLike(b.b());
            sym(hadamard ? " ⊙ " : " · ");
            // products are associative: A ⊙ (B ⊙ C) reads A ⊙ B ⊙ C
            boolean chain = hadamard && nameOf(b.b(), root, expandRoot) == null && b.b() instanceof Expr.Binary rb
                && rb.op() == BinaryOp.MUL && form(rb).level() == PROD && !form(rb).startsWithMinus();
            if (chain) emit(b.b(), depth + 1);
            else rightOperand(b.b(), JUXT, depth);
          }
        }
        case QUOTIENT -> {
          Form l = form(b.a());
          Form r = form(b.b());
          boolean shortLeft = l.level() >= POST || l.level() < PROD
              || (b.a() instanceof Expr.Unary u && u.op() == UnaryOp.NEG && nameOf(b.a(), root, expandRoot) == null
                  && (form(u.x()).plain() || form(u.x()).level() < JUXT));
          boolean compact = shortLeft && l.kind() != Kind.SYMBOL && r.kind() != Kind.SYMBOL;
          operand(b.a(), PROD, depth);
          punct(compact ? "/" : " / ");
          rightOperand(b.b(), APP, depth);
        }
        case POWER -> {
          Expr exponent = b.b();
          while (exponent instanceof Expr.Broadcast bc) exponent = bc.x();
          if (notation == Notation.MATHML) {
            openTag("msup");
            openTag("mrow");
            operand(b.a(), ATOM, depth);
            closeTag();
            openTag("mrow");
            if (isSmallPower(exponent) || isNegativeConst(exponent)) text(spellNumber(((Expr.Const) exponent).value()));
            else operand(exponent, POW, depth);
            closeTag();
            closeTag();
            return;
          }
          operand(b.a(), ATOM, depth);
          if (isSmallPower(exponent)) {
            sym(((Expr.Const) exponent).value() == 2 ? "²" : "³");
          } else {
            text("^");
            if (isNegativeConst(exponent)) text(spellNumber(((Expr.Const) exponent).value()));
            else operand(exponent, POW, depth);
          }
        }
        case CALL -> {
          text(spell(n));
          punct("(");
          emitCompact(b.a(), depth + 1);
          punct(", ");
          emitCompact(b.b(), depth + 1);
          punct(")");
        }
        case COMPARE -> {
          punct("[");
          emit(b.a(), depth + 1);
          text(notation == Notation.MATHML ? spell(n) : " " + spell(n) + " ");
          emit(b.b(), depth + 1);
          punct("]");
        }
        case PREFIX, ROOT, BARS, INDICATOR -> throw new IllegalStateException(b.op() + " has a one-operand notation");
      }
    }

    private void emitSum(Expr.Binary b, int depth, boolean compact) {
      operand(b.a(), SUM, depth);
      boolean plus = b.op() == BinaryOp.ADD;
      Expr right = b.b();
      Expr moved = negatedOperand(right, root, expandRoot);
      String sep = compact ? "" : " ";
      if (moved != null) {
        sym(sep + (plus ? "−" : "+") + sep);
        rightOperand(moved, PROD, depth);
      } else if (isNegativeConst(right)) {
        sym(sep + (plus ? "−" : "+") + sep);
        text(spellNumber(-((Expr.Const) right).value()));
      } else if (form(right).startsWithMinus() && form(right).level() >= PROD) {
        sym(sep + (plus ? "−" : "+") + sep); // a + (−y/b) reads a − y/b
        skipMinus = true;
        emit(right, depth + 1);
      } else {
        sym(sep + (plus ? "+" : "−") + sep);
        rightOperand(right, PROD, depth);
      }
    }
  }

  /** A number in Unicode notation: {@code π}, {@code −2}, {@code 0.5}, {@code 1e-7}. */
  static String number(double v) {
    if (v == Math.PI) return "π";
    String s = Numbers.format(v);
    return s.startsWith("-") ? "−" + s.substring(1) : s;
  }

  // ---- spelling tokens in a notation ---------------------------------------------------------------------------

  /** An operator token (given in Unicode) in this notation: {@code ·} → {@code *} → {@code \\cdot}. */
  String op(String unicodeToken) {
    if (notation == Notation.UNICODE) return unicodeToken;
    if (notation == Notation.MATHML) return mathmlPunct(unicodeToken);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < unicodeToken.length(); ) {
      int cp = unicodeToken.codePointAt(i);
      i += Character.charCount(cp);
      boolean latex = notation == Notation.LATEX;
      switch (cp) {
        case '·' -> out.append(latex ? "\\cdot" : "*");
        case '⊙' -> out.append(latex ? "\\odot" : "*");
        case '−' -> out.append('-');
        case 'ᵀ' -> out.append(latex ? "^{\\top}" : "^T");
        case '²' -> out.append(latex ? "^{2}" : "^2");
        case '³' -> out.append(latex ? "^{3}" : "^3");
        case '≥' -> out.append(latex ? "\\geq " : ">=");
        case '…' -> out.append(latex ? "\\ldots" : "...");
        default -> out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  /** A primitive's symbol in this notation, from its registry entry: {@code σ} → {@code sigmoid} → {@code \\sigma}. */
  private String spell(Symbol n) {
    return switch (notation) {
      case UNICODE -> n.unicode();
      case ASCII -> n.ascii();
      case LATEX -> n.latex();
      case MATHML -> mathmlTokens(n.unicode());
    };
  }

  /** The notation of a built-in function that is not an elementwise or reduction op (softmax, log_softmax). */
  private static Symbol function(String name) {
    for (FunctionPrim f : Prims.functions()) if (f.name().equals(name)) return f.notation();
    throw new IllegalStateException("no registry entry for " + name);
  }

  private String axisEquals() {
    if (notation == Notation.MATHML) return mathmlPunct(",") + "<mi>axis</mi>" + mathmlPunct("=");
    return notation == Notation.LATEX ? ", \\mathrm{axis}=" : ", axis=";
  }

  /** A small integer (an axis, a stride) in this notation. */
  private String integer(int v) {
    return notation == Notation.MATHML ? "<mn>" + v + "</mn>" : Integer.toString(v);
  }

  /** A model name in this notation: {@code W₁} → {@code W1} → {@code W_{1}}. */
  /**
   * One operand's share of backpropagation through time, with ∂L/∂h[t] the adjoint step t receives (from the loss
   * at t and from step t+1, see {@link Derivations#notes}): a captured value sums over the steps
   * ({@code Σₜ ∂L/∂h[t] · ∂h[t]/∂Wh}), a sequence gets one term per step, the initial state the first step's.
   */
  private String bptt(Expr.RecurGrad r) {
    dev.nnc.ir.Recurrence rec = r.of().rec();
    String h = rec.spelling();
    String t = rec.index();
    String loss = rec.step().names().lossSpelling();
    String wrt = rec.step().names().get(rec.placeholder(r.operand()).name()).spelling();
    boolean capture = r.operand() > rec.slices().size();
    String step = r.operand() == 0 ? "1" : t;
    if (r.operand() == 0) wrt = h + "[0]";
    String sum = !capture ? "" : switch (notation) {
      case ASCII -> "sum_" + t + " ";
      case LATEX -> "\\sum_{" + t + "} ";
      case UNICODE -> "Σ" + subscript(t) + " ";
      case MATHML -> "<munder><mo>Σ</mo><mi>" + xml(t) + "</mi></munder>";
    };
    String state = h + "[" + step + "]";
    return sum + spellLabel(Label.partial(loss, state)) + op(" · ") + spellLabel(Label.partial(state, wrt));
  }

  private static String ascii(String s) {
    return s.replace("−", "-");
  }

  private static String subscript(String t) {
    return t.equals("t") ? "ₜ" : "_" + t;
  }

  private String spellName(String spelling) {
    return switch (notation) {
      case UNICODE -> spelling;
      case ASCII -> asciiName(spelling);
      case LATEX -> latexWord(spelling);
      case MATHML -> mathmlName(spelling);
    };
  }

  /** A number in this notation: {@code −2} → {@code -2}; {@code π} → {@code pi} → {@code \\pi}. */
  private String spellNumber(double v) {
    if (notation == Notation.MATHML) {
      if (v == Math.PI) return "<mi>π</mi>";
      String s = number(v);
      return s.startsWith("−") ? "<mo>−</mo><mn>" + s.substring(1) + "</mn>" : "<mn>" + s + "</mn>";
    }
    if (v == Math.PI) return notation == Notation.UNICODE ? "π" : notation == Notation.ASCII ? "pi" : "\\pi ";
    String s = number(v);
    return notation == Notation.UNICODE ? s : s.replace('−', '-');
  }

  private String spellLabel(Label label) {
    if (label instanceof Label.Name n) return spellName(n.spelling());
    if (label instanceof Label.Value v) {
      String s = spellNumber(v.value());
      boolean negative = v.value() < 0 || (v.value() == 0 && 1 / v.value() < 0);
      if (notation == Notation.MATHML) return negative ? mathmlPunct("(") + s + mathmlPunct(")") : s;
      return negative ? "(" + s + ")" : s;
    }
    Label.Partial p = (Label.Partial) label;
    return switch (notation) {
      case MATHML -> "<mfrac><mrow><mi>∂</mi>" + mathmlName(p.of()) + "</mrow><mrow><mi>∂</mi>" + mathmlName(p.wrt())
          + "</mrow></mfrac>";
      case UNICODE -> "∂" + p.of() + "/∂" + p.wrt();
      case ASCII -> "d" + asciiName(p.of()) + "/d" + asciiName(p.wrt());
      case LATEX -> "\\frac{\\partial " + latexWord(p.of()) + "}{\\partial " + latexWord(p.wrt()) + "}";
    };
  }

  /** Punctuation or an operator as a MathML {@code <mo>}; blank (the space of {@code b c}) as a thin space. */
  private static String mathmlPunct(String token) {
    String t = token.strip();
    return t.isEmpty() ? "<mspace width=\"0.2em\"/>" : "<mo>" + xml(t) + "</mo>";
  }

  /**
   * A registry symbol (its Unicode spelling) as MathML tokens: a word is one {@code <mi>} ({@code σ},
   * {@code log_softmax}); otherwise digits are {@code <mn>}, letters {@code <mi>}, anything else {@code <mo>}
   * ({@code  > 0} → {@code <mo>&gt;</mo><mn>0</mn>}, {@code −} → {@code <mo>−</mo>}).
   */
  private static String mathmlTokens(String unicode) {
    if (isIdentifier(unicode)) return "<mi>" + xml(unicode) + "</mi>";
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < unicode.length(); ) {
      int cp = unicode.codePointAt(i);
      int j = i + Character.charCount(cp);
      if (Character.isWhitespace(cp)) {
        i = j;
        continue;
      }
      boolean digit = Character.isDigit(cp);
      boolean letter = Character.isLetter(cp) || cp == '_';
      if (digit || letter) {
        while (j < unicode.length()) {
          int next = unicode.codePointAt(j);
          if (digit ? !Character.isDigit(next) && next != '.' : !Character.isLetterOrDigit(next) && next != '_') break;
          j += Character.charCount(next);
        }
      }
      String token = xml(unicode.substring(i, j));
      out.append(digit ? "<mn>" + token + "</mn>" : letter ? "<mi>" + token + "</mi>" : "<mo>" + token + "</mo>");
      i = j;
    }
    return out.toString();
  }

  /** A name in MathML: {@code <mi>x</mi>}, {@code <msub><mi>W</mi><mn>1</mn></msub>} (as LaTeX's {@code W_{1}}). */
  private static String mathmlName(String spelling) {
    String w = asciiName(spelling);
    int digits = w.length();
    while (digits > 0 && Character.isDigit(w.charAt(digits - 1))) digits--;
    String stem = w.substring(0, digits);
    String index = w.substring(digits);
    if (stem.isEmpty() || index.isEmpty()) return "<mi>" + xml(w) + "</mi>";
    return "<msub><mi>" + xml(stem) + "</mi><mn>" + index + "</mn></msub>";
  }

  /** XML character data. */
  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Subscript digits as digits: {@code W₁} → {@code W1}. */
  private static String asciiName(String spelling) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < spelling.length(); ) {
      int cp = spelling.codePointAt(i);
      i += Character.charCount(cp);
      if (cp >= '₀' && cp <= '₉') out.append((char) ('0' + (cp - '₀')));
      else out.appendCodePoint(cp);
    }
    return out.toString();
  }

  /** A name in LaTeX: {@code x}, {@code W_{1}}, {@code \mathit{apple\_num}}. */
  private static String latexWord(String word) {
    StringBuilder ascii = new StringBuilder();
    for (int i = 0; i < word.length(); ) {
      int cp = word.codePointAt(i);
      i += Character.charCount(cp);
      if (cp >= '₀' && cp <= '₉') ascii.append((char) ('0' + (cp - '₀')));
      else ascii.appendCodePoint(cp);
    }
    String w = ascii.toString();
    int digits = w.length();
    while (digits > 0 && Character.isDigit(w.charAt(digits - 1))) digits--;
    String stem = w.substring(0, digits);
    String index = w.substring(digits);
    if (stem.isEmpty()) return w;
    String base = stem.codePointCount(0, stem.length()) == 1 ? stem : "\\mathit{" + stem.replace("_", "\\_") + "}";
    return index.isEmpty() ? base : base + "_{" + index + "}";
  }
}
