package dev.nnc.prim;

import static dev.nnc.prim.Symbol.Style.CALL;

import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.LayerOp;
import dev.nnc.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The layer family of the registry (LANGUAGE.md §10, convolution and pooling): conv2d, maxpool, avgpool, flatten and
 * the adjoint ops their rules build. Layout NCHW as PyTorch. Every rule stays in the family:
 * <ul>
 *   <li>the three convolution ops are ∂T/∂G, ∂T/∂X and ∂T/∂K of {@code T = Σ X[b,c,is+u−p,js+v−p]·K[f,c,u,v]·
 *       G[b,f,i,j]}, so each one's adjoints are the other two (the input adjoint of conv2d is a transposed convolution
 *       of ∂L/∂Y with the kernel: a full convolution with the flipped kernel; the kernel adjoint is a correlation of the
 *       input with ∂L/∂Y);
 *   <li>maxpool routes ∂L/∂Y to the argmax of each window ({@code maxpool_route}); ties go to the first maximum in
 *       row-major window order, as PyTorch's CPU kernel, and a NaN in a window is its maximum. Route and its transpose
 *       {@code maxpool_pick} are linear in their second operand and piecewise constant in the first;
 *   <li>avgpool spreads ∂L/∂Y evenly over each window; flatten is a reshape (row-major order kept).
 * </ul>
 */
final class Layers {
  private Layers() {}

  private static Symbol call(String name) {
    return new Symbol(CALL, name, name, "\\operatorname{" + name.replace("_", "\\_") + "}");
  }

