package dev.nnc.codegen;

import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.diff.Tangents;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.JavaIdentifiers;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.NameTable;
import dev.nnc.ir.ReduceOp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * What the generated class computes and where each value lives, decided once before any Java is written.
 *
 * <ul>
 *   <li>Needed nodes: everything the model's values reach (computed by {@code forward}), everything the param
 *       gradients reach that forward did not compute (computed by {@code backward}), and, when the class has one,
 *       everything the {@link Tangents} reach that forward did not compute (computed by {@code jvp}). Adjoints that no
 *       param gradient needs are not computed at all (they appear only as comments). A node both backward and jvp
 *       need (a local derivative such as {@code a(1−a)}) is computed by each of them: either may run without the other.
 *   <li>Homes: a node that is a named value lives in that value's public field ({@code z}, {@code A1}); a backward
 *       node that is the adjoint of a value or param lives in its gradient field ({@code dz}, {@code dW1}).
 *   <li>Slots (materialised nodes): homes, leaves, products, reductions, softmaxes, layer ops (conv2d, pooling,
 *       reshape: computed by a method of the class over whole arrays, so their operands have buffers too), and
 *       elementwise nodes used more
 *       than once or grown too large to inline. Every other elementwise node is inlined into its consumer's loop, so
 *       an elementwise chain becomes one fused loop. Broadcasts and transposes are index mappings, not copies.
 * </ul>
 * Node ids are creation order, hence a topological order: every pass here is a loop over ids, never recursion.
 */
final class Plan {
  /** Largest number of nodes inlined into one Java expression (keeps expressions and methods small). */
  static final int INLINE_LIMIT = 24;
  /** Statements per generated method before {@code forward}/{@code backward} are split into parts. */
  static final int CHUNK = 60;

  final DiffModel dm;
  final ModelIR model;
  final String className;
  final String file;
  /** The model's names (display spellings and Java identifiers), decided in {@code ir}. */
  final NameTable table;
  /** The generator's own identifiers (loop indices, temporaries); every model name is already taken here. */
  final JavaIdentifiers names;
  final int size;
  final boolean[] needed;
  final boolean[] forward;
  /** Nodes {@code backward} computes: reached from the param gradients, not computed by forward. */
  final boolean[] backward;
  /** Nodes {@code jvp} computes: reached from the tangents, not computed by forward (none without a jvp). */
  final boolean[] jvp;
  /** The forward-mode pass of the class ({@code jvp}), or null when it has none. */
  final Tangents tangents;
  /** A jvp node that is an output's or the loss's tangent lives in that tangent's field. */
  final Tangents.Root[] homeTangent;
  /**
   * In jvp, the buffer of a node both passes compute whose backward home is a gradient field: jvp must not write
   * {@code dz}, so it computes the node into a temporary of its own. Null everywhere else.
   */
  final String[] jvpSlotName;
  final int[] uses;
  final boolean[] slot;
  final String[] slotName;
  /** Scalar slots declared as locals of the method that computes them (everything else is a field). */
  final boolean[] local;
  final ModelIR.Value[] homeValue;
  final Adjoint[] homeAdjoint;
  /** For an ADD node: the product operand computed straight into the ADD's buffer (no temporary). */
  final Expr.MatMul[] fusedProduct;
  final Map<String, String> dimJava = new LinkedHashMap<>();
  final List<ModelIR.DimInfo> dims = new ArrayList<>();
  /** The batch dims (see {@link BatchDims}), by dim name: their extent in loops is the current rows, not the capacity. */
  final Map<String, BatchDims.Batch> batchDims;
  final boolean splitForward;
  final boolean splitBackward;
  final boolean splitJvp;

  /** The three methods that compute nodes. */
  enum Pass {
    FORWARD,
    BACKWARD,
    JVP
  }
  /** The element type of every array and scalar field ({@code double} or {@code float}). */
  final Precision precision;
  /**
   * Whether an array input's field keeps a reference to the caller's array of the last {@code forward} (the model's
   * class) rather than a copy: false for a recurrence's step class, whose loops write each step's slices into its
   * input fields before calling its forward.
   */
  final boolean inputsByReference;

  Plan(DiffModel dm) {
    this(dm, Precision.FLOAT64);
  }

  Plan(DiffModel dm, Precision precision) {
    this(dm, precision, null, null, true);
  }

