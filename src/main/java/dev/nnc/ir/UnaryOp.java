package dev.nnc.ir;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identity of an elementwise function in the IR (which node a {@code Unary} is). Everything else about it —
 * spellings, semantics, derivative, Java, notation — is its entry in {@code dev.nnc.prim.Prims}; this class is
 * open (not an enum) so that a new function is one registry entry that names its op with {@link #of}, without an
 * edit here. The constants below exist because code refers to these ops by name (smart constructors, derivative
 * rules, stability rewrites).
 */
public final class UnaryOp {
  private static final Map<String, UnaryOp> ALL = new ConcurrentHashMap<>();

  public static final UnaryOp NEG = of("NEG");
  public static final UnaryOp EXP = of("EXP");
  public static final UnaryOp LOG = of("LOG");
  public static final UnaryOp SQRT = of("SQRT");
  public static final UnaryOp ABS = of("ABS");
  public static final UnaryOp SIN = of("SIN");
  public static final UnaryOp COS = of("COS");
  public static final UnaryOp TANH = of("TANH");
  public static final UnaryOp SIGMOID = of("SIGMOID");
  public static final UnaryOp RELU = of("RELU");
  public static final UnaryOp LEAKY_RELU = of("LEAKY_RELU");
  public static final UnaryOp SOFTPLUS = of("SOFTPLUS");
  /** 1 where x > 0, else 0 (relu′ with relu′(0) = 0). */
  public static final UnaryOp STEP = of("STEP");
  /** 1 where x > 0, else {@code param} (leaky_relu′). */
  public static final UnaryOp LEAKY_STEP = of("LEAKY_STEP");
  /** −1, 0 or 1 (abs′ with abs′(0) = 0). */
  public static final UnaryOp SIGN = of("SIGN");

  private final String name;

  private UnaryOp(String name) {
    this.name = name;
  }

  /** The op called {@code name} (upper case by convention); the same object for the same name. */
  public static UnaryOp of(String name) {
    return ALL.computeIfAbsent(name, UnaryOp::new);
  }

  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
