package dev.nnc.check;

import dev.nnc.ast.Arg;
import dev.nnc.ast.Expr.Call;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Span;
import dev.nnc.ir.Dim;
import dev.nnc.ir.Expr;
import dev.nnc.ir.Graph;
import dev.nnc.ir.LayerOp;
import dev.nnc.ir.Shape;
import dev.nnc.prim.LayerPrim;
import dev.nnc.prim.ShapeRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers the layer family (LANGUAGE.md §10): {@code conv2d(X, K, stride=s, padding=p)}, {@code maxpool(X, k)},
 * {@code avgpool(X, k)}, {@code flatten(X)}, with their shape rules. Computed sizes are literal dims, so a declared
 * shape may name them as numbers ({@code W3[256, 10]}) and a mismatch is the usual shape error naming the computed size.
 */
final class LayerLowering {
  private final ExprLowerer lowerer;
  private final Graph graph;
  private final Diagnostics diags;

  LayerLowering(ExprLowerer lowerer, Graph graph, Diagnostics diags) {
    this.lowerer = lowerer;
    this.graph = graph;
    this.diags = diags;
  }

  Expr lower(Builtins.Builtin fn, Call c) {
    LayerPrim p = fn.layer();
    String name = fn.canonical();
    Span at = c.function().span();
    List<Arg> positional = new ArrayList<>();
    Map<String, Arg> named = new LinkedHashMap<>();
    List<String> allowed = p.shape() == ShapeRule.CONVOLUTION ? List.of("stride", "padding") : List.of();
    boolean ok = true;
    for (Arg a : c.args()) {
      if (a.name() == null) {
        positional.add(a);
      } else if (!allowed.contains(a.name().id()) || named.containsKey(a.name().id())) {
        String what = named.containsKey(a.name().id()) ? a.name().spelling() + "= is given twice"
            : "'" + name + "' takes no argument named '" + a.name().spelling() + "'";
        diags.error(Code.WRONG_ARGUMENTS, a.name().span(), what, "use " + fn.usage());
        ok = false;
      } else {
        named.put(a.name().id(), a);
      }
    }
    int wanted = p.shape() == ShapeRule.FLATTEN ? 1 : 2;
    if (positional.size() != wanted) {
      diags.error(Code.WRONG_ARGUMENTS, at, "'" + name + "' takes " + wanted + " positional argument"
          + (wanted == 1 ? "" : "s") + ", got " + positional.size(), "use " + fn.usage());
      return null;
    }
    int operands = p.shape() == ShapeRule.CONVOLUTION ? 2 : 1;
    List<Expr> xs = new ArrayList<>();
    for (int i = 0; i < operands; i++) xs.add(lowerer.lower(positional.get(i).value()));
    Integer stride = 1;
    Integer padding = 0;
    Integer window = null;
    if (p.shape() == ShapeRule.CONVOLUTION) {
      if (named.containsKey("stride")) stride = count(named.get("stride"), 1, "stride", fn);
      if (named.containsKey("padding")) padding = count(named.get("padding"), 0, "padding", fn);
    } else if (p.shape() == ShapeRule.POOL) {
      window = count(positional.get(1), 1, "window size", fn);
    }
    if (stride == null || padding == null || (p.shape() == ShapeRule.POOL && window == null)) ok = false;
    for (Expr x : xs) if (x == null) ok = false;
    if (!ok) return null;
    return switch (p.shape()) {
      case CONVOLUTION -> conv(name, at, xs.get(0), xs.get(1), positional, stride, padding);
      case POOL -> pool(p.op(), name, at, xs.get(0), positional.get(0), window);
      default -> flatten(name, at, xs.get(0), positional.get(0));
    };
  }

  /** An integer literal ≥ {@code min}, or null after reporting E0205. */
  private Integer count(Arg a, int min, String what, Builtins.Builtin fn) {
    Integer v = ExprLowerer.integerLiteral(a.value());
    if (v == null || v < min) {
      diags.error(Code.WRONG_ARGUMENTS, a.value().span(), fn.canonical() + "'s " + what + " must be an integer literal"
          + (min == 0 ? " ≥ 0" : " ≥ 1"), "use " + fn.usage());
      return null;
    }
    return v;
  }

  private boolean rank(Expr x, int rank, String name, String role, Arg a) {
    if (x.shape().rank() == rank) return true;
    diags.error(Code.UNSUPPORTED_RANK, a.value().span(), name + "'s " + role + " must have rank " + rank + " (NCHW), not "
        + Shapes.describe(x.shape()), role.equals("input") ? "write the input as [B, C, H, W]; one image is [1, C, H, W]"
        : "write the kernel as [F, C, KH, KW]: F filters over C channels");
    return false;
  }

