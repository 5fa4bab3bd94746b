package dev.nnc.check;

import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.ReduceOp;
import dev.nnc.prim.BinaryPrim;
import dev.nnc.prim.FunctionPrim;
import dev.nnc.prim.LayerPrim;
import dev.nnc.prim.Prims;
import dev.nnc.prim.ReducePrim;
import dev.nnc.prim.ShapeRule;
import dev.nnc.prim.UnaryPrim;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The built-in functions of LANGUAGE.md §2 and §10, each spelling (aliases included) mapped to what it means,
 * read from the primitive registry ({@link Prims}). The argument rules live with the kinds so that the checker
 * and the docs agree on one table.
 */
final class Builtins {
  private Builtins() {}

  enum Kind {
    /** One operand, elementwise ({@code σ}, {@code exp}, …). */
    ELEMENTWISE,
    /** {@code leaky_relu(x)} or {@code leaky_relu(x, slope)}: an elementwise function with a numeric argument. */
    WITH_PARAM,
    /** {@code sum/logsumexp(X[, axis=k])}. */
    REDUCE,
    /** {@code mean(X[, axis=k])}: sum divided by the number of reduced entries. */
    MEAN,
    /** {@code max/min(X[, axis=k])} reduces; {@code max/min(a, b)} is elementwise. */
    MAX_MIN,
    /** {@code softmax/log_softmax(X[, axis=k])}, default last axis. */
    SOFTMAX,
    /** {@code transpose(X)}: the ASCII spelling of {@code Xᵀ} (the parser makes it a transpose node). */
    TRANSPOSE,
    /** {@code conv2d(X, K, stride=s, padding=p)}, {@code maxpool/avgpool(X, k)}, {@code flatten(X)}: the layer family. */
    LAYER
  }

  /**
   * One built-in. {@code canonical} is the spelling used in messages; {@code unary} is set for ELEMENTWISE and
   * WITH_PARAM, {@code reduce} for REDUCE and MAX_MIN, {@code binary} for MAX_MIN, {@code log} for log_softmax.
   */
  record Builtin(String canonical, Kind kind, UnaryPrim unary, ReduceOp reduce, BinaryOp binary, boolean log,
      LayerPrim layer) {
    boolean takesAxis() {
      return kind == Kind.REDUCE || kind == Kind.MEAN || kind == Kind.MAX_MIN || kind == Kind.SOFTMAX;
    }

    /** Reductions take the flag {@code keepdims}: the reduced axes stay with extent 1. */
    boolean keepsDims() {
      return kind == Kind.REDUCE || kind == Kind.MEAN || kind == Kind.MAX_MIN;
    }

    String usage() {
      return switch (kind) {
        case ELEMENTWISE -> canonical + "(x)";
        case WITH_PARAM -> canonical + "(x) or " + canonical + "(x, " + unary.param().example() + ")";
        case REDUCE, MEAN -> canonical + "(X), " + canonical + "(X, axis=0) or " + canonical + "(X, axis=0, keepdims)";
        case SOFTMAX -> canonical + "(X) or " + canonical + "(X, axis=0)";
        case MAX_MIN -> canonical + "(X), " + canonical + "(X, axis=0, keepdims) or " + canonical + "(a, b)";
        case TRANSPOSE -> canonical + "(X), which is Xᵀ";
        case LAYER -> switch (layer.shape()) {
          case CONVOLUTION -> canonical + "(X, K), " + canonical + "(X, K, stride=2, padding=1)";
          case POOL -> canonical + "(X, 2)";
          default -> canonical + "(X)";
        };
      };
    }
  }

  private static final Map<String, Builtin> TABLE = new LinkedHashMap<>();

  static {
    for (UnaryPrim p : Prims.unaries()) {
      if (p.spellings().isEmpty()) continue;
      if (p.shape() != ShapeRule.SAME) throw new IllegalStateException(p.op() + ": no lowering for " + p.shape());
      Kind kind = p.param() == null ? Kind.ELEMENTWISE : Kind.WITH_PARAM;
      for (String s : p.spellings()) TABLE.put(s, new Builtin(p.spellings().get(0), kind, p, null, null, false, null));
    }
    for (ReducePrim p : Prims.reductions()) {
      BinaryOp twin = null; // max and min: one spelling, a reduction of one operand or elementwise of two
      for (BinaryPrim b : Prims.binaries()) if (b.spellings().equals(p.spellings())) twin = b.op();
      if (p.shape() != ShapeRule.REMOVE_AXES) throw new IllegalStateException(p.op() + ": no lowering for " + p.shape());
      Kind kind = twin == null ? Kind.REDUCE : Kind.MAX_MIN;
      for (String s : p.spellings()) TABLE.put(s, new Builtin(p.spellings().get(0), kind, null, p.op(), twin, false, null));
    }
    for (BinaryPrim p : Prims.binaries()) {
      for (String s : p.spellings()) {
        if (!TABLE.containsKey(s)) throw new IllegalStateException("binary function " + s + " has no reduction twin");
      }
    }
    for (FunctionPrim p : Prims.functions()) {
      Kind kind = switch (p.lowering()) {
        case MEAN -> Kind.MEAN;
        case SOFTMAX, LOG_SOFTMAX -> Kind.SOFTMAX;
        case TRANSPOSE -> Kind.TRANSPOSE;
      };
      boolean log = p.lowering() == FunctionPrim.Lowering.LOG_SOFTMAX;
      for (String s : p.spellings()) TABLE.put(s, new Builtin(p.name(), kind, null, kind == Kind.MEAN ? ReduceOp.SUM : null, null, log, null));
    }
  }

  static {
    for (LayerPrim p : Prims.layers()) {
      for (String s : p.spellings()) TABLE.put(s, new Builtin(s, Kind.LAYER, null, null, null, false, p));
    }
  }

  /** The built-in spelled {@code name}, or null. */
  static Builtin lookup(String name) {
    return TABLE.get(name);
  }

  static boolean isFunction(String name) {
    return TABLE.containsKey(name);
  }

  static boolean isConstant(String name) {
    return name.equals("π") || name.equals("pi");
  }

  /** Every spelling, in table order (for near-miss suggestions). */
  static Set<String> spellings() {
    return Collections.unmodifiableSet(TABLE.keySet());
  }

  /** Initialisers after {@code ~}, with their argument counts. */
  static final Map<String, Integer> INITIALISERS = Map.of("zeros", 0, "normal", 2, "uniform", 2, "xavier", 0, "he", 0);
}
