package dev.nnc.codegen;

import dev.nnc.diff.Adjoint;
import dev.nnc.diff.Rewrite;
import dev.nnc.diff.Tangents;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Shape;
import dev.nnc.prim.JavaEmission;
import dev.nnc.prim.LayerPrim;
import dev.nnc.prim.Prims;
import dev.nnc.prim.ReduceEmission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes the statements of {@code forward} and {@code backward} from a {@link Plan}: one statement (a line, or a
 * loop nest) per materialised node, elementwise chains fused into the loop of the node they feed, products through
 * {@link MatmulKernels}, and a comment naming the {@code .nn} statement or chain-rule step each one implements.
 */
final class Bodies {
  /**
   * A statement: its lines (relative indentation, two spaces per level), comments included, and the model name it
   * belongs to — in forward the value ({@code .nn} statement) it computes part of, in backward the value or param
   * whose adjoint it computes part of (a model id of the {@link dev.nnc.ir.NameTable}); null for neither.
   */
  record Stmt(List<String> lines, String owner) {
    Stmt(List<String> lines) {
      this(lines, null);
    }
  }

  /** A scratch buffer the constructor must allocate besides the slots (log-sum-exp partial sums). */
  record Scratch(String name, Shape shape) {}

  private static final int P_ADD = 1;
  private static final int P_MUL = 2;
  private static final int P_UNARY = 3;
  private static final int P_PRIMARY = 4;

  /** A Java expression, its precedence, and whether its type is double even in a float class (see {@link Precision}). */
  private record J(String s, int prec, boolean isDouble) {
    J(String s, int prec) {
      this(s, prec, false);
    }
  }

  /** Index of an element: one flat index valid for every array of the loop's shape, or one index per axis. */
  private record Idx(String flat, List<String> axes) {
    static Idx flat(String i) {
      return new Idx(i, null);
    }

    static Idx axes(List<String> axes) {
      return new Idx(null, List.copyOf(axes));
    }
  }

  private final Plan p;
  private final List<Expr> nodes;
  final Set<MatmulKernels.Kernel> kernels = EnumSet.noneOf(MatmulKernels.Kernel.class);
  /** The helper methods the statements call, by name (sorted, so the class is deterministic). */
  final Map<String, JavaEmission.Helper> helpers = new TreeMap<>();
  /** The layer methods (conv2d, pooling, reshape and their adjoints) the statements call, by name (sorted). */
  final Map<String, LayerPrim.Emission> layerMethods = new TreeMap<>();
  final List<Scratch> scratch = new ArrayList<>();
  /** The matrix-product kernels' row scratch ({@link MatmulKernels}): its field name, null until a product needs it. */
  String kernelRows;
  /** The matrix-product kernels' accumulator rows ({@link MatmulKernels}), named with {@link #kernelRows}. */
  String kernelAccumulators;
  /** The fields and the nested class of the tasks that run parts of a large product (see {@link MatmulKernels}). */
  String kernelTask;
  String kernelTaskType;
  /** {m, k, n} of every matrix-product call site, for sizing {@link #kernelRows}. */
  final List<String[]> kernelSites = new ArrayList<>();

  /**
   * An input batch (rows × cols, Java expressions) whose nonzeros {@code forward} keeps for {@code backward} in the
   * fields {@code form} and {@code index} ({@link MatmulKernels#gatheredSupport}).
   */
  record GatheredInput(String input, String form, String index, String rows, String cols) {}

  /**
   * By the input's node id: the array inputs (kept by reference) that forward multiplies from the left, x·W, and
   * backward transposed, xᵀ·(…) — the first layer's X·W1 and Xᵀ·∂L/∂A1. Forward's products of x keep its nonzeros
   * (when it is mostly zeros) and backward's read them instead of reading x again down its columns.
   */
  final Map<Integer, GatheredInput> gatheredInputs = new TreeMap<>();
  private final List<String> loopVars = new ArrayList<>();
  private final String sumVar;
  private final String maxVar;
  private final String lossSpelling;
  private final int[] forwardOwner;
  private final int[] backwardOwner;
  /** The method whose statements are being written: which buffer a node lives in can depend on it (jvp). */
  private Plan.Pass pass = Plan.Pass.FORWARD;
  /** The adjoints as backpropagation meets them ({@link dev.nnc.diff.DiffModel#inBackwardOrder}). */
  private final List<Adjoint> backwardOrder;
  /** The repeated shapes of a long class's scalar statements ({@link Outlines}), or null: written out as before. */
  Outlines outlines;
  /**
   * While a right side is rendered as its shape for {@link #outlines}: its leaves (fields and locals read), each
   * written as {@code p} + its position; null otherwise.
   */
  private List<String> leaves;
  /** Operations of the shape being rendered; -1 once it has something a static method cannot hold. */
  private int leafOperations;

  /** @param comments backward's chain-rule comments over the same plan (started or not) */
  Bodies(Plan plan, ChainRuleComments comments) {
    this.p = plan;
    this.comments = comments;
    this.nodes = plan.model.graph().nodes();
    for (String v : List.of("i", "j", "k", "l")) loopVars.add(p.names.fresh(v));
    sumVar = p.names.fresh("sum");
    maxVar = p.names.fresh("max");
    ModelIR.Value loss = p.model.lossValue();
    lossSpelling = loss == null ? p.model.loss() : loss.spelling();
    backwardOrder = plan.dm.inBackwardOrder();
    forwardOwner = owners(Plan.Pass.FORWARD);
    backwardOwner = owners(Plan.Pass.BACKWARD);
    recurrences = new RecurrenceCode(plan, this);
    findGatheredInputs();
  }