  static List<LayerPrim> entries() {
    List<LayerPrim> l = new ArrayList<>();
    l.add(new LayerPrim(LayerOp.CONV2D, List.of("conv2d"), ShapeRule.CONVOLUTION,
        (a, e, ints, out) -> convolve(LayerOp.CONV2D, a, e, ints, out),
        (k, y, dY, w) -> new Expr[] {
            w[0] ? layer(k, LayerOp.CONV2D_INPUT, y, y.args().get(0).shape(), dY, y.args().get(1)) : null,
            w[1] ? layer(k, LayerOp.CONV2D_KERNEL, y, y.args().get(1).shape(), y.args().get(0), dY) : null},
        Layers::bilinearJvp, convEmission("conv2d", "Y[b,f,i,j] = Σ X[b,c,is+u−p,js+v−p]·K[f,c,u,v] (conv2d, NCHW): "
            + "per image, the input's windows laid out as the columns of a (C·KH·KW)×(OH·OW) matrix (im2col), "
            + "multiplied by K as an F×(C·KH·KW) matrix.",
            List.of("y", "x", "k"), CONV2D_BODY,
            List.of("col", "z"), List.of(COL, FILTER_MAP), false, false, List.of(FILTERS, WINDOW, PIXELS)),
        call("conv2d"), Domain.REAL));
    l.add(new LayerPrim(LayerOp.CONV2D_INPUT, List.of(), ShapeRule.GIVEN,
        (a, e, ints, out) -> convolve(LayerOp.CONV2D_INPUT, a, e, ints, out),
        (k, y, dY, w) -> new Expr[] {
            w[0] ? layer(k, LayerOp.CONV2D, y, y.args().get(0).shape(), dY, y.args().get(1)) : null,
            w[1] ? layer(k, LayerOp.CONV2D_KERNEL, y, y.args().get(1).shape(), dY, y.args().get(0)) : null},
        Layers::bilinearJvp, convEmission("convTranspose2d",
            "dX[b,c,h,w] = Σ G[b,f,i,j]·K[f,c,u,v] over is+u−p = h, js+v−p = w: conv2d's adjoint for its input "
                + "(a full convolution with the flipped kernel): per image, Kᵀ·G as a (C·KH·KW)×(OH·OW) matrix of "
                + "window columns, each added back where its window lies (col2im).",
            List.of("x", "g", "k"), CONV2D_INPUT_BODY,
            List.of("gb", "col"), List.of(FILTER_MAP, COL), true, false, List.of(WINDOW, FILTERS, PIXELS)),
        call("conv_transpose2d"), Domain.REAL));
    l.add(new LayerPrim(LayerOp.CONV2D_KERNEL, List.of(), ShapeRule.GIVEN,
        (a, e, ints, out) -> convolve(LayerOp.CONV2D_KERNEL, a, e, ints, out),
        (k, y, dY, w) -> new Expr[] {
            w[0] ? layer(k, LayerOp.CONV2D_INPUT, y, y.args().get(0).shape(), y.args().get(1), dY) : null,
            w[1] ? layer(k, LayerOp.CONV2D, y, y.args().get(1).shape(), y.args().get(0), dY) : null},
        Layers::bilinearJvp, convEmission("conv2dWeight",
            "dK[f,c,u,v] = Σ G[b,f,i,j]·X[b,c,is+u−p,js+v−p]: conv2d's adjoint for its kernel (a correlation): the "
                + "sum over images of G·colᵀ, col the image's windows as columns (im2col).",
            List.of("k", "x", "g"), CONV2D_KERNEL_BODY,
            List.of("col", "gb", "z"), List.of(COL, FILTER_MAP, KERNEL), false, true, List.of(FILTERS, PIXELS, WINDOW)),
        call("conv2d_weight"), Domain.REAL));

    l.add(new LayerPrim(LayerOp.MAXPOOL, List.of("maxpool"), ShapeRule.POOL,
        (a, e, ints, out) -> pool(LayerOp.MAXPOOL, a, e, ints, out),
        (k, y, dY, w) -> new Expr[] {
            w[0] ? layer(k, LayerOp.MAXPOOL_ROUTE, y, y.args().get(0).shape(), y.args().get(0), dY) : null},
        (k, y, t) -> t.get(0) == null ? null
            : layer(k, LayerOp.MAXPOOL_PICK, (Expr.Layer) y, y.shape(), ((Expr.Layer) y).args().get(0), t.get(0)),
        poolEmission("maxpool", "The maximum of each k×k window of the last two axes (the first one on ties; NaN wins).",
            List.of("y", "x"), MAXPOOL_BODY), call("maxpool"), Domain.REAL));
    l.add(new LayerPrim(LayerOp.MAXPOOL_ROUTE, List.of(), ShapeRule.GIVEN,
        (a, e, ints, out) -> pool(LayerOp.MAXPOOL_ROUTE, a, e, ints, out),
        (k, y, dY, w) -> new Expr[] {null,
            w[1] ? layer(k, LayerOp.MAXPOOL_PICK, y, y.args().get(1).shape(), y.args().get(0), dY) : null},
        Layers::linearInSecondJvp, poolEmission("maxpoolRoute",
            "maxpool's adjoint: each entry of g goes to the argmax of its window of x (zero elsewhere).",
            List.of("z", "x", "g"), MAXPOOL_ROUTE_BODY), call("maxpool_route"), Domain.REAL));
    l.add(new LayerPrim(LayerOp.MAXPOOL_PICK, List.of(), ShapeRule.GIVEN,
        (a, e, ints, out) -> pool(LayerOp.MAXPOOL_PICK, a, e, ints, out),
        (k, y, dY, w) -> new Expr[] {null,
            w[1] ? layer(k, LayerOp.MAXPOOL_ROUTE, y, y.args().get(1).shape(), y.args().get(0), dY) : null},
        Layers::linearInSecondJvp, poolEmission("maxpoolPick",
            "The entry of a at the argmax of each window of x (maxpool's tangent; the adjoint of maxpoolRoute).",
            List.of("y", "x", "a"), MAXPOOL_PICK_BODY), call("maxpool_pick"), Domain.REAL));
    l.add(new LayerPrim(LayerOp.AVGPOOL, List.of("avgpool"), ShapeRule.POOL,
        (a, e, ints, out) -> pool(LayerOp.AVGPOOL, a, e, ints, out),
        (k, y, dY, w) -> new Expr[] {w[0] ? layer(k, LayerOp.AVGPOOL_SPREAD, y, y.args().get(0).shape(), dY) : null},
        Layers::linearJvp, poolEmission("avgpool", "The mean of each k×k window of the last two axes.",
            List.of("y", "x"), AVGPOOL_BODY), call("avgpool"), Domain.REAL));
    l.add(new LayerPrim(LayerOp.AVGPOOL_SPREAD, List.of(), ShapeRule.GIVEN,
        (a, e, ints, out) -> pool(LayerOp.AVGPOOL_SPREAD, a, e, ints, out),
        (k, y, dY, w) -> new Expr[] {w[0] ? layer(k, LayerOp.AVGPOOL, y, y.args().get(0).shape(), dY) : null},
        Layers::linearJvp, poolEmission("avgpoolSpread", "avgpool's adjoint: each entry of g spread over its window, ÷k².",
            List.of("z", "g"), AVGPOOL_SPREAD_BODY), call("avgpool_spread"), Domain.REAL));
    l.add(new LayerPrim(LayerOp.RESHAPE, List.of("flatten"), ShapeRule.FLATTEN,
        (a, e, ints, out) -> a.get(0).clone(),
        (k, y, dY, w) -> new Expr[] {w[0] ? layer(k, LayerOp.RESHAPE, y, y.args().get(0).shape(), dY) : null},
        Layers::linearJvp,
        new LayerPrim.Emission("reshape", List.of("y", "x"), List.of("n"), (in, out, ints) -> List.of(List.<Object>copyOf(out.dims())),
            "The same entries under another shape (row-major order kept).", "System.arraycopy(x, 0, y, 0, n);"),
        call("reshape"), Domain.REAL));
    // h[T], the last state of a recurrence (docs/language.md): a slice along axis 0, and its adjoint.
    l.add(new LayerPrim(LayerOp.LAST_STEP, List.of(), ShapeRule.GIVEN,
        (a, e, ints, out) -> {
          int n = e.get(0)[0];
          int s = a.get(0).length / n;
          return java.util.Arrays.copyOfRange(a.get(0), (n - 1) * s, n * s);
        },
        (k, y, dY, w) -> new Expr[] {w[0] ? layer(k, LayerOp.LAST_STEP_SPREAD, y, y.args().get(0).shape(), dY) : null},
        Layers::linearJvp,
        new LayerPrim.Emission("lastStep", List.of("y", "x"), List.of("n", "s"),
            (in, out, ints) -> List.of(List.<Object>of(in.get(0).dim(0)), withOne(out.dims())),
            "The last step of x, a sequence of n steps of s entries each (h[T]).",
            "System.arraycopy(x, (n - 1) * s, y, 0, s);"),
        call("last_step"), Domain.REAL));
    l.add(new LayerPrim(LayerOp.LAST_STEP_SPREAD, List.of(), ShapeRule.GIVEN,
        (a, e, ints, out) -> {
          int s = a.get(0).length;
          double[] y = new double[out[0] * s];
          System.arraycopy(a.get(0), 0, y, (out[0] - 1) * s, s);
          return y;
        },
        (k, y, dY, w) -> new Expr[] {w[0] ? layer(k, LayerOp.LAST_STEP, y, y.args().get(0).shape(), dY) : null},
        Layers::linearJvp,
        new LayerPrim.Emission("lastStepSpread", List.of("y", "g"), List.of("n", "s"),
            (in, out, ints) -> List.of(List.<Object>of(out.dim(0)), withOne(in.get(0).dims())),
            "The adjoint of lastStep: g at the last of n steps of s entries each, zeros before it.",
            "for (int i = 0; i < (n - 1) * s; i++) y[i] = 0;\nSystem.arraycopy(g, 0, y, (n - 1) * s, s);"),
        call("last_step_spread"), Domain.REAL));
    return l;
  }

