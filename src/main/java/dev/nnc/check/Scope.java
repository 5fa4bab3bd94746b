package dev.nnc.check;

import dev.nnc.ast.Name;
import dev.nnc.diag.Span;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the names of one model mean, filled by {@link ModelChecker} and read by {@link ExprLowerer}. All lookups are
 * hash maps keyed by {@link Name#id()}, so resolution cost does not grow with the model.
 */
final class Scope {
  /** An input or param: its IR leaf, or {@code poisoned} when its declaration had an error (uses stay silent). */
  static final class VarSym {
    final String id;
    final String spelling;
    final Role role;
    final Span span;
    Expr.Var var;
    ModelIR.Init init;
    boolean explicitZeros;
    Span initSpan;
    boolean poisoned;
    boolean onehot;

    VarSym(String id, String spelling, Role role, Span span) {
      this.id = id;
      this.spelling = spelling;
      this.role = role;
      this.span = span;
    }
  }

  /** Dims by name: declared ones first, then free ones in order of first appearance in shapes. */
  final Map<String, Dim> dims = new LinkedHashMap<>();

  final List<ModelIR.DimInfo> dimInfos = new ArrayList<>();
  /** Inputs and params, declared ones in declaration order, then implicit params in order of first use. */
  final Map<String, VarSym> vars = new LinkedHashMap<>();
  /** The source expression each unary and division node was lowered from first (by node id), for warnings. */
  final Map<Integer, dev.nnc.ast.Expr> sites = new HashMap<>();
  /** Assigned names already lowered (their node). */
  final Map<String, Expr> values = new HashMap<>();
  /** Assigned names whose right-hand side had an error: uses of them report nothing more. */
  final Set<String> failed = new HashSet<>();
  /** Index of the first statement assigning each name, and that statement's target (for messages). */
  final Map<String, Integer> assignedAt = new HashMap<>();

  final Map<String, Name> assignedTarget = new HashMap<>();
  /** Names written as a value somewhere (not only before '('): in a file without declarations these are params. */
  final Set<String> valueNames = new HashSet<>();
  /** The first spelling of every declared or assigned name, for suggestions. */
  final Map<String, String> spellings = new LinkedHashMap<>();
  /** The model's functions ({@code dense(x, W, b) = …}) by name, each with its position among the statements. */
  final Map<String, dev.nnc.ast.Stmt.FunctionDef> functions = new HashMap<>();

  final Map<String, Integer> functionAt = new HashMap<>();
  /** The derivative rules of functions that have them, one per parameter (in parameter order). */
  final Map<String, dev.nnc.ast.Stmt.RuleDef[]> rules = new HashMap<>();
  /** Functions whose definition had an error: their calls report nothing more. */
  final Set<String> failedFunctions = new HashSet<>();
  /** Names some {@code ∂E/∂x} of the model differentiates with respect to (an input then needs a gradient). */
  final Set<String> differentiatedNames = new HashSet<>();
  /** Each {@code ∂E/∂x} node with the span of its first occurrence (E0230 names it). */
  final Map<Expr, dev.nnc.diag.Span> derivativeSpans = new HashMap<>();
  /** Recurrences by name: the node of all their steps ({@code h}); {@code h[T]} is the same recurrence's last step. */
  final Map<String, Expr.Recur> recurrences = new HashMap<>();
  /** Initial states {@code h[0] = …} lowered so far, by name (null when the line had an error). */
  final Map<String, Expr> initials = new HashMap<>();
  /** The lines {@code h[0] = …} by name, for messages. */
  final Map<String, dev.nnc.ast.Stmt.StepAssign> initialLines = new HashMap<>();
  /** The loss's spelling as the model will decide it (declared, else the last assigned name): the L of ∂L/∂h[t]. */
  String lossSpelling = "L";
  /** True when the model declares no input or param: free names are then scalar params. */
  boolean implicitParams;
  /** Index of the statement being lowered. */
  int current;

  boolean isKnownValue(String id) {
    return Builtins.isConstant(id) || values.containsKey(id) || failed.contains(id) || vars.containsKey(id)
        || dims.containsKey(id) || assignedAt.containsKey(id);
  }

  List<VarSym> leaves(Role role) {
    List<VarSym> out = new ArrayList<>();
    for (VarSym v : vars.values()) if (v.role == role) out.add(v);
    return out;
  }
}
