package dev.nnc.codegen;

import java.util.Locale;

/**
 * How much public API a generated class carries. {@link #FULL} (the default) is everything docs/codegen.md lists;
 * {@link #CORE} is the contract of LANGUAGE.md §8 with {@code predict}: constructor, {@code initialize},
 * {@code forward}, {@code predict}, {@code backward} and {@code step}, without the flat views and gradient
 * aggregation, the optimisers beyond {@code step} and the {@code .npz} reader and writer — for a class that is only
 * run, or whose params are set through its fields (about a third of the size of a small model's full class).
 */
public enum Api {
  CORE,
  FULL;

  /** {@code core} or {@code full} (any case); null for anything else. */
  public static Api parse(String text) {
    if (text == null) return null;
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "core" -> CORE;
      case "full" -> FULL;
      default -> null;
    };
  }

  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }
}