  /** The factors of a size: the dims, or 1 for a scalar. */
  private static List<Object> withOne(List<dev.nnc.ir.Dim> dims) {
    List<Object> f = new ArrayList<>(dims);
    if (f.isEmpty()) f.add(1);
    return f;
  }

  /** The node {@code op(args)} with {@code y}'s geometry and the given shape. */
  private static Expr layer(RuleKit k, LayerOp op, Expr.Layer y, Shape shape, Expr... args) {
    return k.g.layer(op, List.of(args), y.ints(), shape);
  }

  /** A bilinear op's tangent: op(ȧ, b) + op(a, ḃ). */
  private static Expr bilinearJvp(RuleKit k, Expr y, List<Expr> t) {
    Expr.Layer l = (Expr.Layer) y;
    Expr a = l.args().get(0);
    Expr b = l.args().get(1);
    Expr da = t.get(0) == null ? null : layer(k, l.op(), l, l.shape(), t.get(0), b);
    Expr db = t.get(1) == null ? null : layer(k, l.op(), l, l.shape(), a, t.get(1));
    return da == null ? db : db == null ? da : k.g.add(da, db);
  }

  /** A linear op's tangent: the op of the tangent. */
  private static Expr linearJvp(RuleKit k, Expr y, List<Expr> t) {
    Expr.Layer l = (Expr.Layer) y;
    return t.get(0) == null ? null : layer(k, l.op(), l, l.shape(), t.get(0));
  }

