package dev.nnc.check;

import dev.nnc.ast.Arg;
import dev.nnc.ast.DimItem;
import dev.nnc.ast.Init;
import dev.nnc.ast.Model;
import dev.nnc.ast.Name;
import dev.nnc.ast.Stmt;
import dev.nnc.ast.VarItem;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Source;
import dev.nnc.diag.Span;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Role;
import dev.nnc.ir.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks one model and lowers it: declarations first (dims, then inputs and params, whatever their position in the
 * model), then the assignments one statement after another, then outputs, the loss and the warnings. Every loop
 * here is over statements; only {@link ExprLowerer} and {@link NameCollector} recurse, within one expression.
 */
final class ModelChecker {
  private static final Set<String> KEYWORDS = Set.of("model", "input", "param", "dim", "output", "loss");

  private final Model model;
  private final Source source;
  private final Diagnostics diags;
  private final Scope scope = new Scope();
  private final Graph graph = new Graph();
  private final ExprLowerer lowerer;
  private final Set<String> declaredVarNames = new HashSet<>();

  ModelChecker(Model model, Source source, Diagnostics diags) {
    this.model = model;
    this.source = source;
    this.diags = diags;
    this.lowerer = new ExprLowerer(scope, graph, source, diags);
  }

  /** The lowered model, or null if it has errors (all of them reported). */
  ModelIR check() {
    int errorsBefore = errorCount();
    NameCollector.collect(model, scope, declaredVarNames, diags);
    declareDims();
    declareVars();
    Functions.define(model, scope, diags);
    List<ModelIR.Value> values = new ArrayList<>();
    List<Stmt.OutputDecl> outputDecls = new ArrayList<>();
    List<Stmt.LossDecl> lossDecls = new ArrayList<>();
    Name last = null;
    List<Stmt> statements = model.statements();
    scope.lossSpelling = lossSpelling(statements);
    for (int i = 0; i < statements.size(); i++) {
      Stmt s = statements.get(i);
      if (s instanceof Stmt.Assign a) {
        scope.current = i;
        ModelIR.Value v = assign(a);
        if (v != null) values.add(v);
        last = a.target();
      } else if (s instanceof Stmt.StepAssign a) {
        scope.current = i;
        ModelIR.Value v = stepAssign(a);
        if (v != null) values.add(v);
        if (!a.initial()) last = a.target();
      } else if (s instanceof Stmt.OutputDecl o) {
        outputDecls.add(o);
      } else if (s instanceof Stmt.LossDecl l) {
        lossDecls.add(l);
      }
    }
    if (last == null) {
      Span where = model.nameSpan().line() > 0 ? model.nameSpan() : model.span();
      diags.error(Code.NO_ASSIGNMENT, where, "model '" + model.name() + "' has no assignment",
          "a model computes something: add e.g. 'L = …'");
      return null;
    }
    for (Stmt.StepAssign initial : scope.initialLines.values()) {
      String id = initial.target().id();
      if (!scope.recurrences.containsKey(id) && !scope.failed.contains(id)) {
        diags.error(Code.RECURRENCE_PAIR, initial.span(), "'" + initial.target().spelling() + "[0]' is the initial "
            + "state of a recurrence without its step " + initial.target().spelling() + "[t] = …",
            "add the step below it, e.g. " + initial.target().spelling() + "[t] = tanh(" + initial.target().spelling()
                + "[t−1] Wh + X[t] Wx + b)");
      }
    }
    List<String> outputs = outputs(outputDecls);
    String loss = loss(lossDecls, last);
    ArraySizes.report(new ArrayList<>(scope.vars.values()), values, graph, diags);
    if (errorCount() > errorsBefore || loss == null) return null;
    if (!scope.recurrences.isEmpty() && !scope.derivativeSpans.isEmpty()) {
      RecurrenceLowering.secondOrder(graph, scope, scope.values.get(loss), diags);
      if (errorCount() > errorsBefore) return null;
    }
    Warnings.report(graph, scope, loss, scope.values.get(loss), diags);
    List<Expr> roots = new ArrayList<>();
    for (ModelIR.Value v : values) roots.add(v.node());
    List<Expr> kept = new ArrayList<>();
    kept.add(scope.values.get(loss));
    for (String o : outputs) if (scope.values.containsKey(o)) kept.add(scope.values.get(o));
    NumericHazards.report(graph, roots, kept, scope.sites, source, diags);
    return build(values, outputs, loss);
  }

