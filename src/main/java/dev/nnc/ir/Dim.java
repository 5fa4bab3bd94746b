package dev.nnc.ir;

/**
 * One axis of a shape: a named dim ({@code B}, {@code I = 784}), or a literal size ({@code [n, 3]} → name null, size 3).
 * {@code size} is -1 for a free dim (known only when the generated class is constructed).
 */
public record Dim(String name, int size) {
  public static Dim literal(int size) {
    return new Dim(null, size);
  }

  public static Dim free(String name) {
    return new Dim(name, -1);
  }

  public boolean isFree() {
    return size < 0;
  }

  public boolean isOne() {
    return size == 1;
  }

  /** Same extent: same name, or both sizes known and equal. */
  public boolean sameExtent(Dim other) {
    if (name != null && name.equals(other.name)) return true;
    return size >= 0 && size == other.size;
  }

  @Override
  public String toString() {
    return name != null ? name : Integer.toString(size);
  }
}
