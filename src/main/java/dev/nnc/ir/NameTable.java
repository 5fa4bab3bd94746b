package dev.nnc.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every name of one model, decided once: for each dim, input, param and assigned value its display spelling (as
 * written: {@code W₁}, {@code θ}) and its Java identifier ({@code W1}, {@code theta}); for each param and value
 * also the identifier of its gradient field ({@code dW1}), and with {@link #lossSpelling()} the two spellings of its
 * adjoint symbol ∂L/∂x — {@code notation.Label.adjoint} makes that symbol from here, and only the printers spell it
 * (∂L/∂W₁, dL/dW1, {@code \frac{\partial L}{\partial W_{1}}}), so no adjoint name is ever built from strings.
 * Printers, the code generator, {@code nnc train}, the processor and the tests all read names here, so a field of
 * a generated class is always found under the identifier the generator gave it, never by guessing from the model
 * name.
 *
 * <p>Java identifiers are claimed in a fixed order — dims, inputs, params, values, then param gradients, then value
 * gradients in reverse definition order (the order of the reverse pass) — so the same model always gets the same
 * names, and a model's own name wins over a derived one ({@code dw} written by the user keeps its name; the
 * gradient of {@code w} becomes {@code dw_}). The generator draws its own locals from {@link #javaScope()}, which
 * starts with all of these taken.
 */
public final class NameTable {
  public enum Kind {
    DIM,
    INPUT,
    PARAM,
    VALUE
  }

  /**
   * One model name.
   *
   * @param id the name after normalisation (the key used throughout the IR: {@code W1} for {@code W₁})
   * @param spelling the name as written, for display
   * @param java its Java identifier in the generated class
   * @param gradientJava the identifier of its gradient field (params and values; null for inputs and dims)
   * @param tangentJava the identifier of its tangent ẋ in the generated {@code jvp} (forward mode): the direction's
   *     field for an input or param, the field of the change along it for an output or the loss (null for dims)
   */
  public record Entry(Kind kind, String id, String spelling, String java, String gradientJava, String tangentJava) {
    /** Whether it has an adjoint ∂L/∂spelling (params and values). */
    public boolean hasAdjoint() {
      return kind == Kind.PARAM || kind == Kind.VALUE;
    }
  }

  private final String className;
  private final String lossSpelling;
  private final Map<String, Entry> dims = new LinkedHashMap<>();
  private final Map<String, Entry> names = new LinkedHashMap<>();
  private final Map<Expr, String> display = new HashMap<>();
  private final JavaIdentifiers identifiers = new JavaIdentifiers();

  private NameTable(String modelName, List<ModelIR.DimInfo> dimInfos, List<ModelIR.Leaf> inputs,
      List<ModelIR.Leaf> params, List<ModelIR.Value> values, String loss) {
    this.className = JavaIdentifiers.className(modelName);
    String lossSpelling = loss;
    for (ModelIR.Value v : values) if (v.name().equals(loss)) lossSpelling = v.spelling();
    this.lossSpelling = lossSpelling;

    for (ModelIR.DimInfo d : dimInfos) claimDim(d.name());
    // A dim used in a shape but missing from the list is free (defensive: the checker lists them all).
    for (List<ModelIR.Leaf> leaves : List.of(inputs, params)) {
      for (ModelIR.Leaf l : leaves) for (Dim d : l.var().shape().dims()) if (d.name() != null) claimDim(d.name());
    }
    Map<String, String> java = new HashMap<>();
    for (ModelIR.Leaf l : inputs) java.putIfAbsent(l.name(), identifiers.claim(l.name()));
    for (ModelIR.Leaf l : params) java.putIfAbsent(l.name(), identifiers.claim(l.name()));
    for (ModelIR.Value v : values) java.putIfAbsent(v.name(), identifiers.claim(v.name()));
    Map<String, String> gradient = new HashMap<>();
    for (ModelIR.Leaf l : params) gradient.putIfAbsent(l.name(), identifiers.claim("d" + l.name()));
    for (int i = values.size() - 1; i >= 0; i--) {
      String v = values.get(i).name();
      if (!v.equals(loss) && !gradient.containsKey(v)) gradient.put(v, identifiers.claim("d" + v));
    }
    // Tangents last, so that no name above ever changes for them: ẋ of x is xDot (the mark's own transliteration).
    Map<String, String> tangent = new HashMap<>();
    for (ModelIR.Leaf l : inputs) tangent.putIfAbsent(l.name(), identifiers.claim(l.name() + "Dot"));
    for (ModelIR.Leaf l : params) tangent.putIfAbsent(l.name(), identifiers.claim(l.name() + "Dot"));
    for (ModelIR.Value v : values) tangent.putIfAbsent(v.name(), identifiers.claim(v.name() + "Dot"));

    for (ModelIR.Leaf l : inputs) {
      add(new Entry(Kind.INPUT, l.name(), l.spelling(), java.get(l.name()), null, tangent.get(l.name())));
    }
    for (ModelIR.Leaf l : params) {
      add(new Entry(Kind.PARAM, l.name(), l.spelling(), java.get(l.name()), gradient.get(l.name()),
          tangent.get(l.name())));
    }
    for (ModelIR.Value v : values) {
      add(new Entry(Kind.VALUE, v.name(), v.spelling(), java.get(v.name()), gradient.get(v.name()),
          tangent.get(v.name())));
    }

    // Display names of nodes: leaves by their spelling, a node two values share by the first one; constants are
    // never named, so a literal 2 stays 2.
    for (ModelIR.Leaf l : inputs) display.put(l.var(), l.spelling());
    for (ModelIR.Leaf l : params) display.put(l.var(), l.spelling());
    for (ModelIR.Value v : values) {
      if (v.node() instanceof Expr.Const || v.node() instanceof Expr.DimSize) continue;
      display.putIfAbsent(v.node(), v.spelling());
    }
  }

  /** The names of a model given by its parts (as {@link ModelIR}'s constructor does). */
  public static NameTable of(String modelName, List<ModelIR.DimInfo> dims, List<ModelIR.Leaf> inputs,
      List<ModelIR.Leaf> params, List<ModelIR.Value> values, String loss) {
    return new NameTable(modelName, dims, inputs, params, values, loss);
  }

  private void claimDim(String id) {
    if (!dims.containsKey(id)) dims.put(id, new Entry(Kind.DIM, id, id, identifiers.claim(id), null, null));
  }

  private void add(Entry e) {
    names.putIfAbsent(e.id(), e);
  }

  /** The generated class's simple name. */
  public String className() {
    return className;
  }

  /** The loss value's display spelling (the {@code L} of ∂L/∂x). */
  public String lossSpelling() {
    return lossSpelling;
  }

  /** The input, param or value {@code id}; null if the model has none. */
  public Entry get(String id) {
    return names.get(id);
  }

  /** The dim {@code id} (declared, or used in a shape); null if the model has none. */
  public Entry dim(Dim d) {
    return d.name() == null ? null : dims.get(d.name());
  }

  public Entry dimNamed(String id) {
    return dims.get(id);
  }

  public Entry of(ModelIR.Leaf leaf) {
    return names.get(leaf.name());
  }

  public Entry of(ModelIR.Value value) {
    return names.get(value.name());
  }

  /** Inputs, params and values, in that order (each in declaration order). */
  public List<Entry> entries() {
    return List.copyOf(names.values());
  }

  /** Dims in declaration order, then any dim only seen in a shape. */
  public List<Entry> dims() {
    return List.copyOf(dims.values());
  }

  /** The param or value {@code id}, whose adjoint is ∂L/∂spelling. */
  public Entry withAdjoint(String id) {
    Entry e = names.get(id);
    if (e == null || !e.hasAdjoint()) throw new IllegalArgumentException("no param or value " + id);
    return e;
  }

  /**
   * Display names of the graph's named nodes: inputs and params by spelling, a value's node by the first value
   * that names it. Constants and dim sizes are never named. The map is a fresh copy the caller may extend.
   */
  public Map<Expr, String> displayNames() {
    return new HashMap<>(display);
  }

  /** A scope for the generator's own identifiers: every model name and gradient here is already taken. */
  public JavaIdentifiers javaScope() {
    JavaIdentifiers scope = identifiers.copy();
    scope.take(className); // a nested type named like its class does not compile (KernelTask in model KernelTask)
    return scope;
  }

  /** Every Java identifier claimed for model names (dims, leaves, values, gradients), sorted. */
  public List<String> javaIdentifiers() {
    List<String> out = new ArrayList<>();
    for (Entry e : dims.values()) out.add(e.java());
    for (Entry e : names.values()) {
      out.add(e.java());
      if (e.gradientJava() != null) out.add(e.gradientJava());
      if (e.tangentJava() != null) out.add(e.tangentJava());
    }
    Collections.sort(out);
    return out;
  }
}
