package dev.nnc.train;

import dev.nnc.ir.Dim;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.NameTable;
import dev.nnc.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * What the trainer needs to know about a generated class, independent of the compiler's IR: the free dims (the
 * constructor's arguments, in order), the inputs (forward's arguments, in order), the params and the outputs, each
 * with its shape written as dim names or sizes and the name of its public field (from the model's
 * {@link dev.nnc.ir.NameTable}: the field of {@code θ} is {@code theta}, of {@code class} {@code class_}).
 */
public record ModelSpec(
    String name, List<String> freeDims, List<Tensor> inputs, List<Tensor> params, List<Tensor> outputs) {

  public ModelSpec {
    freeDims = List.copyOf(freeDims);
    inputs = List.copyOf(inputs);
    params = List.copyOf(params);
    outputs = List.copyOf(outputs);
  }

  /**
   * A named tensor; each axis is a fixed size ({@code name} may be null) or a free dim ({@code size} −1).
   * Scalars have no axes.
   *
   * @param name the model's name for it, for messages and options ({@code --features X})
   * @param field the generated class's public field that holds it
   */
  public record Tensor(String name, String field, List<Dim> axes) {
    public Tensor {
      axes = List.copyOf(axes);
    }

    public int rank() {
      return axes.size();
    }

    public String shapeText() {
      return new Shape(axes).toString();
    }
  }

  /** Reads the spec from a checked model: free dims in constructor order, inputs in forward's order. */
  public static ModelSpec of(ModelIR model) {
    List<String> free = new ArrayList<>();
    for (ModelIR.DimInfo d : model.dims()) if (d.isFree()) free.add(d.name());
    List<Tensor> inputs = new ArrayList<>();
    NameTable names = model.names();
    for (ModelIR.Leaf l : model.inputs()) inputs.add(new Tensor(l.name(), names.of(l).java(), l.var().shape().dims()));
    List<Tensor> params = new ArrayList<>();
    for (ModelIR.Leaf l : model.params()) params.add(new Tensor(l.name(), names.of(l).java(), l.var().shape().dims()));
    List<Tensor> outputs = new ArrayList<>();
    for (String o : model.outputs()) {
      ModelIR.Value v = model.value(o);
      if (v != null) outputs.add(new Tensor(o, names.of(v).java(), v.node().shape().dims())); // checked: always one
    }
    return new ModelSpec(model.name(), free, inputs, params, outputs);
  }

  public Tensor input(String name) {
    for (Tensor t : inputs) if (t.name().equals(name)) return t;
    return null;
  }
}
