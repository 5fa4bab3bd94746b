package dev.nnc.ir;

import java.util.List;
import java.util.stream.Collectors;

/** A tensor shape; rank 0 is a scalar. Scalars are the rank-0 case of the same code, not a separate path. */
public record Shape(List<Dim> dims) {
  public static final Shape SCALAR = new Shape(List.of());

  public Shape {
    dims = List.copyOf(dims);
  }

  public static Shape of(Dim... dims) {
    return new Shape(List.of(dims));
  }

  public int rank() {
    return dims.size();
  }

  public boolean isScalar() {
    return dims.isEmpty();
  }

  public Dim dim(int axis) {
    return dims.get(axis);
  }

  /** Same rank and every axis the same extent. */
  public boolean sameAs(Shape other) {
    if (rank() != other.rank()) return false;
    for (int i = 0; i < rank(); i++) if (!dims.get(i).sameExtent(other.dims.get(i))) return false;
    return true;
  }

  /** Identity first: most comparisons are of a shape with itself (every elementwise node checks its operands'). */
  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof Shape s && dims.equals(s.dims);
  }

  @Override
  public int hashCode() {
    return dims.hashCode();
  }

  @Override
  public String toString() {
    return dims.stream().map(Dim::toString).collect(Collectors.joining(", ", "[", "]"));
  }
}