  private void findGatheredInputs() {
    if (!p.inputsByReference) return;
    java.util.Set<Integer> left = new java.util.HashSet<>(), leftTransposed = new java.util.HashSet<>();
    for (Expr e : nodes) {
      if (!(e instanceof Expr.MatMul m) || m.a().shape().rank() != 2 || m.b().shape().rank() != 2) continue;
      if (m.a() instanceof Expr.Var v && v.role() == dev.nnc.ir.Role.INPUT && p.in(Plan.Pass.FORWARD, m.id())) {
        left.add(v.id());
      }
      if (m.a() instanceof Expr.Transpose t && t.x() instanceof Expr.Var v && v.role() == dev.nnc.ir.Role.INPUT
          && p.in(Plan.Pass.BACKWARD, m.id())) {
        leftTransposed.add(v.id());
      }
    }
    for (int id : left) {
      if (!leftTransposed.contains(id) || !p.slot[id]) continue;
      Expr x = nodes.get(id);
      String field = p.slotName(Plan.Pass.FORWARD, id);
      String form = p.names.fresh("gathered" + Character.toUpperCase(field.charAt(0)) + field.substring(1));
      gatheredInputs.put(id, new GatheredInput(field, form, p.names.fresh(form + "Index"), p.dim(x.shape().dim(0)),
          p.dim(x.shape().dim(1))));
    }
  }

  /** The buffer of node {@code id} in the method being written. */
  private String slotName(int id) {
    return p.slotName(pass, id);
  }

  /** The recurrences' step classes and loops. */
  final RecurrenceCode recurrences;

  /** The name of the generator's running-sum local. */
  String sumVar() {
    return sumVar;
  }

  String loopVar(int axis) {
    while (loopVars.size() <= axis) loopVars.add(p.names.fresh("i" + loopVars.size()));
    return loopVars.get(axis);
  }

  // ---- ownership: which .nn statement (forward) or adjoint (backward) a computed node belongs to ---------

  private int[] owners(Plan.Pass of) {
    int[] owner = new int[p.size];
    java.util.Arrays.fill(owner, -1);
    List<Expr> roots = new ArrayList<>();
    if (of == Plan.Pass.FORWARD) {
      for (ModelIR.Value v : p.model.values()) roots.add(v.node());
    } else if (of == Plan.Pass.BACKWARD) {
      for (Adjoint a : backwardOrder) roots.add(a.kind() == Adjoint.Kind.LOSS ? null : a.value());
    } else {
      for (Tangents.Root r : p.tangents.roots()) roots.add(r.tangent());
    }
    ArrayDeque<Expr> stack = new ArrayDeque<>(); // what a root reaches does not depend on the order of the visit
    for (int r = 0; r < roots.size(); r++) {
      Expr root = roots.get(r);
      if (root == null) continue;
      stack.push(root);
      while (!stack.isEmpty()) {
        Expr e = stack.pop();
        int id = e.id();
        if (owner[id] >= 0 || !p.in(of, id)) continue;
        owner[id] = r;
        for (int k = 0; k < e.arity(); k++) stack.push(e.input(k)); // no list per node, as inputs() makes
      }
    }
    return owner;
  }

  // ---- forward ---------------------------------------------------------------------------------------

  List<Stmt> forward() {
    pass = Plan.Pass.FORWARD;
    List<Stmt> out = new ArrayList<>();
    boolean[] commented = new boolean[p.model.values().size()];
    for (Expr e : p.statements(true)) {
      List<String> lines = new ArrayList<>();
      int o = forwardOwner[e.id()];
      if (o >= 0 && !commented[o]) {
        commented[o] = true;
        ModelIR.Value v = p.model.values().get(o);
        lines.add("// " + valueComment(v));
        for (Rewrite r : p.dm.rewritesOf(v.name())) {
          lines.add("// " + JavaText.lineComment("computed in a stable form: " + r.description()));
        }
      }
      compute(e, lines);
      out.add(new Stmt(lines, o >= 0 ? p.model.values().get(o).name() : null));
    }
    for (ModelIR.Value v : p.aliasValues()) {
      List<String> lines = new ArrayList<>();
      lines.add("// " + valueComment(v));
      copy(p.javaName(v.name()), v.node(), lines);
      out.add(new Stmt(lines, v.name()));
    }
    return out;
  }

  String valueComment(ModelIR.Value v) {
    String shape = v.node().shape().isScalar() ? "" : v.node().shape().toString();
    return JavaText.lineComment(v.spelling() + shape + " = " + v.sourceText() + "   (" + where(v.span()) + ")");
  }

  String where(dev.nnc.diag.Span span) {
    return ChainRuleComments.where(p.file, span);
  }

  // ---- backward --------------------------------------------------------------------------------------

  /**
   * The reverse pass, adjoint by adjoint in backward order: each adjoint's statements (its temporaries, then the one
   * that computes it) follow its chain-rule comment, and no other adjoint's statement comes between. That order
   * respects the dependencies: a node belongs to the first adjoint (in backward order) whose expression reaches it,
   * so what an adjoint's statements read belongs to it or to an adjoint before it. (In id order, which is only
   * topological, a statement could land under a later adjoint's comment: issue 11.)
   */
  /** The statements of backward, each in the group of the first adjoint (in backward order) that reaches it. */
  private List<List<Expr>> backwardGroups() {
    List<List<Expr>> groups = new ArrayList<>();
    for (int i = 0; i < backwardOrder.size(); i++) groups.add(new ArrayList<>());
    for (Expr e : p.statements(Plan.Pass.BACKWARD)) {
      int o = backwardOwner[e.id()];
      if (o >= 0) groups.get(o).add(e);
    }
    return groups;
  }

  /** The nodes backward computes, in the order it writes them (what {@link BufferReuse} plans lifetimes over). */
  List<Expr> backwardOrder() {
    List<Expr> statements = p.statements(Plan.Pass.BACKWARD);
    for (Expr e : statements) {
      if (backwardOwner[e.id()] < 0) return statements; // not reached from any adjoint (not expected): id order
    }
    List<Expr> order = new ArrayList<>();
    for (List<Expr> g : backwardGroups()) order.addAll(g);
    return order;
  }

  /** Backward's chain-rule comments, started by whoever made the plan (as soon as it knew the adjoints' homes). */
  private final ChainRuleComments comments;