  private int errorCount() {
    int n = 0;
    for (Diagnostic d : diags.all()) if (d.isError()) n++;
    return n;
  }

  private boolean reserved(Name name) {
    String id = name.id();
    if (!Builtins.isFunction(id) && !Builtins.isConstant(id) && !KEYWORDS.contains(id)) return false;
    String what = KEYWORDS.contains(id) ? "a keyword" : Builtins.isConstant(id) ? "the constant π" : "a built-in function";
    diags.error(Code.RESERVED_NAME, name.span(), "'" + name.spelling() + "' is " + what + " and cannot be used as a name",
        "choose another name, e.g. '" + name.spelling() + "_'");
    return true;
  }

  // ---- declarations ------------------------------------------------------------------------------

  private void declareDims() {
    for (Stmt s : model.statements()) {
      if (!(s instanceof Stmt.DimDecl d)) continue;
      for (DimItem item : d.items()) declareDim(item);
    }
  }

  private void declareDim(DimItem item) {
    Name name = item.name();
    if (reserved(name)) return;
    int size = -1;
    if (item.size() != null) {
      Double v = ExprLowerer.numberLiteral(item.size());
      if (v == null || v <= 0 || v != Math.rint(v) || v > Integer.MAX_VALUE) {
        diags.error(Code.BAD_DIM, item.size().span(), "dim '" + name.spelling() + "' must be fixed to a positive integer, not '"
            + SourceText.slice(source, item.size().span()) + "'", "write e.g. 'dim " + name.spelling() + " = 3'");
      } else {
        size = v.intValue();
      }
    }
    Dim existing = scope.dims.get(name.id());
    if (existing != null) {
      if (size > 0 && !existing.isFree() && existing.size() != size) {
        diags.error(Code.DIM_FIXED_TWICE, item.size().span(), "dim '" + name.spelling() + "' is fixed to " + size
            + " here and to " + existing.size() + " before", "fix each dim once");
      } else {
        diags.error(Code.DECLARED_TWICE, name.span(), "dim '" + name.spelling() + "' is declared twice",
            "declare each dim once");
      }
      return;
    }
    // A dim wins over an input, param or assignment of the same name: those report E0209 where they stand.
    Dim dim = size > 0 ? new Dim(name.id(), size) : Dim.free(name.id());
    scope.dims.put(name.id(), dim);
    scope.dimInfos.add(new ModelIR.DimInfo(name.id(), dim.size(), name.span()));
    scope.spellings.putIfAbsent(name.id(), name.spelling());
  }

  private void declareVars() {
    for (Stmt s : model.statements()) {
      if (!(s instanceof Stmt.VarDecl d)) continue;
      Role role = d.kind() == Stmt.VarKind.INPUT ? Role.INPUT : Role.PARAM;
      for (VarItem item : d.items()) declareVar(item, role);
    }
  }