  /** Route and pick: linear in the second operand, piecewise constant (derivative 0) in the first. */
  private static Expr linearInSecondJvp(RuleKit k, Expr y, List<Expr> t) {
    Expr.Layer l = (Expr.Layer) y;
    return t.get(1) == null ? null : layer(k, l.op(), l, l.shape(), l.args().get(0), t.get(1));
  }

  // ---- geometry ------------------------------------------------------------------------------------

  /** {X, K, Y} of a convolution op, from its operands and result (each op has two of them as operands). */
  static <T> List<T> convRoles(LayerOp op, List<T> args, T out) {
    return switch (op) {
      case CONV2D -> List.of(args.get(0), args.get(1), out);
      case CONV2D_INPUT -> List.of(out, args.get(1), args.get(0));
      case CONV2D_KERNEL -> List.of(args.get(0), out, args.get(1));
      default -> throw new IllegalArgumentException(op + " is not a convolution");
    };
  }

  /** The shape X of a pooling op (the input whose windows are pooled). */
  static <T> T poolInput(LayerOp op, List<T> args, T out) {
    return op == LayerOp.AVGPOOL_SPREAD ? out : args.get(0);
  }

  // The sizes of a convolution's im2col products, as dims of its X[B, C, H, W], K[F, C, KH, KW] and Y[B, F, OH, OW].
  private interface Sizes {
    List<Dim> of(Shape x, Shape k, Shape y);
  }

  /** C·KH·KW: one window, a row of the im2col matrix. */
  private static final Sizes WINDOW = (x, k, y) -> List.of(k.dim(1), k.dim(2), k.dim(3));
  /** OH·OW: the output pixels of one image and filter, a column of the im2col matrix. */
  private static final Sizes PIXELS = (x, k, y) -> List.of(y.dim(2), y.dim(3));
  private static final Sizes FILTERS = (x, k, y) -> List.of(k.dim(0));
  /** The im2col matrix of one image: (C·KH·KW)×(OH·OW). */
  private static final Sizes COL = (x, k, y) -> List.of(k.dim(1), k.dim(2), k.dim(3), y.dim(2), y.dim(3));
  /** One image's output (or its gradient): F×(OH·OW). */
  private static final Sizes FILTER_MAP = (x, k, y) -> List.of(k.dim(0), y.dim(2), y.dim(3));
  private static final Sizes KERNEL = (x, k, y) -> k.dims();

