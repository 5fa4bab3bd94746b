package dev.nnc.ir;

import dev.nnc.diag.Span;
import java.util.List;

/**
 * A checked model lowered to the IR: everything later stages need, with spans for messages and comments.
 * {@code values} are the model's assignments in definition order; each names a node of {@code graph}
 * (two names may name the same node). Broadcasting is explicit in the graph. {@code names} holds every name's
 * display spelling and Java identifier (derived from the other parts when not given).
 */
public record ModelIR(
    String name,
    String sourceName,
    Span span,
    List<DimInfo> dims,
    List<Leaf> inputs,
    List<Leaf> params,
    List<Value> values,
    List<String> outputs,
    String loss,
    Graph graph,
    NameTable names) {

  public ModelIR {
    dims = List.copyOf(dims);
    inputs = List.copyOf(inputs);
    params = List.copyOf(params);
    values = List.copyOf(values);
    outputs = List.copyOf(outputs);
    if (names == null) names = NameTable.of(name, dims, inputs, params, values, loss);
  }

  public ModelIR(String name, String sourceName, Span span, List<DimInfo> dims, List<Leaf> inputs, List<Leaf> params,
      List<Value> values, List<String> outputs, String loss, Graph graph) {
    this(name, sourceName, span, dims, inputs, params, values, outputs, loss, graph, null);
  }

  /** A dim; {@code size} is -1 when free (a constructor argument of the generated class). */
  public record DimInfo(String name, int size, Span span) {
    public boolean isFree() {
      return size < 0;
    }
  }

  /**
   * An input or param; {@code init} is null for inputs. {@code spelling} is the name as written. {@code onehot}:
   * an input declared {@code onehot} (every slice along its last axis is non-negative and sums to 1).
   */
  public record Leaf(Expr.Var var, String spelling, Init init, Span span, boolean onehot) {
    public Leaf(Expr.Var var, String spelling, Init init, Span span) {
      this(var, spelling, init, span, false);
    }

    public String name() {
      return var.name();
    }
  }

  /**
   * {@code name = expr}: the node, the statement's span, and the right-hand side exactly as written in the file
   * (several lines joined with single spaces, comments dropped), for comments and {@code nnc grad}.
   */
  public record Value(String name, String spelling, Expr node, String sourceText, Span span) {}

  /** A param initialiser; {@code a}/{@code b} are normal's mean/std or uniform's bounds (0 when unused). */
  public record Init(InitKind kind, double a, double b) {
    public static final Init ZEROS = new Init(InitKind.ZEROS, 0, 0);

    /**
     * The dims whose product is the fan-in of a param of this shape, for {@code xavier} and {@code he} (one rule for
     * the generated {@code initialize} and nnc's own draws). A product {@code x W} reads {@code W[I, O]} along its
     * first axes, so the fan-in of rank 1–3 is every axis but the last. A rank-4 param is a convolution kernel
     * {@code K[F, C, KH, KW]} (LANGUAGE.md §10), and there, as in PyTorch, each output reads {@code C·KH·KW} inputs.
     */
    public static List<Dim> fanInDims(Shape shape) {
      if (shape.rank() == 4) return List.copyOf(shape.dims().subList(1, 4));
      return shape.rank() <= 1 ? shape.dims() : List.copyOf(shape.dims().subList(0, shape.rank() - 1));
    }

    /** The dims whose product is the fan-out: the last axis, or {@code F·KH·KW} for a convolution kernel. */
    public static List<Dim> fanOutDims(Shape shape) {
      if (shape.rank() == 4) return List.of(shape.dim(0), shape.dim(2), shape.dim(3));
      return shape.rank() == 0 ? List.of() : List.of(shape.dim(shape.rank() - 1));
    }
  }

  public enum InitKind {
    ZEROS,
    NORMAL,
    UNIFORM,
    XAVIER,
    HE
  }

  public Value value(String name) {
    for (Value v : values) if (v.name().equals(name)) return v;
    return null;
  }

  public Value lossValue() {
    return value(loss);
  }
}