  private void declareVar(VarItem item, Role role) {
    Name name = item.name();
    if (reserved(name)) return;
    Scope.VarSym existing = scope.vars.get(name.id());
    if (existing != null || scope.dims.containsKey(name.id())) {
      String before = existing != null ? "as " + (existing.role == Role.INPUT ? "an input" : "a param") + " on line "
          + existing.span.line() : "as a dim";
      diags.error(Code.DECLARED_TWICE, name.span(), "'" + name.spelling() + "' is already declared " + before,
          "declare each name once");
      return;
    }
    Scope.VarSym sym = new Scope.VarSym(name.id(), name.spelling(), role, name.span());
    List<Dim> dims = new ArrayList<>();
    for (dev.nnc.ast.Expr entry : item.shape()) {
      Dim dim = shapeEntry(entry);
      if (dim == null) sym.poisoned = true;
      else dims.add(dim);
    }
    Shape shape = new Shape(dims);
    if (item.init() != null) {
      if (role == Role.INPUT) {
        diags.error(Code.BAD_INITIALISER_ARGUMENTS, item.init().span(), "input '" + name.spelling()
            + "' cannot have an initialiser: its values are given to forward", "remove '~ …', or make it a param");
      } else {
        sym.init = initialiser(item.init());
        sym.explicitZeros = sym.init != null && sym.init.kind() == ModelIR.InitKind.ZEROS;
        sym.initSpan = item.init().function().span();
      }
    } else if (role == Role.PARAM) {
      sym.init = shape.rank() >= 2 ? new ModelIR.Init(ModelIR.InitKind.NORMAL, 0, 0.01) : ModelIR.Init.ZEROS;
    }
    if (item.modifier() != null) sym.onehot = modifier(item, role);
    sym.var = graph.var(name.id(), role, shape);
    scope.vars.put(name.id(), sym);
    scope.spellings.putIfAbsent(name.id(), name.spelling());
  }

  /** Whether {@code item}'s modifier makes it a one-hot input (LANGUAGE.md §10); reports a wrong modifier. */
  private boolean modifier(VarItem item, Role role) {
    Name m = item.modifier();
    if (!m.id().equals("onehot")) {
      diags.error(Code.UNKNOWN_MODIFIER, m.span(), "'" + m.spelling() + "' is not a modifier",
          "the one modifier after a shape is 'onehot' (an input whose rows are distributions); or a ',' is missing");
      return false;
    }
    if (role != Role.INPUT) {
      diags.error(Code.ONEHOT_NOT_INPUT, m.span(), "param '" + item.name().spelling() + "' cannot be onehot: "
          + "onehot says the data given to forward holds distributions", "declare it as an input, or drop 'onehot'");
      return false;
    }
    return true;
  }

  /** A shape entry: a dim name (declared, or free from here on) or a positive integer literal. */
  private Dim shapeEntry(dev.nnc.ast.Expr entry) {
    if (entry instanceof dev.nnc.ast.Expr.Ref r) {
      Name n = r.name();
      Dim dim = scope.dims.get(n.id());
      if (dim != null) return dim;
      String clash = Builtins.isFunction(n.id()) || Builtins.isConstant(n.id()) || KEYWORDS.contains(n.id()) ? "reserved"
          : declaredVarNames.contains(n.id()) ? "an input or param"
          : scope.assignedAt.containsKey(n.id()) ? "an assigned value" : null;
      if (clash != null) {
        diags.error(Code.BAD_SHAPE_ENTRY, n.span(), "shape entry '" + n.spelling() + "' is " + clash + ", not a dim",
            "a shape entry is a dim name or a positive integer; use another name for the dim");
        return null;
      }
      Dim free = Dim.free(n.id());
      scope.dims.put(n.id(), free);
      scope.dimInfos.add(new ModelIR.DimInfo(n.id(), -1, n.span()));
      scope.spellings.putIfAbsent(n.id(), n.spelling());
      return free;
    }
    if (entry instanceof dev.nnc.ast.Expr.Num num) {
      double v = num.value();
      if (v > 0 && v == Math.rint(v) && v <= Integer.MAX_VALUE) return Dim.literal((int) v);
    }
    diags.error(Code.BAD_SHAPE_ENTRY, entry.span(), "shape entry '" + SourceText.slice(source, entry.span())
        + "' is neither a dim name nor a positive integer", "write e.g. [n, 3]; declare sizes with 'dim n = 3'");
    return null;
  }