  /** Sizes of a convolution op's call, from its operands and result (each op has two of X, K, Y as operands). */
  private static List<Dim> sizes(String emissionName, Sizes sizes, List<Shape> in, Shape out) {
    List<Shape> r = convRoles(op(emissionName), in, out);
    return sizes.of(r.get(0), r.get(1), r.get(2));
  }

  /**
   * A convolution's method: per image an im2col matrix and one product through the class's kernels
   * ({@code transA}, {@code transB}, of sizes {@code mkn}), with the buffers {@code scratch} of sizes {@code shapes}.
   */
  private static LayerPrim.Emission convEmission(String name, String doc, List<String> arrays, String body,
      List<String> scratch, List<Sizes> shapes, boolean transA, boolean transB, List<Sizes> mkn) {
    List<LayerPrim.Scratch> buffers = new ArrayList<>();
    for (int i = 0; i < scratch.size(); i++) {
      Sizes sz = shapes.get(i);
      buffers.add(new LayerPrim.Scratch(scratch.get(i), (in, out, ints) -> new Shape(sizes(name, sz, in, out))));
    }
    LayerPrim.Product product = new LayerPrim.Product(transA, transB, (in, out, ints) -> {
      List<List<Object>> f = new ArrayList<>();
      for (Sizes sz : mkn) f.add(List.<Object>copyOf(sizes(name, sz, in, out)));
      return f;
    });
    return new LayerPrim.Emission(name, arrays, List.of("B", "C", "H", "W", "F", "KH", "KW", "OH", "OW", "s", "p"),
        (in, out, ints) -> {
          List<Shape> r = convRoles(op(name), in, out);
          Shape x = r.get(0);
          Shape k = r.get(1);
          Shape y = r.get(2);
          List<List<Object>> a = new ArrayList<>();
          for (Dim d : x.dims()) a.add(List.of(d));
          a.add(List.of(k.dim(0)));
          a.add(List.of(k.dim(2)));
          a.add(List.of(k.dim(3)));
          a.add(List.of(y.dim(2)));
          a.add(List.of(y.dim(3)));
          a.add(List.of(ints.get(0)));
          a.add(List.of(ints.get(1)));
          return a;
        }, doc, body, buffers, List.of(product));
  }

  private static LayerOp op(String emissionName) {
    return switch (emissionName) {
      case "conv2d" -> LayerOp.CONV2D;
      case "convTranspose2d" -> LayerOp.CONV2D_INPUT;
      case "conv2dWeight" -> LayerOp.CONV2D_KERNEL;
      case "avgpoolSpread" -> LayerOp.AVGPOOL_SPREAD;
      default -> LayerOp.MAXPOOL; // every other pooling op pools its first operand
    };
  }

  private static LayerPrim.Emission poolEmission(String name, String doc, List<String> arrays, String body) {
    return new LayerPrim.Emission(name, arrays, List.of("N", "H", "W", "k"), (in, out, ints) -> {
      Shape x = poolInput(op(name), in, out);
      int r = x.rank();
      List<Object> n = new ArrayList<>(x.dims().subList(0, r - 2));
      if (n.isEmpty()) n.add(1);
      return List.of(n, List.of(x.dim(r - 2)), List.of(x.dim(r - 1)), List.of(ints.get(0)));
    }, doc, body);
  }

  // ---- reference semantics (the definitions, for the interpreter) ------------------------------------

  private interface Visit {
    void at(int x, int k, int y);
  }