  /**
   * With {@code tangents} (made in {@code dm}'s graph before this plan), the class also gets {@code jvp}.
   * @param nestedName the class name of a recurrence's step class (null: the model's own class name)
   * @param inputsByReference see {@link #inputsByReference}
   */
  Plan(DiffModel dm, Precision precision, Tangents tangents, String nestedName, boolean inputsByReference) {
    this(dm, precision, tangents, nestedName, inputsByReference, null);
  }

  /**
   * As {@link #Plan(DiffModel, Precision, Tangents, String, boolean)}, calling {@code homesDecided} (if not null) as
   * soon as the passes and homes are decided — which pass computes each node ({@link #forward}, {@link #backward}),
   * where each value and adjoint lives ({@link #homeValue}, {@link #homeAdjoint}), the names and files — and before
   * the buffers, fusions, names of temporaries and locals. What it may read then never changes afterwards: it may
   * start work on other threads over it ({@link ChainRuleComments}) while the plan goes on.
   */
  Plan(DiffModel dm, Precision precision, Tangents tangents, String nestedName, boolean inputsByReference,
      java.util.function.Consumer<Plan> homesDecided) {
    this.precision = precision;
    this.inputsByReference = inputsByReference;
    this.tangents = tangents;
    this.dm = dm;
    this.model = dm.model();
    this.table = model.names();
    this.names = table.javaScope();
    this.className = nestedName != null ? nestedName : table.className();
    // Line breaks of any kind (NEL, U+2028, VT, …) become spaces: the name goes into comments and strings.
    this.file = JavaText.oneLine(JavaText.baseName(model.sourceName()));
    List<Expr> nodes = model.graph().nodes();
    size = nodes.size();
    needed = new boolean[size];
    forward = new boolean[size];
    backward = new boolean[size];
    jvp = new boolean[size];
    homeTangent = new Tangents.Root[size];
    jvpSlotName = new String[size];
    uses = new int[size];
    slot = new boolean[size];
    slotName = new String[size];
    local = new boolean[size];
    homeValue = new ModelIR.Value[size];
    homeAdjoint = new Adjoint[size];
    fusedProduct = new Expr.MatMul[size];

    claimModelNames();
    batchDims = BatchDims.find(model, dims, dimJava, names);

    // Reachability, highest id first: operands always have lower ids.
    for (ModelIR.Value v : model.values()) forward[v.node().id()] = true;
    propagate(forward);
    for (ModelIR.Leaf p : model.params()) {
      Expr g = gradient(p);
      if (g != null) backward[g.id()] = true;
    }
    propagate(backward);
    if (tangents != null) {
      for (Tangents.Root r : tangents.roots()) if (r.tangent() != null) jvp[r.tangent().id()] = true;
      propagate(jvp);
    }
    for (int id = 0; id < size; id++) {
      backward[id] &= !forward[id];
      jvp[id] &= !forward[id];
      needed[id] = forward[id] || backward[id] || jvp[id];
    }

    // Uses as one method sees them: forward's and backward's readers, or forward's and jvp's (the larger count).
    int[] usesJvp = new int[size];
    for (int id = 0; id < size; id++) {
      if (!needed[id]) continue;
      boolean reverse = forward[id] || backward[id];
      boolean tangent = forward[id] || jvp[id];
      Expr e = nodes.get(id);
      for (int k = 0; k < e.arity(); k++) { // the operands without the list inputs() makes
        int in = e.input(k).id();
        if (reverse) uses[in]++;
        if (tangent) usesJvp[in]++;
      }
    }
    // A param gradient is read once more, by its copy into the gradient field when it lives elsewhere; a tangent too.
    for (ModelIR.Leaf p : model.params()) {
      Expr g = gradient(p);
      if (g != null) uses[g.id()]++;
    }
    if (tangents != null) {
      for (Tangents.Root r : tangents.roots()) if (r.tangent() != null) usesJvp[r.tangent().id()]++;
      // Not for forward's nodes: jvp recomputes an inlined forward expression rather than make forward keep it
      // (forward is what training runs; its code is the same with or without a jvp).
      for (int id = 0; id < size; id++) if (!forward[id]) uses[id] = Math.max(uses[id], usesJvp[id]);
    }

    assignHomes();
    if (homesDecided != null) homesDecided.accept(this);
    decideSlots(nodes);
    fuseProducts(nodes);
    nameTemporaries(nodes);
    splitForward = countStatements(Pass.FORWARD) > CHUNK;
    splitBackward = countStatements(Pass.BACKWARD) > CHUNK;
    splitJvp = countStatements(Pass.JVP) > CHUNK;
    decideLocals(nodes);
  }

  // ---- names -------------------------------------------------------------------------------------

