package dev.nnc.prim;

/**
 * A function's numeric argument after its operand, given as a number literal: leaky_relu's slope, elu's α.
 * {@code name} is how messages call it; {@code example} is the literal they suggest.
 */
public record Param(String name, double defaultValue, String example) {}