  /** Every term of the trilinear form: positions in X, K and Y of each product X·K that reaches Y. */
  private static void terms(int[] xe, int[] ke, int[] ye, int s, int p, Visit visit) {
    int bs = xe[0], cs = xe[1], hs = xe[2], ws = xe[3], fs = ke[0], khs = ke[2], kws = ke[3], ohs = ye[2], ows = ye[3];
    for (int b = 0; b < bs; b++) {
      for (int f = 0; f < fs; f++) {
        for (int i = 0; i < ohs; i++) {
          for (int j = 0; j < ows; j++) {
            for (int c = 0; c < cs; c++) {
              for (int u = 0; u < khs; u++) {
                for (int v = 0; v < kws; v++) {
                  int h = i * s + u - p;
                  int w = j * s + v - p;
                  if (h < 0 || h >= hs || w < 0 || w >= ws) continue; // zero padding
                  visit.at(((b * cs + c) * hs + h) * ws + w, ((f * cs + c) * khs + u) * kws + v,
                      ((b * fs + f) * ohs + i) * ows + j);
                }
              }
            }
          }
        }
      }
    }
  }

  private static double[] convolve(LayerOp op, List<double[]> args, List<int[]> extents, List<Integer> ints,
      int[] out) {
    List<int[]> r = convRoles(op, extents, out);
    int n = 1;
    for (int d : out) n *= d;
    double[] z = new double[n];
    double[] a = args.get(0);
    double[] b = args.get(1);
    switch (op) {
      case CONV2D -> terms(r.get(0), r.get(1), r.get(2), ints.get(0), ints.get(1), (x, k, y) -> z[y] += a[x] * b[k]);
      case CONV2D_INPUT -> terms(r.get(0), r.get(1), r.get(2), ints.get(0), ints.get(1),
          (x, k, y) -> z[x] += a[y] * b[k]);
      default -> terms(r.get(0), r.get(1), r.get(2), ints.get(0), ints.get(1), (x, k, y) -> z[k] += a[x] * b[y]);
    }
    return z;
  }