  private ModelIR.Init initialiser(Init init) {
    Name f = init.function();
    Integer arity = Builtins.INITIALISERS.get(f.id());
    if (arity == null) {
      String near = Suggestions.nearest(f.id(), Builtins.INITIALISERS.keySet());
      diags.error(Code.UNKNOWN_INITIALISER, f.span(), "unknown initialiser '" + f.spelling() + "'",
          near != null ? "did you mean '" + near + "'?" : "use normal(mean, std), uniform(a, b), zeros, xavier or he");
      return null;
    }
    String usage = switch (f.id()) {
      case "normal" -> "normal(mean, std), e.g. normal(0, 0.01)";
      case "uniform" -> "uniform(low, high), e.g. uniform(-0.1, 0.1)";
      default -> f.id() + " (no arguments)";
    };
    if (init.args().size() != arity) {
      diags.error(Code.BAD_INITIALISER_ARGUMENTS, f.span(), "'" + f.spelling() + "' takes " + arity + " argument"
          + (arity == 1 ? "" : "s") + ", got " + init.args().size(), "write " + usage);
      return null;
    }
    double[] v = new double[2];
    for (int i = 0; i < init.args().size(); i++) {
      Arg a = init.args().get(i);
      Double x = ExprLowerer.numberLiteral(a.value());
      if (a.name() != null || x == null) {
        diags.error(Code.BAD_INITIALISER_ARGUMENTS, a.span(), "initialiser arguments are number literals",
            "write " + usage);
        return null;
      }
      v[i] = x;
    }
    switch (f.id()) {
      case "normal":
        if (v[1] < 0) {
          diags.error(Code.BAD_INITIALISER_ARGUMENTS, init.args().get(1).span(), "normal's standard deviation "
              + v[1] + " is negative", "write " + usage);
          return null;
        }
        return new ModelIR.Init(ModelIR.InitKind.NORMAL, v[0], v[1]);
      case "uniform":
        if (v[0] > v[1]) {
          diags.error(Code.BAD_INITIALISER_ARGUMENTS, init.args().get(0).span(), "uniform's low bound " + v[0]
              + " is above its high bound " + v[1], "write " + usage);
          return null;
        }
        return new ModelIR.Init(ModelIR.InitKind.UNIFORM, v[0], v[1]);
      case "xavier":
        return new ModelIR.Init(ModelIR.InitKind.XAVIER, 0, 0);
      case "he":
        return new ModelIR.Init(ModelIR.InitKind.HE, 0, 0);
      default:
        return ModelIR.Init.ZEROS;
    }
  }

  // ---- statements --------------------------------------------------------------------------------

  /** The loss's spelling as {@link #loss} will decide it: the declared one, else the last assigned name. */
  private static String lossSpelling(List<Stmt> statements) {
    String last = "L";
    for (Stmt s : statements) {
      if (s instanceof Stmt.LossDecl l) return l.name().spelling();
      if (s instanceof Stmt.Assign a) last = a.target().spelling();
      if (s instanceof Stmt.StepAssign a && !a.initial()) last = a.target().spelling();
    }
    return last;
  }

  /** {@code h[0] = …} (lowered and kept for its step) or {@code h[t] = …} (the recurrence's value h). */
  private ModelIR.Value stepAssign(Stmt.StepAssign a) {
    Name target = a.target();
    String id = target.id();
    String h = target.spelling();
    if (a.initial()) {
      Expr init = lowerer.lower(a.value());
      if (!(a.index() instanceof dev.nnc.ast.Expr.Num n) || n.value() != 0) {
        diags.error(Code.STEP_INDEX, a.index().span(), "a recurrence starts at " + h + "[0], not " + h + "["
            + SourceText.slice(source, a.index().span()) + "]", "write the initial state as " + h + "[0] = … and the "
            + "step as " + h + "[t] = …");
        scope.failed.add(id);
        return null;
      }
      if (scope.initialLines.containsKey(id)) {
        diags.error(Code.RECURRENCE_PAIR, a.span(), "'" + h + "[0]' is given twice (first on line "
            + scope.initialLines.get(id).span().line() + ")", "give the initial state once");
        return null;
      }
      scope.initialLines.put(id, a);
      scope.initials.put(id, init);
      return null;
    }
    if (!(a.index() instanceof dev.nnc.ast.Expr.Ref)) {
      diags.error(Code.STEP_INDEX, a.index().span(), "the step of a recurrence is " + h + "[t] = … with a name for "
          + "the step, not " + h + "[" + SourceText.slice(source, a.index().span()) + "]",
          "write " + h + "[0] = … for the initial state and " + h + "[t] = … for every later step");
      scope.failed.add(id);
      return null;
    }
    boolean ok = targetAvailable(target);
    if (ok && !scope.initialLines.containsKey(id)) {
      diags.error(Code.RECURRENCE_PAIR, target.span(), "the recurrence '" + h + "' has no initial state " + h
          + "[0] = … above its step", "add e.g. '" + h + "[0] = " + h + "0' (with 'param " + h + "0[H]') above this line");
      ok = false;
    }
    if (!ok) {
      scope.failed.add(id);
      return null;
    }
    Expr init = scope.initials.get(id);
    if (init == null) {
      scope.failed.add(id);
      return null;
    }
    ModelIR.Value v = RecurrenceLowering.lower(a, init, lowerer, scope, source, diags);
    if (v == null) {
      scope.failed.add(id);
      return null;
    }
    scope.values.put(id, v.node());
    return v;
  }