  List<Stmt> backward() {
    pass = Plan.Pass.BACKWARD;
    comments.start(); // on a long model, started long before (see ChainRuleComments)
    List<Adjoint> adjoints = backwardOrder;
    // Which comments (by adjoint, in backward order) each group gets: a computed adjoint's own, after those of the
    // adjoints before it that have no statement of their own. Known from the adjoints alone, before any text.
    List<List<Integer>> groupComments = new ArrayList<>();
    List<Integer> pending = new ArrayList<>();
    for (int k = 0; k < adjoints.size(); k++) {
      Adjoint a = adjoints.get(k);
      List<Integer> mine = new ArrayList<>();
      groupComments.add(mine);
      if (a.kind() == Adjoint.Kind.LOSS || a.value() == null) continue;
      int id = a.value().id();
      if (p.homeAdjoint[id] == a) {
        mine.addAll(pending);
        pending.clear();
        mine.add(k);
      } else if (a.kind() == Adjoint.Kind.VALUE) {
        pending.add(k);
      }
    }

    List<List<Expr>> groups = backwardGroups();
    List<Expr> order = backwardOrder();
    // each adjoint's comment sits on the first statement of its group, or on its own statement if an earlier
    // adjoint's expression already reached (and so computes) its node
    Map<Integer, List<Integer>> commentsAt = new HashMap<>();
    for (int o = 0; o < adjoints.size(); o++) {
      List<Integer> comments = groupComments.get(o);
      if (comments.isEmpty()) continue;
      int home = adjoints.get(o).value().id();
      Expr at = backwardOwner[home] == o && !groups.get(o).isEmpty() ? groups.get(o).get(0) : nodes.get(home);
      commentsAt.merge(at.id(), comments, (x, y) -> {
        List<Integer> both = new ArrayList<>(x);
        both.addAll(y);
        return both;
      });
    }
    // The statements, each after a place for each of its comments, filled in by finishBackward (the lines' positions,
    // which Outlines keeps, do not move)
    List<Stmt> out = new ArrayList<>();
    backwardCommentPlaces = new ArrayList<>();
    for (Expr e : order) {
      List<Integer> comments = commentsAt.getOrDefault(e.id(), List.of());
      List<String> lines = new ArrayList<>();
      for (int c : comments) place(lines, c);
      compute(e, lines);
      int o = backwardOwner[e.id()];
      out.add(new Stmt(lines, o >= 0 ? adjoints.get(o).name() : null));
    }
    List<String> trailing = new ArrayList<>();
    for (int k : pending) place(trailing, k);
    for (ModelIR.Leaf param : p.copiedGradients()) {
      List<String> lines = trailing.isEmpty() ? new ArrayList<>() : trailing;
      trailing = new ArrayList<>();
      Adjoint a = p.dm.adjoint(param.name());
      Expr g = p.gradient(param);
      if (a != null) lines.add("// " + adjointComment(a, ""));
      String target = p.gradName(param.name());
      if (g == null) {
        lines.add("// " + JavaText.lineComment(adjointSymbol(param.name())) + " = 0: no reverse pass given");
        String i = loopVar(0);
        String zero = p.precision.constant("0.0");
        lines.add(param.var().shape().isScalar() ? target + " = " + zero + ";"
            : "for (int " + i + " = 0; " + i + " < " + target + ".length; " + i + "++) " + target + "[" + i + "] = "
                + zero + ";");
      } else {
        copy(target, g, lines);
      }
      out.add(new Stmt(lines, param.name()));
    }
    if (!trailing.isEmpty()) out.add(new Stmt(trailing));
    pass = Plan.Pass.FORWARD;
    return out;
  }

  /** A backward line that will hold the chain-rule comment of adjoint {@code k} (in backward order). */
  private record CommentPlace(List<String> lines, int index, int adjoint) {}

  /** The places {@link #backward} left for comments, until {@link #finishBackward} fills them. */
  private List<CommentPlace> backwardCommentPlaces;

  private void place(List<String> lines, int adjoint) {
    backwardCommentPlaces.add(new CommentPlace(lines, lines.size(), adjoint));
    lines.add(null);
  }

  /**
   * Puts backward's chain-rule comments in their places, waiting for (and helping with) the ones still rendering: the
   * caller writes jvp and outlines the statements meanwhile. Needed before backward's lines are read as text.
   */
  void finishBackward() {
    if (backwardCommentPlaces == null) return;
    List<String> rendered = comments.join();
    for (CommentPlace c : backwardCommentPlaces) c.lines().set(c.index(), rendered.get(c.adjoint()));
    backwardCommentPlaces = null;
  }

  // ---- jvp (forward mode) ------------------------------------------------------------------------------

  /**
   * The statements of {@code jvp}: the nodes of the outputs' and the loss's tangents that forward did not compute, in
   * id order, each output's group headed by a comment; then the tangents that live elsewhere, copied (or zeroed).
   */
  List<Stmt> jvp() {
    pass = Plan.Pass.JVP;
    List<Tangents.Root> roots = p.tangents.roots();
    int[] owner = owners(Plan.Pass.JVP);
    boolean[] commented = new boolean[roots.size()];
    List<Stmt> out = new ArrayList<>();
    for (Expr e : p.statements(Plan.Pass.JVP)) {
      List<String> lines = new ArrayList<>();
      int o = owner[e.id()];
      if (o >= 0 && !commented[o]) {
        commented[o] = true;
        lines.add("// " + tangentComment(roots.get(o).value()));
      }
      compute(e, lines);
      out.add(new Stmt(lines));
    }
    for (Tangents.Root r : p.copiedTangents()) {
      List<String> lines = new ArrayList<>();
      String target = p.tangentName(r.value().name());
      if (r.tangent() == null) {
        lines.add("// " + JavaText.lineComment("the change of " + r.value().spelling() + " = 0: it depends on no "
            + "input or param"));
        String i = loopVar(0);
        String zero = p.precision.constant("0.0");
        lines.add(r.value().node().shape().isScalar() ? target + " = " + zero + ";"
            : "for (int " + i + " = 0; " + i + " < " + extent(target, r.value().node().shape()) + "; " + i + "++) "
                + target + "[" + i + "] = " + zero + ";");
      } else {
        if (!commented[roots.indexOf(r)]) lines.add("// " + tangentComment(r.value()));
        copy(target, r.tangent(), lines);
      }
      out.add(new Stmt(lines));
    }
    pass = Plan.Pass.FORWARD;
    return out;
  }

