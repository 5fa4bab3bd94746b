package dev.nnc.check;

import dev.nnc.ir.BinaryOp;
import dev.nnc.ir.ReduceOp;
import dev.nnc.ir.UnaryOp;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The built-in functions of LANGUAGE.md §2, each spelling (aliases included) mapped to what it means. The
 * argument rules live with the kinds so that the checker and the docs agree on one table.
 */
final class Builtins {
  private Builtins() {}

  enum Kind {
    /** One operand, elementwise ({@code σ}, {@code exp}, …). */
    ELEMENTWISE,
    /** {@code leaky_relu(x)} or {@code leaky_relu(x, slope)}; slope a number literal. */
    LEAKY_RELU,
    /** {@code sum/logsumexp(X[, axis=k])}. */
    REDUCE,
    /** {@code mean(X[, axis=k])}: sum divided by the number of reduced entries. */
    MEAN,
    /** {@code max/min(X[, axis=k])} reduces; {@code max/min(a, b)} is elementwise. */
    MAX_MIN,
    /** {@code softmax/log_softmax(X[, axis=k])}, default last axis. */
    SOFTMAX
  }

  /**
   * One built-in. {@code canonical} is the spelling used in messages; {@code unary} is set for ELEMENTWISE and
   * LEAKY_RELU, {@code reduce} for REDUCE and MAX_MIN, {@code binary} for MAX_MIN, {@code log} for log_softmax.
   */
  record Builtin(String canonical, Kind kind, UnaryOp unary, ReduceOp reduce, BinaryOp binary, boolean log) {
    boolean takesAxis() {
      return kind == Kind.REDUCE || kind == Kind.MEAN || kind == Kind.MAX_MIN || kind == Kind.SOFTMAX;
    }

    String usage() {
      return switch (kind) {
        case ELEMENTWISE -> canonical + "(x)";
        case LEAKY_RELU -> "leaky_relu(x) or leaky_relu(x, 0.01)";
        case REDUCE, MEAN, SOFTMAX -> canonical + "(X) or " + canonical + "(X, axis=0)";
        case MAX_MIN -> canonical + "(X), " + canonical + "(X, axis=0) or " + canonical + "(a, b)";
      };
    }
  }

  private static final Map<String, Builtin> TABLE = new LinkedHashMap<>();

  private static void elementwise(UnaryOp op, String... spellings) {
    for (String s : spellings) TABLE.put(s, new Builtin(spellings[0], Kind.ELEMENTWISE, op, null, null, false));
  }

  static {
    elementwise(UnaryOp.SIGMOID, "σ", "sigmoid");
    elementwise(UnaryOp.TANH, "tanh");
    elementwise(UnaryOp.RELU, "relu");
    elementwise(UnaryOp.SOFTPLUS, "softplus");
    elementwise(UnaryOp.EXP, "exp");
    elementwise(UnaryOp.LOG, "log", "ln");
    elementwise(UnaryOp.SQRT, "sqrt", "√");
    elementwise(UnaryOp.ABS, "abs");
    elementwise(UnaryOp.SIN, "sin");
    elementwise(UnaryOp.COS, "cos");
    TABLE.put("leaky_relu", new Builtin("leaky_relu", Kind.LEAKY_RELU, UnaryOp.LEAKY_RELU, null, null, false));
    for (String s : new String[] {"sum", "Σ", "∑"}) {
      TABLE.put(s, new Builtin("sum", Kind.REDUCE, null, ReduceOp.SUM, null, false));
    }
    TABLE.put("logsumexp", new Builtin("logsumexp", Kind.REDUCE, null, ReduceOp.LOGSUMEXP, null, false));
    TABLE.put("mean", new Builtin("mean", Kind.MEAN, null, ReduceOp.SUM, null, false));
    TABLE.put("max", new Builtin("max", Kind.MAX_MIN, null, ReduceOp.MAX, BinaryOp.MAX, false));
    TABLE.put("min", new Builtin("min", Kind.MAX_MIN, null, ReduceOp.MIN, BinaryOp.MIN, false));
    TABLE.put("softmax", new Builtin("softmax", Kind.SOFTMAX, null, null, null, false));
    TABLE.put("log_softmax", new Builtin("log_softmax", Kind.SOFTMAX, null, null, null, true));
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