  /** Whether {@code target} may be assigned here (else the reason is reported). */
  private boolean targetAvailable(Name target) {
    String id = target.id();
    boolean ok = !reserved(target);
    if (ok && scope.vars.containsKey(id)) {
      Scope.VarSym sym = scope.vars.get(id);
      diags.error(Code.DECLARED_TWICE, target.span(), "'" + target.spelling() + "' is " + (sym.role == Role.INPUT
          ? "an input" : "a param") + " (line " + sym.span.line() + ") and cannot be assigned",
          "give the computed value a new name");
      ok = false;
    } else if (ok && scope.dims.containsKey(id)) {
      diags.error(Code.DECLARED_TWICE, target.span(), "'" + target.spelling() + "' is a dim and cannot be assigned",
          "give the value a new name");
      ok = false;
    } else if (ok && scope.functions.containsKey(id)) {
      diags.error(Code.FUNCTION_NAME_TAKEN, target.span(), "'" + target.spelling() + "' is a function (line "
          + scope.functions.get(id).span().line() + ") and cannot be assigned", "give the value a new name");
      ok = false;
    } else if (ok && (scope.values.containsKey(id) || scope.failed.contains(id))) {
      Name first = scope.assignedTarget.get(id);
      diags.error(Code.ASSIGNED_TWICE, target.span(), "'" + target.spelling() + "' is assigned twice (first on line "
          + first.span().line() + ")", "each name is assigned once; give the new value a new name");
      ok = false;
    }
    return ok;
  }

  private ModelIR.Value assign(Stmt.Assign a) {
    Name target = a.target();
    String id = target.id();
    boolean ok = !reserved(target);
    if (ok && scope.initialLines.containsKey(id)) {
      diags.error(Code.RECURRENCE_PAIR, target.span(), "'" + target.spelling() + "' is a recurrence (its initial "
          + "state is on line " + scope.initialLines.get(id).span().line() + "): its value is given by its step "
          + target.spelling() + "[t] = …", "write '" + target.spelling() + "[t] = …', or give this value a new name");
      ok = false;
    }
    if (ok && scope.vars.containsKey(id)) {
      Scope.VarSym sym = scope.vars.get(id);
      diags.error(Code.DECLARED_TWICE, target.span(), "'" + target.spelling() + "' is " + (sym.role == Role.INPUT
          ? "an input" : "a param") + " (line " + sym.span.line() + ") and cannot be assigned",
          "give the computed value a new name");
      ok = false;
    } else if (ok && scope.dims.containsKey(id)) {
      diags.error(Code.DECLARED_TWICE, target.span(), "'" + target.spelling() + "' is a dim and cannot be assigned",
          "give the value a new name");
      ok = false;
    } else if (ok && scope.functions.containsKey(id)) {
      diags.error(Code.FUNCTION_NAME_TAKEN, target.span(), "'" + target.spelling() + "' is a function (line "
          + scope.functions.get(id).span().line() + ") and cannot be assigned", "give the value a new name");
      ok = false;
    } else if (ok && (scope.values.containsKey(id) || scope.failed.contains(id))) {
      Name first = scope.assignedTarget.get(id);
      diags.error(Code.ASSIGNED_TWICE, target.span(), "'" + target.spelling() + "' is assigned twice (first on line "
          + first.span().line() + ")", "each name is assigned once; give the new value a new name");
      ok = false;
    }
    Expr node = lowerer.lower(a.value());
    if (!ok) return null;
    if (node == null) {
      scope.failed.add(id);
      return null;
    }
    scope.values.put(id, node);
    return new ModelIR.Value(id, target.spelling(), node, SourceText.slice(source, a.value().span()), a.span());
  }