  private String tangentComment(ModelIR.Value v) {
    return JavaText.lineComment("the change of " + v.spelling() + " along the direction (forward mode of "
        + v.spelling() + " = " + v.sourceText() + ", " + where(v.span()) + ")");
  }

  /** The chain-rule comment of adjoint {@code a} ({@link ChainRuleComments#adjointComment}). */
  String adjointComment(Adjoint a, String note) {
    return comments.adjointComment(a, note);
  }

  /** ∂L/∂x of param or value {@code name}, as comments and Javadoc print it. */
  String adjointSymbol(String name) {
    return comments.adjointSymbol(name);
  }

  // ---- statements ------------------------------------------------------------------------------------

  private void compute(Expr e, List<String> out) {
    String t = slotName(e.id());
    if (e instanceof Expr.MatMul m && !m.shape().isScalar()) {
      out.add(product(m, t) + ";");
    } else if (e instanceof Expr.Reduce r) {
      reduce(r, t, out);
    } else if (e instanceof Expr.Layer l && RecurrenceCode.scalarSteps(l)) {
      recurrences.scalarSteps(l, out);
    } else if (e instanceof Expr.Layer l) {
      out.add(layer(l, t) + ";");
    } else if (e instanceof Expr.Recur r) {
      recurrences.forward(r, out);
    } else if (e instanceof Expr.RecurGrad g) {
      recurrences.backward(g, out);
    } else if (e instanceof Expr.Softmax s) {
      softmax(s.x(), s.axis(), t, false, out);
    } else if (e instanceof Expr.LogSoftmax s) {
      softmax(s.x(), s.axis(), t, true, out);
    } else if (e instanceof Expr.Binary b && p.fusedProduct[e.id()] != null) {
      Expr.MatMul m = p.fusedProduct[e.id()];
      Expr other = b.a() == m ? b.b() : b.a();
      out.add(product(m, t) + ";");
      elementwise(t, e.shape(), other, true, false, out);
    } else {
      elementwise(t, e.shape(), e, false, true, out);
    }
  }

  private void copy(String target, Expr source, List<String> out) {
    elementwise(target, source.shape(), source, false, false, out);
  }

  /**
   * {@code target = value} (or {@code +=}) over the shape, as one fused loop. With {@code definition}, {@code value}
   * is rendered by its own definition rather than read from its slot (it is the node being computed).
   */
  private void elementwise(String target, Shape shape, Expr value, boolean accumulate, boolean definition,
      List<String> out) {
    String op = accumulate ? " += " : " = ";
    if (shape.isScalar()) {
      int id = value.id();
      boolean declare = definition && p.local[id];
      String prefix = (declare ? p.precision.java() + " " : "") + target + op;
      if (outlines != null && offerShape(value, definition, prefix, accumulate, out)) return;
      J v = definition ? def(value, Idx.axes(List.of())) : render(value, Idx.axes(List.of()));
      out.add(prefix + stored(v, accumulate) + ";");
      return;
    }
    if (flatOk(value, definition)) {
      String i = loopVar(0);
      J v = definition ? def(value, Idx.flat(i)) : render(value, Idx.flat(i));
      out.add("for (int " + i + " = 0; " + i + " < " + extent(target, shape) + "; " + i + "++) " + target + "[" + i + "]" + op
          + stored(v, accumulate) + ";");
      return;
    }
    List<String> vars = new ArrayList<>();
    for (int a = 0; a < shape.rank(); a++) vars.add(loopVar(a));
    Idx idx = Idx.axes(vars);
    J v = definition ? def(value, idx) : render(value, idx);
    loops(vars, shape, List.of(target + "[" + index(vars, shape) + "]" + op + stored(v, accumulate) + ";"), out);
  }

  /**
   * The right side of a store into a field, array element or local of the element type: a double expression is
   * rounded to float in a float class, except after a compound operator ({@code +=} narrows by itself, once).
   */
  private String stored(J v, boolean compound) {
    return compound ? v.s : p.precision.narrow(v.s, v.isDouble);
  }

  /** Nested loops over {@code shape}, the body inside the innermost one. */
  private void loops(List<String> vars, Shape shape, List<String> body, List<String> out) {
    int rank = vars.size();
    String pad = "";
    for (int a = 0; a < rank; a++) {
      String head = pad + "for (int " + vars.get(a) + " = 0; " + vars.get(a) + " < " + p.dim(shape.dim(a)) + "; "
          + vars.get(a) + "++)";
      if (a == rank - 1 && body.size() == 1) {
        out.add(head + " " + body.get(0).strip());
        for (int c = rank - 2; c >= 0; c--) out.add("  ".repeat(c) + "}");
        return;
      }
      out.add(head + " {");
      pad += "  ";
    }
    for (String b : body) out.add(pad + b);
    for (int c = rank - 1; c >= 0; c--) out.add("  ".repeat(c) + "}");
  }

  /** Row-major flat index of per-axis indices into an array of {@code shape} ("0" entries drop out). */
  private String index(List<String> axes, Shape shape) {
    String acc = null;
    for (int a = 0; a < axes.size(); a++) {
      String ia = axes.get(a);
      if (acc == null || acc.equals("0")) {
        acc = ia; // 0 · extent + ia
        continue;
      }
      String scaled = (acc.contains("+") ? "(" + acc + ")" : acc) + " * " + p.dim(shape.dim(a));
      acc = ia.equals("0") ? scaled : scaled + " + " + ia;
    }
    return acc == null ? "0" : acc;
  }