  private void claimModelNames() {
    for (ModelIR.DimInfo d : model.dims()) dims.add(d);
    // A dim used in a shape but missing from the list is free (defensive: the checker lists them all).
    for (List<ModelIR.Leaf> leaves : List.of(model.inputs(), model.params())) {
      for (ModelIR.Leaf l : leaves) {
        for (Dim d : l.var().shape().dims()) {
          if (d.name() != null && dims.stream().noneMatch(x -> x.name().equals(d.name()))) {
            dims.add(new ModelIR.DimInfo(d.name(), d.size(), l.span()));
          }
        }
      }
    }
    for (ModelIR.DimInfo d : dims) dimJava.put(d.name(), table.dimNamed(d.name()).java());
  }

  String javaName(String modelName) {
    return table.get(modelName).java();
  }

  String gradName(String modelName) {
    return table.get(modelName).gradientJava();
  }

  /** The field of a leaf's direction or of an output's or the loss's tangent in jvp ({@code xDot}). */
  String tangentName(String modelName) {
    return table.get(modelName).tangentJava();
  }

  /** Whether {@code pass} computes node {@code id}. */
  boolean in(Pass pass, int id) {
    return switch (pass) {
      case FORWARD -> forward[id];
      case BACKWARD -> backward[id];
      case JVP -> jvp[id];
    };
  }

  /** The buffer node {@code id} is computed into and read from in {@code pass}. */
  String slotName(Pass pass, int id) {
    return pass == Pass.JVP && jvpSlotName[id] != null ? jvpSlotName[id] : slotName[id];
  }

  /** The Java expression for a dim's extent: a field, a constant, or a literal. */
  /** True when a buffer of this shape is sized by a batch dim's capacity but used up to its current rows. */
  boolean hasBatchDim(dev.nnc.ir.Shape s) {
    for (Dim d : s.dims()) if (d.name() != null && batchDims.containsKey(d.name())) return true;
    return false;
  }

  /** The Java expression for a dim's extent: a field, a constant, or a literal; a batch dim's current rows. */
  String dim(Dim d) {
    if (d.name() != null && batchDims.containsKey(d.name())) return batchDims.get(d.name()).rows();
    if (d.name() != null && dimJava.containsKey(d.name())) return dimJava.get(d.name());
    return Integer.toString(d.size());
  }

  Expr gradient(ModelIR.Leaf param) {
    if (adjointsByName == null) { // DiffModel.adjoint(name) is a scan of every adjoint: 20,000 in a long model
      adjointsByName = new HashMap<>();
      for (Adjoint a : dm.adjoints()) adjointsByName.putIfAbsent(a.name(), a);
    }
    Adjoint a = adjointsByName.get(param.name());
    return a == null ? null : a.value();
  }

  /** The first adjoint of each name (as {@link DiffModel#adjoint}), for {@link #gradient}. */
  private Map<String, Adjoint> adjointsByName;

  // ---- passes ------------------------------------------------------------------------------------

  private void propagate(boolean[] mark) {
    List<Expr> nodes = model.graph().nodes();
    for (int id = size - 1; id >= 0; id--) {
      if (!mark[id]) continue;
      Expr e = nodes.get(id);
      for (int k = 0; k < e.arity(); k++) mark[e.input(k).id()] = true;
    }
  }

  private static boolean isLeafLike(Expr e) {
    return e instanceof Expr.Var || e instanceof Expr.Const || e instanceof Expr.DimSize;
  }

  private void assignHomes() {
    for (ModelIR.Value v : model.values()) {
      Expr n = v.node();
      if (!isLeafLike(n) && homeValue[n.id()] == null) homeValue[n.id()] = v;
    }
    for (Adjoint a : dm.adjoints()) {
      if (a.kind() == Adjoint.Kind.LOSS || a.value() == null) continue;
      Expr n = a.value();
      int id = n.id();
      if (!backward[id] || isLeafLike(n) || homeValue[id] != null || homeAdjoint[id] != null) continue;
      homeAdjoint[id] = a;
    }
    if (tangents == null) return;
    for (Tangents.Root r : tangents.roots()) {
      Expr n = r.tangent();
      if (n == null || !jvp[n.id()] || isLeafLike(n) || isHome(n.id())) continue;
      homeTangent[n.id()] = r;
    }
  }

  boolean isHome(int id) {
    return homeValue[id] != null || homeAdjoint[id] != null || homeTangent[id] != null;
  }

