package dev.nnc.prim;

/** How a primitive's result shape follows from its operands' (the checker lowers each family by its rule). */
public enum ShapeRule {
  /** Elementwise on one operand: the operand's shape. */
  SAME,
  /** Elementwise on two operands: NumPy broadcasting of the two shapes (lowering inserts the broadcasts). */
  BROADCAST,
  /** A reduction: the operand's shape without the reduced axes (all axes, or {@code axis=k}). */
  REMOVE_AXES,
  /** Normalises along one axis ({@code axis=k}, default the last): the operand's shape. */
  ALONG_AXIS,
  /** Transpose: the operand's axes reversed (a vector or scalar is unchanged). */
  REVERSE_AXES
}