  /** True when every array the inlined expression reads has the loop's shape, so one flat index serves all. */
  private boolean flatOk(Expr root, boolean definition) {
    ArrayDeque<Expr> stack = new ArrayDeque<>();
    if (definition || !p.slot[root.id()]) stack.push(root);
    boolean first = definition;
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (!first && p.slot[e.id()]) continue;
      first = false;
      if (e instanceof Expr.Broadcast b && !b.x().shape().isScalar()) return false;
      if (e instanceof Expr.Transpose) return false;
      if (e instanceof Expr.Broadcast) continue; // a scalar: no index
      for (Expr in : e.inputs()) stack.push(in);
    }
    return true;
  }

  /**
   * Writes the statement {@code prefix} + right side from its shape (the right side with its leaves as parameters
   * {@code p0}, {@code p1}, …, each put back by name: the same text as rendering it directly, rendered once) and
   * offers it to {@link #outlines}; false, writing nothing, where the shape cannot be a method (it reads an array
   * element, a free dim or a product) or a leaf's name is not a plain identifier.
   */
  private boolean offerShape(Expr value, boolean definition, String prefix, boolean accumulate, List<String> out) {
    leaves = new ArrayList<>();
    leafOperations = 0;
    J shape = definition ? def(value, Idx.axes(List.of())) : render(value, Idx.axes(List.of()));
    List<String> args = leaves;
    leaves = null;
    if (leafOperations < 0) return false;
    for (String a : args) if (!isPlainName(a)) return false; // as p0 it passed isSimple, as itself it must too
    J v = new J(withArguments(shape.s, args), shape.prec, shape.isDouble);
    out.add(prefix + stored(v, accumulate) + ";");
    outlines.offer(out, out.size() - 1, prefix, shape.s, args, leafOperations, shape.isDouble, accumulate);
    return true;
  }

  /**
   * A shape's text with each parameter {@code p}k replaced by {@code args[k]}. A parameter is a whole token: a
   * {@code p} not after a name's character or a dot, then digits, then neither a name's character nor a call's
   * parenthesis (nothing else a right side holds — literals, operators, {@code Math.} and helper calls — looks so).
   */
  static String withArguments(String shape, List<String> args) {
    StringBuilder out = new StringBuilder(shape.length() + 8 * args.size());
    int n = shape.length();
    int copied = 0;
    for (int k = shape.indexOf('p'); k >= 0; k = shape.indexOf('p', k + 1)) {
      if (k > 0 && isNamePart(shape.charAt(k - 1))) continue;
      int end = k + 1;
      while (end < n && Character.isDigit(shape.charAt(end))) end++;
      if (end == k + 1 || end < n && (isNamePart(shape.charAt(end)) || shape.charAt(end) == '(')) continue;
      out.append(shape, copied, k).append(args.get(Integer.parseInt(shape, k + 1, end, 10)));
      copied = end;
      k = end - 1;
    }
    return out.append(shape, copied, n).toString();
  }

  /** A plain Java name (as {@code [A-Za-z_][A-Za-z0-9_]*}): what a leaf written as its parameter stands for. */
  private static boolean isPlainName(String s) {
    if (s.isEmpty()) return false;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (!isAsciiLetter(c) && (k == 0 || !isAsciiDigit(c))) return false;
    }
    return true;
  }

  private static boolean isNamePart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.';
  }

  // ---- expressions -----------------------------------------------------------------------------------

  private J render(Expr e, Idx idx) {
    if (p.slot[e.id()]) return access(e, idx);
    return def(e, idx);
  }

  private J access(Expr e, Idx idx) {
    String name = slotName(e.id());
    if (leaves != null) { // rendering a shape: a scalar leaf is a parameter; an array element is not outlined
      if (!e.shape().isScalar()) leafOperations = -1;
      int k = leaves.indexOf(name);
      if (k < 0) {
        k = leaves.size();
        leaves.add(name);
      }
      return new J("p" + k, P_PRIMARY);
    }
    if (e.shape().isScalar()) return new J(name, P_PRIMARY);
    String i = idx.flat != null ? idx.flat : index(idx.axes, e.shape());
    return new J(name + "[" + i + "]", P_PRIMARY);
  }

  private J def(Expr e, Idx idx) {
    if (e instanceof Expr.Const c) return literal(c.value());
    if (leaves != null) { // rendering a shape: count its operations; a free dim or a product reads the object
      if (e instanceof Expr.Unary || e instanceof Expr.Binary) {
        if (leafOperations >= 0) leafOperations++;
      } else if (e instanceof Expr.DimSize d && d.dim().isFree() || e instanceof Expr.MatMul) {
        leafOperations = -1;
      }
    }
    if (e instanceof Expr.DimSize d) {
      return d.dim().isFree() ? new J("(" + p.precision.java() + ") " + p.dim(d.dim()), P_PRIMARY)
          : literal(d.dim().size());
    }
    if (e instanceof Expr.Unary u) return unary(u, render(u.x(), idx));
    if (e instanceof Expr.Binary b) return binary(b, render(b.a(), idx), render(b.b(), idx));
    if (e instanceof Expr.Broadcast b) return render(b.x(), broadcastIdx(b, idx));
    if (e instanceof Expr.Custom c) return render(c.value(), idx); // its value is the body; the rules are backward's
    if (e instanceof Expr.Transpose t) return render(t.x(), Idx.axes(reversed(idx.axes)));
    if (e instanceof Expr.MatMul m) {
      kernels.add(MatmulKernels.Kernel.DOT);
      return new J(MatmulKernels.name(MatmulKernels.Kernel.DOT) + "(" + array(m.a()) + ", " + array(m.b()) + ", "
          + p.dim(m.a().shape().dim(0)) + ")", P_PRIMARY);
    }
    throw new IllegalStateException("not inlinable: " + e);
  }

  private static List<String> reversed(List<String> axes) {
    List<String> r = new ArrayList<>(axes);
    java.util.Collections.reverse(r);
    return r;
  }

  private Idx broadcastIdx(Expr.Broadcast b, Idx idx) {
    Shape xs = b.x().shape();
    if (xs.isScalar()) return Idx.axes(List.of());
    if (idx.flat != null) throw new IllegalStateException("broadcast inside a flat loop");
    List<String> mapped = new ArrayList<>();
    for (int i = 0; i < xs.rank(); i++) {
      int to = b.axisMap().get(i);
      boolean repeated = xs.dim(i).isOne() && !b.shape().dim(to).isOne();
      mapped.add(repeated ? "0" : idx.axes.get(to));
    }
    return Idx.axes(mapped);
  }

  private J literal(double v) {
    Precision.Literal l = p.precision.literal(v);
    return new J(l.text(), l.text().startsWith("-") ? P_UNARY : P_PRIMARY, l.isDouble());
  }

  private static String wrap(J j, int min) {
    return j.prec >= min ? j.s : "(" + j.s + ")";
  }

  /** Right operands: also parenthesise a leading minus ({@code a - (-b)}), for the reader. */
  private static String wrapRight(J j, int min) {
    return wrap(j, j.prec == P_UNARY ? P_PRIMARY : min);
  }

  private J call(String f, boolean isDouble, String... args) {
    return new J(f + "(" + String.join(", ", args) + ")", P_PRIMARY, isDouble);
  }

  /** The library functions Java also has for float arguments (returning float). */
  private static final Set<String> FLOAT_OVERLOADS = Set.of("Math.abs", "Math.max", "Math.min", "Math.signum");

  /**
   * {@code −x}, {@code a op b} or a call, as the primitive's registry entry says its Java is written; {@code param}
   * is a function's numeric argument (a Java literal) or null.
   */
  private J emit(JavaEmission java, List<J> operands, String param) {
    boolean anyDouble = false;
    for (J o : operands) anyDouble |= o.isDouble;
    if (java instanceof JavaEmission.Prefix pre) {
      return new J(pre.operator() + wrap(operands.get(0), P_PRIMARY), P_UNARY, anyDouble);
    }
    if (java instanceof JavaEmission.Infix in) {
      int level = in.level() == 1 ? P_ADD : P_MUL;
      return new J(wrap(operands.get(0), level) + " " + in.operator() + " " + wrapRight(operands.get(1), level + 1),
          level, anyDouble);
    }
    List<String> args = new ArrayList<>();
    for (J o : operands) args.add(o.s);
    if (param != null) args.add(param);
    if (java instanceof JavaEmission.Call c) {
      boolean inFloat = FLOAT_OVERLOADS.contains(c.function()) && !anyDouble && param == null;
      return call(c.function(), !inFloat, args.toArray(new String[0]));
    }
    JavaEmission.Helper h = (JavaEmission.Helper) java;
    helpers.put(h.name(), h);
    return call(h.name(), true, args.toArray(new String[0])); // helpers take and return double
  }

  private J unary(Expr.Unary u, J x) {
    boolean hasParam = Prims.of(u.op()).param() != null;
    return emit(Prims.of(u.op()).java(), List.of(x), hasParam ? JavaText.literal(u.param()) : null);
  }

  private J binary(Expr.Binary b, J a, J c) {
    if (b.op() == dev.nnc.ir.BinaryOp.POW && isTwo(b.b()) && isSimple(a.s)) {
      return new J(a.s + " * " + a.s, P_MUL); // t * t reads better than Math.pow(t, 2.0), and is what pow computes
    }
    return emit(Prims.of(b.op()).java(), List.of(a, c), null);
  }

  /**
   * A name or one array element with a plain index ({@code [A-Za-z_][A-Za-z0-9_]*(\[[A-Za-z0-9_ +*]+\])?}): cheap and
   * clear to write twice. Checked by hand: a regex matcher per square was a visible share of writing a long model.
   */
  static boolean isSimple(String s) {
    int n = s.length();
    int k = 0;
    while (k < n && (isAsciiLetter(s.charAt(k)) || k > 0 && isAsciiDigit(s.charAt(k)))) k++;
    if (k == 0) return false;
    if (k == n) return true;
    if (s.charAt(k) != '[' || s.charAt(n - 1) != ']' || n - k < 3) return false;
    for (int j = k + 1; j < n - 1; j++) {
      char c = s.charAt(j);
      if (!isAsciiLetter(c) && !isAsciiDigit(c) && c != ' ' && c != '+' && c != '*') return false;
    }
    return true;
  }

  /** {@code [A-Za-z_]}. */
  private static boolean isAsciiLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isTwo(Expr e) {
    while (e instanceof Expr.Broadcast br) e = br.x();
    return e instanceof Expr.Const k && k.value() == 2;
  }

  // ---- products, reductions, softmax -------------------------------------------------------------------

  /** The stored array behind a product operand, and whether the product reads it transposed. */
  private record Operand(String array, boolean transposed) {}

  private Operand operand(Expr o) {
    if (p.slot[o.id()]) return new Operand(slotName(o.id()), false);
    if (o instanceof Expr.Transpose t && p.slot[t.x().id()]) return new Operand(slotName(t.x().id()), true);
    throw new IllegalStateException("product operand without a buffer: " + o);
  }

  private String array(Expr o) {
    Operand op = operand(o);
    if (op.transposed) throw new IllegalStateException("transposed vector");
    return op.array;
  }

  private String product(Expr.MatMul m, String target) {
    Shape sa = m.a().shape();
    Shape sb = m.b().shape();
    Operand a = operand(m.a());
    Operand b = operand(m.b());
    MatmulKernels.Kernel k;
    String args;
    if (sa.rank() == 2 && sb.rank() == 1) {
      String rows = p.dim(sa.dim(0));
      String inner = p.dim(sa.dim(1));
      k = a.transposed ? MatmulKernels.Kernel.MAT_T_VEC : MatmulKernels.Kernel.MATVEC;
      args = a.array + ", " + b.array + ", " + target + ", " + rows + ", " + inner;
    } else if (sa.rank() == 1 && sb.rank() == 2) {
      // v·B = Bᵀ·v
      String cols = p.dim(sb.dim(1));
      String inner = p.dim(sb.dim(0));
      k = b.transposed ? MatmulKernels.Kernel.MATVEC : MatmulKernels.Kernel.MAT_T_VEC;
      args = b.array + ", " + a.array + ", " + target + ", " + cols + ", " + inner;
    } else {
      k = MatmulKernels.matmul(a.transposed, b.transposed);
      matrixProductSite(p.dim(sa.dim(0)), p.dim(sa.dim(1)), p.dim(sb.dim(1)));
      args = a.array + ", " + b.array + ", " + target + ", " + p.dim(sa.dim(0)) + ", " + p.dim(sa.dim(1)) + ", "
          + p.dim(sb.dim(1));
      Expr x = m.a() instanceof Expr.Transpose t ? t.x() : m.a();
      GatheredInput kept = gatheredInputs.get(x.id());
      if (kept != null && !b.transposed && (a.transposed ? pass == Plan.Pass.BACKWARD : pass == Plan.Pass.FORWARD)) {
        return (a.transposed ? "matmulGatheredT(" : "matmulGathered(") + args + ", " + kept.form() + ", "
            + kept.index() + ")";
      }
    }
    kernels.add(k);
    return MatmulKernels.name(k) + "(" + args + ")";
  }

  /** A matrix product of the kernels' (m×k times k×n, Java expressions): its scratch rows must fit it. */
  private void matrixProductSite(String m, String k, String n) {
    if (kernelRows == null) {
      kernelRows = p.names.fresh("kernelRows");
      kernelAccumulators = p.names.fresh("kernelAccumulators");
      kernelTask = p.names.fresh("kernelTask");
      kernelTaskType = p.names.fresh("KernelTask");
    }
    kernelSites.add(new String[] {m, k, n});
  }

  /**
   * The scratch buffers of the layer ops' call sites. The calls run one after another and none calls another, so all
   * sites share each buffer name (the registry's: {@code col}, {@code z}, …), sized for the largest (the index in
   * {@link #scratch}); a buffer whose size depends on a free dim is per site instead (by node id and buffer name:
   * forward and predict share it).
   */
  private final Map<String, Integer> sharedLayerScratch = new HashMap<>();
  private final Map<String, String> siteLayerScratch = new HashMap<>();

  /**
   * {@code conv2d(y, x, k, col, z, B, C, …)}: the layer op's method (its registry entry's Java) over whole buffers,
   * with the scratch buffers its entry asks for (fields allocated by the constructor) and the product kernels it calls.
   */
  private String layer(Expr.Layer l, String target) {
    LayerPrim.Emission em = Prims.of(l.op()).java();
    layerMethods.put(em.name(), em);
    List<String> args = new ArrayList<>();
    args.add(target);
    List<Shape> shapes = new ArrayList<>();
    for (Expr a : l.args()) {
      args.add(slotName(a.id()));
      shapes.add(a.shape());
    }
    for (LayerPrim.Scratch s : em.scratch()) args.add(layerScratch(s, s.shape().apply(shapes, l.shape(), l.ints()), l.id()));
    for (LayerPrim.Product product : em.products()) {
      List<String> mkn = new ArrayList<>();
      for (List<Object> factors : product.mkn().apply(shapes, l.shape(), l.ints())) mkn.add(factors(factors));
      matrixProductSite(mkn.get(0), mkn.get(1), mkn.get(2));
      kernels.add(MatmulKernels.matmul(product.transA(), product.transB()));
    }
    for (List<Object> factors : em.args().apply(shapes, l.shape(), l.ints())) args.add(factors(factors));
    return em.name() + "(" + String.join(", ", args) + ")";
  }

  /** The field of a layer method's scratch buffer at one call site (see {@link #sharedLayerScratch}). */
  private String layerScratch(LayerPrim.Scratch s, Shape shape, int site) {
    String base = "scratch" + Character.toUpperCase(s.name().charAt(0)) + s.name().substring(1);
    if (shape.dims().stream().anyMatch(Dim::isFree)) {
      return siteLayerScratch.computeIfAbsent(site + " " + s.name(), key -> {
        String field = p.names.fresh(base);
        scratch.add(new Scratch(field, shape));
        return field;
      });
    }
    long size = 1;
    for (Dim d : shape.dims()) size *= d.size();
    Shape flat = Shape.of(Dim.literal((int) size));
    Integer at = sharedLayerScratch.get(s.name());
    if (at == null) {
      scratch.add(new Scratch(p.names.fresh(base), flat));
      sharedLayerScratch.put(s.name(), scratch.size() - 1);
      return scratch.get(scratch.size() - 1).name();
    }
    Scratch old = scratch.get(at);
    if (size > old.shape().dim(0).size()) scratch.set(at, new Scratch(old.name(), flat));
    return old.name();
  }

  /** A product of dims and integer literals as a Java expression. */
  private String factors(List<Object> factors) {
    List<String> parts = new ArrayList<>();
    for (Object f : factors) parts.add(f instanceof Dim d ? p.dim(d) : f.toString());
    return String.join(" * ", parts);
  }

  private void reduce(Expr.Reduce r, String t, List<String> out) {
    Expr x = r.x();
    Shape xs = x.shape();
    boolean scalar = r.shape().isScalar();
    ReduceEmission java = Prims.of(r.op()).java();
    String init = p.precision.constant(java.init());
    boolean declare = scalar && p.local[r.id()];
    String target;
    if (scalar) {
      out.add((declare ? p.precision.java() + " " : "") + t + " = " + init + ";");
      target = t;
    } else {
      out.add("for (int " + loopVar(0) + " = 0; " + loopVar(0) + " < " + extent(t, r.shape()) + "; " + loopVar(0) + "++) " + t
          + "[" + loopVar(0) + "] = " + init + ";");
      target = null;
    }
    // Loop over x: flat when everything is reduced and x's reads allow it, else one index per axis.
    boolean flat = scalar && flatOk(x, false);
    Idx idx;
    List<String> vars = new ArrayList<>();
    String outRef;
    if (flat) {
      idx = Idx.flat(loopVar(0));
      outRef = t;
    } else {
      List<String> kept = new ArrayList<>();
      for (int a = 0; a < xs.rank(); a++) {
        vars.add(loopVar(a));
        if (!r.axes().contains(a)) kept.add(loopVar(a));
      }
      idx = Idx.axes(vars);
      outRef = scalar ? t : t + "[" + index(kept, r.shape()) + "]";
    }
    J v = render(x, idx);
    String body = java.combine(outRef, p.precision.narrow(v.s, v.isDouble)); // each entry as a stored value
    reductionLoop(flat, x, xs, vars, body, out);
    if (!java.logOfShiftedExp()) return;
    // log Σ exp(x) = m + log Σ exp(x − m), m the maximum: no overflow.
    if (scalar) {
      out.add("{");
      List<String> inner = new ArrayList<>();
      inner.add("double " + sumVar + " = 0.0;");
      List<String> loop = new ArrayList<>();
      reductionLoop(flat, x, xs, vars, sumVar + " += Math.exp(" + wrap(v, P_ADD) + " - " + t + ");", loop);
      inner.addAll(loop);
      inner.add(t + " += Math.log(" + sumVar + ");");
      for (String s : inner) out.add("  " + s);
      out.add("}");
    } else {
      String s = p.names.fresh(t + "Sum");
      scratch.add(new Scratch(s, r.shape()));
      String i = loopVar(0);
      out.add("for (int " + i + " = 0; " + i + " < " + extent(s, r.shape()) + "; " + i + "++) " + s + "[" + i + "] = "
          + p.precision.constant("0.0") + ";");
      List<String> kept = new ArrayList<>();
      for (int a = 0; a < xs.rank(); a++) if (!r.axes().contains(a)) kept.add(loopVar(a));
      String o = index(kept, r.shape());
      reductionLoop(false, x, xs, vars, s + "[" + o + "] += Math.exp(" + wrap(v, P_ADD) + " - " + t + "[" + o + "]);",
          out);
      out.add("for (int " + i + " = 0; " + i + " < " + extent(t, r.shape()) + "; " + i + "++) " + t + "[" + i + "] += Math.log("
          + s + "[" + i + "]);");
    }
  }

  private void reductionLoop(boolean flat, Expr x, Shape xs, List<String> vars, String body, List<String> out) {
    if (flat) {
      String i = loopVar(0);
      String bound = p.slot[x.id()] ? extent(slotName(x.id()), xs) : size(xs);
      out.add("for (int " + i + " = 0; " + i + " < " + bound + "; " + i + "++) " + body);
    } else {
      loops(vars, xs, List.of(body), out);
    }
  }

  /**
   * The bound of a loop over a whole buffer: its {@code length}, or, when its shape has a batch dim, the extent at
   * the current rows (the buffer is allocated for the capacity).
   */
  String extent(String buffer, Shape s) {
    return p.hasBatchDim(s) ? size(s) : buffer + ".length";
  }

  String size(Shape s) {
    if (s.isScalar()) return "1";
    List<String> parts = new ArrayList<>();
    for (Dim d : s.dims()) parts.add(p.dim(d));
    return String.join(" * ", parts);
  }

  private void softmax(Expr x, int axis, String t, boolean log, List<String> out) {
    Shape s = x.shape();
    if (s.isScalar()) {
      out.add(t + " = " + p.precision.constant(log ? "0.0" : "1.0") + ";");
      return;
    }
    int rank = s.rank();
    int ax = axis < 0 ? axis + rank : axis;
    List<String> vars = new ArrayList<>();
    for (int a = 0; a < rank; a++) vars.add(loopVar(a));
    String j = vars.get(ax);
    String jDim = p.dim(s.dim(ax));
    Idx idx = Idx.axes(vars);
    J v = render(x, idx);
    String at = t + "[" + index(vars, s) + "]";
    List<String> body = new ArrayList<>();
    body.add("double " + maxVar + " = Double.NEGATIVE_INFINITY;");
    body.add("for (int " + j + " = 0; " + j + " < " + jDim + "; " + j + "++) " + maxVar + " = Math.max(" + maxVar
        + ", " + v.s + ");");
    body.add("double " + sumVar + " = 0.0;");
    if (log) {
      body.add("for (int " + j + " = 0; " + j + " < " + jDim + "; " + j + "++) " + sumVar + " += Math.exp("
          + wrap(v, P_ADD) + " - " + maxVar + ");");
      body.add("for (int " + j + " = 0; " + j + " < " + jDim + "; " + j + "++) " + at + " = "
          + p.precision.narrow(wrap(v, P_ADD) + " - " + maxVar + " - Math.log(" + sumVar + ")", true) + ";");
    } else {
      body.add("for (int " + j + " = 0; " + j + " < " + jDim + "; " + j + "++) {");
      body.add("  " + at + " = " + p.precision.narrow("Math.exp(" + wrap(v, P_ADD) + " - " + maxVar + ")", true) + ";");
      body.add("  " + sumVar + " += " + at + ";");
      body.add("}");
      body.add("for (int " + j + " = 0; " + j + " < " + jDim + "; " + j + "++) " + at + " /= " + sumVar + ";");
    }
    List<String> outerVars = new ArrayList<>(vars);
    outerVars.remove(ax);
    List<Dim> outerDims = new ArrayList<>(s.dims());
    outerDims.remove(ax);
    if (outerVars.isEmpty()) {
      out.add("{");
      for (String b : body) out.add("  " + b);
      out.add("}");
    } else {
      loops(outerVars, new Shape(outerDims), body, out);
    }
  }
}
