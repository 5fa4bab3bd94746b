package dev.nnc.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.TypeName;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The element type of a generated class: every param, gradient, input, value and buffer is a {@code double} or a
 * {@code float}. In a float class, {@code + − · /}, {@code abs}, {@code max}, {@code min} and the product kernels run
 * in float (Java has them in float); {@code exp}, {@code log}, {@code tanh} and the other library functions exist only
 * in double, so an expression that calls one is evaluated in double and rounded to float once, when it is stored.
 * Hyperparameters (learning rates, weights of shards) stay {@code double} in both.
 */
public enum Precision {
  FLOAT64("double", "float64", "<f8", 8),
  FLOAT32("float", "float32", "<f4", 4);

  private final String java;
  private final String spelling;
  private final String npyDescr;
  private final int bytes;

  Precision(String java, String spelling, String npyDescr, int bytes) {
    this.java = java;
    this.spelling = spelling;
    this.npyDescr = npyDescr;
    this.bytes = bytes;
  }

  /** The spellings {@link #parse} accepts, for help texts and messages. */
  public static final String SPELLINGS = "float64 (or double), float32 (or float)";

  /** {@code float64}/{@code double} or {@code float32}/{@code float} (any case); null for anything else. */
  public static Precision parse(String text) {
    if (text == null) return null;
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "float64", "double", "f64":
        return FLOAT64;
      case "float32", "float", "f32":
        return FLOAT32;
      default:
        return null;
    }
  }

  /** As the CLI and the docs spell it: {@code float64} or {@code float32}. */
  public String spelling() {
    return spelling;
  }

  /** The Java element type: {@code double} or {@code float}. */
  public String java() {
    return java;
  }

  /** The NumPy dtype of a saved param: {@code <f8} or {@code <f4}. */
  public String npyDescr() {
    return npyDescr;
  }

  public int bytes() {
    return bytes;
  }

  boolean isFloat() {
    return this == FLOAT32;
  }

  TypeName type() {
    return isFloat() ? TypeName.FLOAT : TypeName.DOUBLE;
  }

  TypeName array() {
    return ArrayTypeName.of(type());
  }

  TypeName rows() {
    return ArrayTypeName.of(array());
  }

  /** The boxed class's name ({@code Double}, {@code Float}), for its constants. */
  String boxed() {
    return isFloat() ? "Float" : "Double";
  }

  /**
   * {@code expression} as a value of this element type: unchanged in a double class, or when it is already a float;
   * else cast to float (one rounding).
   */
  String narrow(String expression, boolean isDouble) {
    if (!isFloat() || !isDouble) return expression;
    return "(float) " + (JavaText.isPrimary(expression) ? expression : "(" + expression + ")");
  }

  /**
   * A constant of this element type: {@code 0.0} stays {@code 0.0} in a double class and becomes {@code 0.0f} in a
   * float one; {@code Double.NEGATIVE_INFINITY} becomes {@code Float.NEGATIVE_INFINITY}.
   */
  String constant(String doubleConstant) {
    if (!isFloat()) return doubleConstant;
    if (doubleConstant.startsWith("Double.")) return "Float." + doubleConstant.substring("Double.".length());
    return literal(Double.parseDouble(doubleConstant)).text();
  }

  private static final Pattern DOUBLE_WORD = Pattern.compile("\\bdouble\\b");
  private static final Pattern ZERO = Pattern.compile("\\b0\\.0\\b");

  /**
   * Code written once over double (the product kernels, the layer methods: fixed templates of nnc's own, never
   * model text) in this element type: in a float class the word {@code double} becomes {@code float} and the zero
   * {@code 0.0} becomes {@code 0.0f}.
   */
  String retype(String doubleCode) {
    if (!isFloat()) return doubleCode;
    String s = DOUBLE_WORD.matcher(doubleCode).replaceAll("float");
    return ZERO.matcher(s).replaceAll("0.0f");
  }

  /** A Java literal and whether its type is double. */
  record Literal(String text, boolean isDouble) {}

  /**
   * The literal for {@code v}: in a float class a float literal when {@code v} is a float exactly (0.5, 2, 1e-8f is
   * not), so that arithmetic with it stays in float; otherwise the double literal that reads back as {@code v}.
   */
  Literal literal(double v) {
    if (isFloat() && (float) v == v && !Double.isNaN(v)) {
      float f = (float) v;
      if (Float.isInfinite(f)) return new Literal(f > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY", false);
      return new Literal(Float.toString(f) + "f", false);
    }
    if (isFloat() && Double.isNaN(v)) return new Literal("Float.NaN", false);
    return new Literal(JavaText.literal(v), true);
  }
}