  private static double[] pool(LayerOp op, List<double[]> args, List<int[]> extents, List<Integer> ints, int[] out) {
    int[] xe = poolInput(op, extents, out);
    int r = xe.length;
    int hs = xe[r - 2];
    int ws = xe[r - 1];
    int k = ints.get(0);
    int ns = 1;
    for (int i = 0; i < r - 2; i++) ns *= xe[i];
    int oh = hs / k;
    int ow = ws / k;
    int size = 1;
    for (int d : out) size *= d;
    double[] z = new double[size];
    for (int n = 0; n < ns; n++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          int o = (n * oh + i) * ow + j;
          int arg = -1;
          double best = 0;
          double sum = 0;
          for (int u = 0; u < k; u++) {
            for (int v = 0; v < k; v++) {
              int at = (n * hs + i * k + u) * ws + j * k + v;
              switch (op) {
                case AVGPOOL -> sum += args.get(0)[at];
                case AVGPOOL_SPREAD -> z[at] = args.get(0)[o] / (k * k);
                default -> {
                  double e = args.get(0)[at];
                  if (arg < 0 || e > best || (e != e && best == best)) {
                    arg = at;
                    best = e;
                  }
                }
              }
            }
          }
          switch (op) {
            case MAXPOOL -> z[o] = best;
            case MAXPOOL_ROUTE -> z[arg] = args.get(1)[o];
            case MAXPOOL_PICK -> z[o] = args.get(1)[arg];
            case AVGPOOL -> z[o] = sum / (k * k);
            default -> { }
          }
        }
      }
    }
    return z;
  }

  // ---- generated Java (padding bounds hoisted, stride 1 unstrided; convolutions as im2col products; nothing allocated) ----

  /** The output rows i whose input row i·s + u − p is inside [0, H) (and likewise j for columns). */
  private static final String ROWS = "int i0 = Math.max(0, (p - u + s - 1) / s);\n"
      + "int i1 = Math.min(OH, Math.floorDiv(H - 1 + p - u, s) + 1);\n";
  private static final String COLS = "int j0 = Math.max(0, (p - v + s - 1) / s);\n"
      + "int j1 = Math.min(OW, Math.floorDiv(W - 1 + p - v, s) + 1);\n";

  /**
   * im2col of image b: row (c, u, v) of col, OH·OW long, holds X[b, c, i·s + u − p, j·s + v − p] at column (i, j),
   * zero where that lies in the padding. Rows of the image are copied whole at stride 1.
   */
  private static final String IM2COL = "for (int c = 0; c < C; c++) {\n"
      + "  int xo = (b * C + c) * hw;\n"
      + "  for (int u = 0; u < KH; u++) {\n"
      + indent(ROWS, 4)
      + "    for (int v = 0; v < KW; v++) {\n"
      + indent(COLS, 6)
      + "      int ja = Math.min(j0, OW), jb = Math.max(ja, j1);\n"
      + "      int ro = ((c * KH + u) * KW + v) * ohw;\n"
      + "      for (int i = 0; i < OH; i++) {\n"
      + "        int cr = ro + i * OW;\n"
      + "        if (i < i0 || i >= i1 || jb == ja) {\n"
      + "          for (int j = 0; j < OW; j++) col[cr + j] = 0.0;\n"
      + "          continue;\n"
      + "        }\n"
      + "        int xr = xo + (i * s + u - p) * W + v - p;\n"
      + "        for (int j = 0; j < ja; j++) col[cr + j] = 0.0;\n"
      + "        if (s == 1) {\n"
      + "          System.arraycopy(x, xr + ja, col, cr + ja, jb - ja);\n"
      + "        } else {\n"
      + "          for (int j = ja; j < jb; j++) col[cr + j] = x[xr + j * s];\n"
      + "        }\n"
      + "        for (int j = jb; j < OW; j++) col[cr + j] = 0.0;\n"
      + "      }\n"
      + "    }\n"
      + "  }\n"
      + "}\n";

  private static final String SIZES = "int hw = H * W, ohw = OH * OW, ckk = C * KH * KW, fo = F * ohw;\n";

  private static final String CONV2D_BODY = SIZES
      + "for (int b = 0; b < B; b++) {\n"
      + indent(IM2COL, 2)
      + "  matmulNN(k, col, z, F, ckk, ohw);\n"
      + "  System.arraycopy(z, 0, y, b * fo, fo);\n"
      + "}\n";

  private static final String CONV2D_KERNEL_BODY = SIZES
      + "for (int q = 0; q < F * ckk; q++) k[q] = 0.0;\n"
      + "for (int b = 0; b < B; b++) {\n"
      + indent(IM2COL, 2)
      + "  System.arraycopy(g, b * fo, gb, 0, fo);\n"
      + "  matmulNT(gb, col, z, F, ohw, ckk);\n"
      + "  for (int q = 0; q < F * ckk; q++) k[q] += z[q];\n"
      + "}\n";

  /** col = Kᵀ·G for image b, then each window column added back where its window lies (col2im). */
  private static final String CONV2D_INPUT_BODY = SIZES
      + "for (int q = 0; q < B * C * hw; q++) x[q] = 0.0;\n"
      + "for (int b = 0; b < B; b++) {\n"
      + "  System.arraycopy(g, b * fo, gb, 0, fo);\n"
      + "  matmulTN(k, gb, col, ckk, F, ohw);\n"
      + "  for (int c = 0; c < C; c++) {\n"
      + "    int xo = (b * C + c) * hw;\n"
      + "    for (int u = 0; u < KH; u++) {\n"
      + indent(ROWS, 6)
      + "      for (int v = 0; v < KW; v++) {\n"
      + indent(COLS, 8)
      + "        int ro = ((c * KH + u) * KW + v) * ohw;\n"
      + "        for (int i = i0; i < i1; i++) {\n"
      + "          int cr = ro + i * OW, xr = xo + (i * s + u - p) * W + v - p;\n"
      + "          if (s == 1) {\n"
      + "            for (int j = j0; j < j1; j++) x[xr + j] += col[cr + j];\n"
      + "          } else {\n"
      + "            for (int j = j0; j < j1; j++) x[xr + j * s] += col[cr + j];\n"
      + "          }\n"
      + "        }\n"
      + "      }\n"
      + "    }\n"
      + "  }\n"
      + "}\n";

  /** The loop over windows shared by the pooling bodies; {@code inner} runs once per window with {@code base}, {@code o}. */
  private static String windows(String inner) {
    return "int oh = H / k, ow = W / k;\n"
        + "for (int n = 0; n < N; n++) {\n"
        + "  for (int i = 0; i < oh; i++) {\n"
        + "    for (int j = 0; j < ow; j++) {\n"
        + "      int base = (n * H + i * k) * W + j * k, o = (n * oh + i) * ow + j;\n"
        + indent(inner, 6)
        + "    }\n"
        + "  }\n"
        + "}\n";
  }

  /** Finds {@code arg}, the first position of the window's maximum (a NaN, if any, is the maximum). */
  private static final String ARGMAX = "int arg = base;\n"
      + "double best = x[base];\n"
      + "for (int u = 0; u < k; u++) {\n"
      + "  for (int v = 0; v < k; v++) {\n"
      + "    double e = x[base + u * W + v];\n"
      + "    if (e > best || (e != e && best == best)) {\n"
      + "      best = e;\n"
      + "      arg = base + u * W + v;\n"
      + "    }\n"
      + "  }\n"
      + "}\n";

  /** {@link #ARGMAX} for 2×2 windows, the usual size, without the loops over the window (same order, same result). */
  private static final String ARGMAX2 = "int arg = base;\n"
      + "double best = x[base];\n"
      + "for (int q = 1; q < 4; q++) {\n"
      + "  int at = base + (q >> 1) * W + (q & 1);\n"
      + "  double e = x[at];\n"
      + "  if (e > best || (e != e && best == best)) {\n"
      + "    best = e;\n"
      + "    arg = at;\n"
      + "  }\n"
      + "}\n";

  /** The windows loop with the 2×2 case on its own path (C2 unrolls its fixed four entries): {@code tail} after arg. */
  private static String argmaxWindows(String tail, String tail2) {
    return "if (k == 2) {\n" + indent(windows(ARGMAX2 + tail2), 2) + "} else {\n" + indent(windows(ARGMAX + tail), 2)
        + "}\n";
  }

  private static final String MAXPOOL_BODY = argmaxWindows("y[o] = best;\n", "y[o] = best;\n");
  /** The windows tile x (the checker requires it), so zeroing each window's entries zeroes all of z, in one pass. */
  private static final String MAXPOOL_ROUTE_BODY = argmaxWindows(
      "for (int u = 0; u < k; u++) {\n"
          + "  for (int v = 0; v < k; v++) z[base + u * W + v] = 0.0;\n"
          + "}\n"
          + "z[arg] = g[o];\n",
      "z[base] = 0.0;\nz[base + 1] = 0.0;\nz[base + W] = 0.0;\nz[base + W + 1] = 0.0;\nz[arg] = g[o];\n");
  private static final String MAXPOOL_PICK_BODY = argmaxWindows("y[o] = a[arg];\n", "y[o] = a[arg];\n");
  private static final String AVGPOOL_BODY = windows("double sum = 0.0;\n"
      + "for (int u = 0; u < k; u++) {\n"
      + "  for (int v = 0; v < k; v++) sum += x[base + u * W + v];\n"
      + "}\n"
      + "y[o] = sum / (k * k);\n");
  private static final String AVGPOOL_SPREAD_BODY = windows("double share = g[o] / (k * k);\n"
      + "for (int u = 0; u < k; u++) {\n"
      + "  for (int v = 0; v < k; v++) z[base + u * W + v] = share;\n"
      + "}\n");

  private static String indent(String lines, int spaces) {
    StringBuilder b = new StringBuilder();
    for (String line : lines.split("\n", -1)) {
      if (line.isEmpty()) continue;
      b.append(" ".repeat(spaces)).append(line).append('\n');
    }
    return b.toString();
  }
}
