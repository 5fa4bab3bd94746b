package dev.nnc.codegen;

import dev.nnc.ir.Dim;
import dev.nnc.ir.Shape;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The arrays a generated class allocates in its constructor, as the generator decided them (inputs by reference,
 * temporaries sharing buffers by {@link BufferReuse}): one {@link Buffer} per array field, each once, and those of a
 * recurrence's step classes. What {@code nnc compile --report} prints as bytes kept, and what the constructor
 * allocates, come from this one list. Not listed: scalars, the product kernels' row scratch (sized at construction
 * from the machine's cores, {@link MatmulKernels}) and the optimisers' state (allocated by their first step).
 */
public record MemoryPlan(List<Buffer> buffers, Precision precision) {
  /** What a buffer holds. */
  public enum Kind {
    PARAM("params"),
    GRADIENT("gradients"),
    /** An input copied into a buffer of its own (a recurrence's step class); the model class keeps a reference. */
    INPUT("inputs (copies)"),
    VALUE("values (activations)"),
    ADJOINT("adjoints of values"),
    DIRECTION("jvp directions"),
    TANGENT("jvp tangents"),
    TEMPORARY("temporaries"),
    SCRATCH("scratch");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    /** The kind as the report prints it. */
    public String text() {
      return text;
    }
  }

  /** One array field: its name, shape (batch dims at capacity) and kind; {@code owner} is a step class or null. */
  public record Buffer(String field, Shape shape, Kind kind, String owner) {}

  public MemoryPlan {
    buffers = List.copyOf(buffers);
  }

  /** Elements of a shape with the free dims at the given sizes (a dim missing from {@code dims} is an error). */
  public static long elements(Shape s, Map<String, Integer> dims) {
    long n = 1;
    for (Dim d : s.dims()) {
      if (!d.isFree()) n *= d.size();
      else if (dims.containsKey(d.name())) n *= dims.get(d.name());
      else throw new IllegalArgumentException("no size for dim " + d.name());
    }
    return n;
  }

  /** Bytes of each kind of buffer at the given dims, in {@link Kind} order (kinds with no buffer absent). */
  public Map<Kind, Long> bytesByKind(Map<String, Integer> dims) {
    Map<Kind, Long> out = new EnumMap<>(Kind.class);
    for (Buffer b : buffers) out.merge(b.kind(), elements(b.shape(), dims) * precision.bytes(), Long::sum);
    return out;
  }

  /** Bytes of every buffer together at the given dims. */
  public long bytes(Map<String, Integer> dims) {
    long n = 0;
    for (long b : bytesByKind(dims).values()) n += b;
    return n;
  }
}
