package dev.nnc.ir;

/**
 * The structured tensor operations of {@link Expr.Layer} (LANGUAGE.md §10, convolution and pooling), each one entry of
 * the primitive registry's layer family. The adjoint ops exist so that every rule stays inside the family: the three
 * convolution ops are the partial derivatives of one trilinear form {@code T(X, K, G) = Σ X[b,c,is+u−p,js+v−p]·
 * K[f,c,u,v]·G[b,f,i,j]}, so the adjoint of each is another of them.
 */
public enum LayerOp {
  /** {@code conv2d(X, K)}: {@code Y[b,f,i,j] = Σ_{c,u,v} X[b,c,is+u−p,js+v−p]·K[f,c,u,v]} (ints: stride, padding). */
  CONV2D,
  /** {@code conv_transpose2d(G, K)}: ∂T/∂X, the adjoint of conv2d for its input (shape of X). */
  CONV2D_INPUT,
  /** {@code conv2d_weight(X, G)}: ∂T/∂K, the adjoint of conv2d for its kernel (shape of K). */
  CONV2D_KERNEL,
  /** {@code maxpool(X, k)}: the maximum over non-overlapping k×k windows of the last two axes (ints: k). */
  MAXPOOL,
  /** {@code maxpool_route(X, G)}: G's entries put at the argmax of X's windows, zero elsewhere (shape of X). */
  MAXPOOL_ROUTE,
  /** {@code maxpool_pick(X, A)}: A's entries at the argmax of X's windows (shape of maxpool(X)). */
  MAXPOOL_PICK,
  /** {@code avgpool(X, k)}: the mean over non-overlapping k×k windows of the last two axes (ints: k). */
  AVGPOOL,
  /** {@code avgpool_spread(G)}: each entry of G spread evenly (÷k²) over its window (shape of X). */
  AVGPOOL_SPREAD,
  /** {@code flatten(X)} and its adjoint: the same entries in row-major order under another shape. */
  RESHAPE,
  /** {@code h[T]}: the last step of a sequence (the slice at the last index of axis 0; docs/language.md). */
  LAST_STEP,
  /** {@code last_step_spread(G)}: LAST_STEP's adjoint, G at the last index of axis 0 and zeros elsewhere. */
  LAST_STEP_SPREAD
}