  private List<String> outputs(List<Stmt.OutputDecl> decls) {
    List<String> out = new ArrayList<>();
    for (Stmt.OutputDecl d : decls) {
      for (Name n : d.names()) {
        String id = n.id();
        if (out.contains(id)) {
          diags.error(Code.DECLARED_TWICE, n.span(), "'" + n.spelling() + "' is declared an output twice",
              "name each output once");
        } else if (scope.values.containsKey(id) || scope.failed.contains(id)) {
          out.add(id);
        } else {
          diags.error(Code.BAD_OUTPUT, n.span(), "output '" + n.spelling() + "' " + notAssigned(id),
              hintForAssigned(id));
        }
      }
    }
    return out;
  }

  private String notAssigned(String id) {
    Scope.VarSym v = scope.vars.get(id);
    if (v != null) return "is " + (v.role == Role.INPUT ? "an input" : "a param") + ", not an assigned value";
    if (scope.dims.containsKey(id)) return "is a dim, not an assigned value";
    return "names nothing that is assigned";
  }

  private String hintForAssigned(String id) {
    String near = Suggestions.nearest(id, scope.assignedTarget.keySet());
    return near != null ? "did you mean '" + scope.assignedTarget.get(near).spelling() + "'?"
        : "name a value assigned in the model";
  }

  /** The loss's name, or null after reporting why there is none. */
  private String loss(List<Stmt.LossDecl> decls, Name last) {
    String loss;
    Span where;
    boolean declared = !decls.isEmpty();
    if (declared) {
      Stmt.LossDecl first = decls.get(0);
      for (int i = 1; i < decls.size(); i++) {
        diags.error(Code.BAD_LOSS, decls.get(i).name().span(), "a second loss declaration (the loss is already '"
            + first.name().spelling() + "', line " + first.span().line() + ")", "a model has one loss");
      }
      Name n = first.name();
      if (!scope.values.containsKey(n.id()) && !scope.failed.contains(n.id())) {
        diags.error(Code.BAD_LOSS, n.span(), "loss '" + n.spelling() + "' " + notAssigned(n.id()),
            hintForAssigned(n.id()));
        return null;
      }
      loss = n.id();
      where = n.span();
    } else {
      loss = last.id();
      where = last.span();
    }
    Expr node = scope.values.get(loss);
    if (node == null) return null; // its definition had an error, already reported
    if (!node.shape().isScalar()) {
      String spelling = scope.assignedTarget.get(loss).spelling();
      String msg = declared ? "loss '" + spelling + "' is not a scalar: it has shape " + Shapes.describe(node.shape())
          : "the loss defaults to the last assigned name, '" + spelling + "', which is not a scalar: it has shape "
              + Shapes.describe(node.shape());
      diags.error(Code.LOSS_NOT_SCALAR, where, msg, declared
          ? "reduce it to a number, e.g. with sum(…) or mean(…)"
          : "declare the loss with 'loss NAME' naming a scalar, or reduce this value with sum(…) or mean(…)");
      return null;
    }
    return loss;
  }

  // ---- result ------------------------------------------------------------------------------------

  private ModelIR build(List<ModelIR.Value> values, List<String> outputs, String loss) {
    List<ModelIR.Leaf> inputs = new ArrayList<>();
    List<ModelIR.Leaf> params = new ArrayList<>();
    for (Scope.VarSym v : scope.vars.values()) {
      if (v.role == Role.INPUT) inputs.add(new ModelIR.Leaf(v.var, v.spelling, null, v.span, v.onehot));
      else params.add(new ModelIR.Leaf(v.var, v.spelling, v.init, v.span));
    }
    return new ModelIR(model.name(), source.name(), model.span(), scope.dimInfos, inputs, params, values, outputs, loss,
        graph);
  }
}
