package dev.nnc.codegen;

import dev.nnc.ir.Dim;
import dev.nnc.ir.JavaIdentifiers;
import dev.nnc.ir.ModelIR;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch dims of a model: free dims that no param's shape uses, each read from an input that has it once among
 * otherwise fixed dims ({@code X[B, I]} gives B = X.length / I). The constructor's value of such a dim is a capacity:
 * buffers are allocated for it, and every call of {@code forward} or {@code predict} sets the dim's current value,
 * its <em>rows</em>, from the input's length (1 up to the capacity), so the last partial batch of an epoch needs no
 * new object. The generated loops, products and divisions (a mean's {@code / B}) use the rows; a free dim that is not
 * a batch dim stays fixed at construction.
 */
final class BatchDims {
  /** One batch dim: its name, the Java field holding its current rows, and the input it is read from. */
  record Batch(String dim, String rows, ModelIR.Leaf source, List<String> otherDims) {}

  private BatchDims() {}

  /** The batch dims in dim order, keyed by dim name; rows fields get fresh names from {@code names}. */
  static Map<String, Batch> find(ModelIR model, List<ModelIR.DimInfo> dims, Map<String, String> dimJava,
      JavaIdentifiers names) {
    Map<String, Batch> out = new LinkedHashMap<>();
    for (ModelIR.DimInfo d : dims) {
      if (!d.isFree() || inAnyParam(model, d.name())) continue;
      ModelIR.Leaf source = null;
      List<String> others = null;
      for (ModelIR.Leaf in : model.inputs()) {
        List<Dim> shape = in.var().shape().dims();
        long count = shape.stream().filter(x -> d.name().equals(x.name())).count();
        if (count != 1) continue;
        boolean othersFixed = true;
        List<String> rest = new java.util.ArrayList<>();
        for (Dim x : shape) {
          if (d.name().equals(x.name())) continue;
          if (x.name() != null && isCandidate(model, dims, x.name())) othersFixed = false;
          rest.add(x.name() != null && dimJava.containsKey(x.name()) ? dimJava.get(x.name()) : Integer.toString(x.size()));
        }
        if (othersFixed) {
          source = in;
          others = rest;
          break;
        }
      }
      if (source == null) continue;
      String dimField = dimJava.get(d.name());
      out.put(d.name(), new Batch(d.name(), names.fresh("rows" + Character.toUpperCase(dimField.charAt(0))
          + dimField.substring(1)), source, List.copyOf(others)));
    }
    return out;
  }

  private static boolean isCandidate(ModelIR model, List<ModelIR.DimInfo> dims, String name) {
    for (ModelIR.DimInfo d : dims) if (d.name().equals(name)) return d.isFree() && !inAnyParam(model, name);
    return false;
  }

  private static boolean inAnyParam(ModelIR model, String dim) {
    for (ModelIR.Leaf p : model.params()) {
      for (Dim x : p.var().shape().dims()) if (dim.equals(x.name())) return true;
    }
    // A dim of a recurrence's step (a batch of states [B, H]) is fixed at construction: the step's class computes
    // over all of it, so rows past the current ones would enter its gradients.
    for (dev.nnc.ir.Expr e : model.graph().nodes()) {
      if (!(e instanceof dev.nnc.ir.Expr.Recur r)) continue;
      for (ModelIR.Leaf p : r.rec().step().params()) {
        for (Dim x : p.var().shape().dims()) if (dim.equals(x.name())) return true;
      }
    }
    return false;
  }
}