  private static boolean elementwise(Expr e) {
    return e instanceof Expr.Unary || e instanceof Expr.Binary || e instanceof Expr.Custom
        || (e instanceof Expr.MatMul && e.shape().isScalar());
  }

  private void decideSlots(List<Expr> nodes) {
    boolean[] needsBuffer = new boolean[size];
    for (int id = 0; id < size; id++) {
      if (!needed[id]) continue;
      Expr e = nodes.get(id);
      if (e instanceof Expr.MatMul m) {
        for (Expr o : List.of(m.a(), m.b())) {
          needsBuffer[(o instanceof Expr.Transpose t && !isHome(o.id()) ? t.x() : o).id()] = true;
        }
      } else if (e instanceof Expr.Layer || e instanceof Expr.Recur || e instanceof Expr.RecurGrad) {
        for (Expr o : e.inputs()) needsBuffer[o.id()] = true; // layer methods and step loops read whole arrays
      } else if (e instanceof Expr.Broadcast || e instanceof Expr.Transpose || e instanceof Expr.Softmax
          || e instanceof Expr.LogSoftmax || (e instanceof Expr.Reduce r && r.op() == ReduceOp.LOGSUMEXP)) {
        Expr o = e.inputs().get(0);
        if (elementwise(o)) needsBuffer[o.id()] = true;
      }
      if (backward[id]) {
        // A forward node read by backward is kept by forward rather than recomputed (jvp recomputes it).
        for (Expr o : e.inputs()) if (forward[o.id()] && elementwise(o)) needsBuffer[o.id()] = true;
      }
    }
    int[] weight = new int[size];
    for (int id = 0; id < size; id++) {
      if (!needed[id]) continue;
      Expr e = nodes.get(id);
      boolean s;
      if (e instanceof Expr.Var) s = true;
      else if (e instanceof Expr.Const || e instanceof Expr.DimSize) s = needsBuffer[id];
      else if (isHome(id) || needsBuffer[id]) s = true;
      else if (e instanceof Expr.Reduce || e instanceof Expr.Softmax || e instanceof Expr.LogSoftmax) s = true;
      else if (e instanceof Expr.Layer || e instanceof Expr.Recur || e instanceof Expr.RecurGrad) s = true;
      else if (e instanceof Expr.MatMul) s = !e.shape().isScalar() || uses[id] > 1;
      else if (e instanceof Expr.Broadcast || e instanceof Expr.Transpose) s = false;
      else s = uses[id] > 1;
      int w = 1;
      for (int k = 0; k < e.arity(); k++) w += weight[e.input(k).id()];
      if (!s && w > INLINE_LIMIT && elementwise(e)) s = true;
      slot[id] = s;
      weight[id] = s ? 0 : w;
    }
  }

  private void fuseProducts(List<Expr> nodes) {
    for (int id = 0; id < size; id++) {
      if (!needed[id] || !slot[id] || !(nodes.get(id) instanceof Expr.Binary b)) continue;
      if (b.op() != dev.nnc.ir.BinaryOp.ADD || b.shape().isScalar()) continue;
      for (Expr o : List.of(b.a(), b.b())) {
        if (o instanceof Expr.MatMul m && !m.shape().isScalar() && uses[o.id()] == 1 && !isHome(o.id())
            && samePasses(o.id(), id) && b.a() != b.b()) {
          fusedProduct[id] = m;
          slot[o.id()] = false;
          break;
        }
      }
    }
  }

  private boolean samePasses(int a, int b) {
    return forward[a] == forward[b] && backward[a] == backward[b] && jvp[a] == jvp[b];
  }

  private void nameTemporaries(List<Expr> nodes) {
    Map<Expr, String> directions = new java.util.HashMap<>();
    if (tangents != null) {
      for (Tangents.Direction d : tangents.directions()) directions.put(d.var(), tangentName(d.leaf().name()));
    }
    for (int id = 0; id < size; id++) {
      if (!needed[id] || !slot[id]) continue;
      Expr e = nodes.get(id);
      if (e instanceof Expr.Var v) slotName[id] = directions.containsKey(v) ? directions.get(v) : javaName(v.name());
      else if (homeValue[id] != null) slotName[id] = javaName(homeValue[id].name());
      else if (homeAdjoint[id] != null) slotName[id] = gradName(homeAdjoint[id].name());
      else if (homeTangent[id] != null) slotName[id] = tangentName(homeTangent[id].value().name());
      else slotName[id] = names.fresh("t" + id);
      if (jvp[id] && homeAdjoint[id] != null) jvpSlotName[id] = names.fresh("t" + id);
    }
  }

