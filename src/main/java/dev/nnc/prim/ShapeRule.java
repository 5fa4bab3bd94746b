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
  REVERSE_AXES,
  /** conv2d: {@code [B, C, H, W]} and {@code [F, C, KH, KW]} give {@code [B, F, (H + 2p − KH)/s + 1, (W + 2p − KW)/s + 1]}. */
  CONVOLUTION,
  /** maxpool/avgpool: the last two axes divided by the window k (which must divide them). */
  POOL,
  /** flatten: axis 0 kept, the rest multiplied into one axis. */
  FLATTEN,
  /** An adjoint op: the shape of the operand whose adjoint it is, given by the rule that builds it. */
  GIVEN
}
