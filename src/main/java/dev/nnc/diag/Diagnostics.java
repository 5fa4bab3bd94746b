package dev.nnc.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/** A collector every stage reports into. Not thread-safe; one per compilation. */
public final class Diagnostics {
  private final List<Diagnostic> all = new ArrayList<>();

  public Diagnostic report(Diagnostic d) {
    all.add(d);
    return d;
  }

  public Diagnostic error(Code code, Span span, String message) {
    return report(Diagnostic.error(code, span, message));
  }

  public Diagnostic error(Code code, Span span, String message, String hint) {
    return report(Diagnostic.error(code, span, message).withHint(hint));
  }

  public Diagnostic warning(Code code, Span span, String message) {
    return report(Diagnostic.warning(code, span, message));
  }

  public Diagnostic warning(Code code, Span span, String message, String hint) {
    return report(Diagnostic.warning(code, span, message).withHint(hint));
  }

  public boolean hasErrors() {
    for (Diagnostic d : all) if (d.isError()) return true;
    return false;
  }

  /** All diagnostics in source order (stable for equal positions). */
  public List<Diagnostic> sorted() {
    List<Diagnostic> copy = new ArrayList<>(all);
    copy.sort(Comparator.comparingInt((Diagnostic d) -> d.span().line()).thenComparingInt(d -> d.span().col()));
    return Collections.unmodifiableList(copy);
  }

  public List<Diagnostic> all() {
    return Collections.unmodifiableList(all);
  }
}