  /** The size of a spatial axis, or -1 after reporting that it must be known (a computed size needs numbers). */
  private int known(Dim d, String axis, String name, Span at, Shape shape) {
    if (!d.isFree()) return d.size();
    diags.error(Code.LAYER_NEEDS_KNOWN_SIZE, at, name + " needs a known size for " + axis + " of " + Shapes.describe(shape)
        + ", but '" + d.name() + "' is a free dim", "fix it with 'dim " + d.name() + " = …' or write a number");
    return -1;
  }

  private Expr conv(String name, Span at, Expr x, Expr k, List<Arg> args, int s, int p) {
    if (!rank(x, 4, name, "input", args.get(0)) | !rank(k, 4, name, "kernel", args.get(1))) return null;
    Shape xs = x.shape();
    Shape ks = k.shape();
    if (!xs.dim(1).sameExtent(ks.dim(1))) {
      diags.error(Code.LAYER_CHANNELS, at, name + ": the input " + Shapes.describe(xs) + " has " + Shapes.describe(xs.dim(1))
          + " channels (axis 1) but the kernel " + Shapes.describe(ks) + " expects " + Shapes.describe(ks.dim(1)),
          "the kernel is [F, C, KH, KW] with C the input's channels");
      return null;
    }
    int h = known(xs.dim(2), "the height (axis 2)", name, at, xs);
    int w = known(xs.dim(3), "the width (axis 3)", name, at, xs);
    int kh = known(ks.dim(2), "the kernel height (axis 2)", name, at, ks);
    int kw = known(ks.dim(3), "the kernel width (axis 3)", name, at, ks);
    if (h < 0 || w < 0 || kh < 0 || kw < 0) return null;
    if (h + 2 * p < kh || w + 2 * p < kw) {
      diags.error(Code.LAYER_WINDOW_DOES_NOT_FIT, at, name + ": the kernel " + kh + "×" + kw + " is larger than the input "
          + h + "×" + w + (p > 0 ? " padded by " + p : ""), "use a smaller kernel or more padding");
      return null;
    }
    int oh = (h + 2 * p - kh) / s + 1;
    int ow = (w + 2 * p - kw) / s + 1;
    Shape out = Shape.of(xs.dim(0), ks.dim(0), Dim.literal(oh), Dim.literal(ow));
    return graph.layer(LayerOp.CONV2D, List.of(x, k), List.of(s, p), out);
  }

  private Expr pool(LayerOp op, String name, Span at, Expr x, Arg arg, int k) {
    Shape xs = x.shape();
    int r = xs.rank();
    if (r < 2) {
      diags.error(Code.UNSUPPORTED_RANK, arg.value().span(), name + " pools the last two axes; "
          + Shapes.describe(xs) + " has fewer", "pool an image [B, C, H, W]");
      return null;
    }
    int h = known(xs.dim(r - 2), "axis " + (r - 2), name, at, xs);
    int w = known(xs.dim(r - 1), "axis " + (r - 1), name, at, xs);
    if (h < 0 || w < 0) return null;
    if (h % k != 0 || w % k != 0) {
      diags.error(Code.LAYER_WINDOW_DOES_NOT_FIT, at, name + ": " + k + "×" + k + " windows do not tile " + h + "×" + w
          + " (the last two axes of " + Shapes.describe(xs) + ")", "choose a window size that divides " + h + " and " + w);
      return null;
    }
    List<Dim> dims = new ArrayList<>(xs.dims().subList(0, r - 2));
    dims.add(Dim.literal(h / k));
    dims.add(Dim.literal(w / k));
    return graph.layer(op, List.of(x), List.of(k), new Shape(dims));
  }

  private Expr flatten(String name, Span at, Expr x, Arg arg) {
    Shape xs = x.shape();
    if (xs.rank() == 0) {
      diags.error(Code.UNSUPPORTED_RANK, arg.value().span(), name + " of a scalar", "flatten keeps axis 0 and joins the rest");
      return null;
    }
    if (xs.rank() <= 2) return x; // nothing to join
    long size = 1;
    for (int i = 1; i < xs.rank(); i++) {
      int n = known(xs.dim(i), "axis " + i, name, at, xs);
      if (n < 0) return null;
      size *= n;
    }
    if (size > Integer.MAX_VALUE) return null; // reported as E0306 by the size check of the operand
    return graph.layer(LayerOp.RESHAPE, List.of(x), List.of(), Shape.of(xs.dim(0), Dim.literal((int) size)));
  }
}