  /** Nodes computed by a statement of forward (true) or backward (false), in id order. */
  List<Expr> statements(boolean inForward) {
    return statements(inForward ? Pass.FORWARD : Pass.BACKWARD);
  }

  /** Nodes computed by a statement of {@code pass}, in id order. */
  List<Expr> statements(Pass pass) {
    List<Expr> out = new ArrayList<>();
    List<Expr> nodes = model.graph().nodes();
    for (int id = 0; id < size; id++) {
      if (slot[id] && in(pass, id) && !(nodes.get(id) instanceof Expr.Var)) out.add(nodes.get(id));
    }
    return out;
  }

  /** Outputs and the loss whose tangent node lives elsewhere (a leaf, another tangent) or is 0: copied or zeroed. */
  List<Tangents.Root> copiedTangents() {
    List<Tangents.Root> out = new ArrayList<>();
    if (tangents == null) return out;
    for (Tangents.Root r : tangents.roots()) {
      Expr t = r.tangent();
      if (t == null || homeTangent[t.id()] != r) out.add(r);
    }
    return out;
  }

  /** Values that share another value's node (or are a leaf or constant): copied at the end of forward. */
  List<ModelIR.Value> aliasValues() {
    List<ModelIR.Value> out = new ArrayList<>();
    for (ModelIR.Value v : model.values()) if (homeValue[v.node().id()] != v) out.add(v);
    return out;
  }

  /** Params whose gradient node lives elsewhere (another gradient, a forward value, a leaf): copied. */
  List<ModelIR.Leaf> copiedGradients() {
    List<ModelIR.Leaf> out = new ArrayList<>();
    for (ModelIR.Leaf p : model.params()) {
      Expr g = gradient(p);
      if (g == null || homeAdjoint[g.id()] == null || !homeAdjoint[g.id()].name().equals(p.name())
          || homeAdjoint[g.id()].kind() != Adjoint.Kind.PARAM) {
        out.add(p);
      }
    }
    return out;
  }

  private int countStatements(Pass pass) {
    return statements(pass).size() + switch (pass) {
      case FORWARD -> aliasValues().size();
      case BACKWARD -> copiedGradients().size();
      case JVP -> copiedTangents().size();
    };
  }

  /** Visits the slot nodes an expression reads when {@code root} is rendered (root's own definition included). */
  void forEachSlotRead(Expr root, IntConsumer visit) {
    forEachSlotRead(root, visit, new ArrayDeque<>());
  }

  /** As {@link #forEachSlotRead(Expr, IntConsumer)} with an empty {@code stack} to use (reused over many roots). */
  private void forEachSlotRead(Expr root, IntConsumer visit, ArrayDeque<Expr> stack) {
    pushInputs(root, stack);
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (slot[e.id()]) {
        visit.accept(e.id());
        continue;
      }
      pushInputs(e, stack);
    }
  }

  /** Pushes what rendering {@code e} reads: its inputs (in the order addAll would), and its fused product's. */
  private void pushInputs(Expr e, ArrayDeque<Expr> stack) {
    for (int k = 0; k < e.arity(); k++) stack.addLast(e.input(k));
    Expr fused = fusedProduct[e.id()];
    if (fused != null) for (int k = 0; k < fused.arity(); k++) stack.addLast(fused.input(k));
  }

  private void decideLocals(List<Expr> nodes) {
    boolean[] cross = new boolean[size];
    IntConsumer markForward = id -> {
      if (forward[id]) cross[id] = true;
    };
    ArrayDeque<Expr> stack = new ArrayDeque<>();
    for (Expr e : statements(Pass.BACKWARD)) forEachSlotRead(e, markForward, stack);
    for (Expr e : statements(Pass.JVP)) forEachSlotRead(e, markForward, stack);
    List<Expr> copied = new ArrayList<>();
    for (ModelIR.Leaf p : copiedGradients()) copied.add(gradient(p));
    for (Tangents.Root r : copiedTangents()) copied.add(r.tangent());
    for (Expr g : copied) {
      if (g == null) continue;
      if (slot[g.id()]) markForward.accept(g.id());
      else forEachSlotRead(g, markForward);
    }
    for (int id = 0; id < size; id++) {
      if (!needed[id] || !slot[id]) continue;
      Expr e = nodes.get(id);
      if (!e.shape().isScalar() || e instanceof Expr.Var || isHome(id)) continue;
      boolean split = forward[id] ? splitForward : (backward[id] && splitBackward) || (jvp[id] && splitJvp);
      local[id] = !split && !cross[id];
    }
  }
}
