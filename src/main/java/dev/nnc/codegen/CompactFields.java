package dev.nnc.codegen;

import java.util.ArrayList;
import java.util.List;

/**
 * The bulk fields of a long class (the classes whose parts are laid out for javac, {@link PartLocals}) in fewer lines:
 * a one-line Javadoc on one line ({@code /** ∂L/∂v5, set by backward(). *}{@code /}) instead of JavaPoet's three, and
 * the temporaries that cross parts (private scalars without a comment) declared {@link #NAMES_PER_LINE} to a line
 * ({@code private double t30057, t30062, …;}) instead of one declaration and a blank line each. The same fields with
 * the same modifiers, types, names and comments, in the same order: javac enters the same members. What it saves is
 * javac's parsing (a long model's 20,000 field comments and 10,000 temporaries are a fifth of its lines), which runs
 * first, while javac's own code is still interpreted (docs/performance.md, issue 11, seventh measurement).
 */
final class CompactFields {
  /** Temporaries per declaration line (about 90 characters). */
  static final int NAMES_PER_LINE = 10;

  private CompactFields() {}

  /** Private scalar fields without Javadoc, declared {@link #NAMES_PER_LINE} to a line. */
  record Declarations(List<Splices.Field> fields) implements Splices.Text {
    @Override
    public String text(String indent) {
      StringBuilder out = new StringBuilder(fields.size() * 10 + indent.length() * 2 + 24);
      for (int from = 0; from < fields.size(); from += NAMES_PER_LINE) {
        out.append(indent);
        Splices.Field first = fields.get(from);
        for (javax.lang.model.element.Modifier m : first.modifiers()) out.append(m).append(' ');
        out.append(first.type()).append(' ');
        for (int k = from; k < Math.min(fields.size(), from + NAMES_PER_LINE); k++) {
          if (k > from) out.append(", ");
          out.append(fields.get(k).name());
        }
        out.append(";\n");
      }
      return out.toString();
    }
  }

  /** A field whose Javadoc is one line, written on one line before it. */
  record OneLineDoc(Splices.Field field) implements Splices.Text {
    @Override
    public String text(String indent) {
      String doc = field.javadoc();
      String line = doc.endsWith("\n") ? doc.substring(0, doc.length() - 1) : doc;
      StringBuilder out = new StringBuilder(indent.length() * 2 + line.length() + field.name().length() + 32);
      out.append(indent).append("/** ").append(line).append(" */\n").append(indent);
      for (javax.lang.model.element.Modifier m : field.modifiers()) out.append(m).append(' ');
      return out.append(field.type()).append(' ').append(field.name()).append(";\n").toString();
    }
  }

  /**
   * {@code fields} as members to splice: each run of private scalar fields without Javadoc of one type as one
   * {@link Declarations}, each field with a one-line Javadoc as a {@link OneLineDoc}, any other field as it is.
   */
  static List<Object> members(List<Splices.Field> fields) {
    List<Object> out = new ArrayList<>();
    List<Splices.Field> run = new ArrayList<>();
    for (Splices.Field f : fields) {
      boolean bare = f.javadoc() == null && f.type().isPrimitive()
          && f.modifiers().equals(java.util.EnumSet.of(javax.lang.model.element.Modifier.PRIVATE));
      if (!run.isEmpty() && (!bare || !run.get(0).type().equals(f.type()))) {
        out.add(new Declarations(List.copyOf(run)));
        run.clear();
      }
      if (bare) run.add(f);
      else out.add(oneLine(f.javadoc()) ? new OneLineDoc(f) : f);
    }
    if (!run.isEmpty()) out.add(new Declarations(List.copyOf(run)));
    return out;
  }

  /** A Javadoc of one line (with or without its final line break) that can close on the same line. */
  private static boolean oneLine(String doc) {
    if (doc == null || doc.isEmpty()) return false;
    int end = doc.endsWith("\n") ? doc.length() - 1 : doc.length();
    for (int k = 0; k < end; k++) if (JavaText.isLineBreak(doc.charAt(k))) return false;
    return end > 0;
  }
}
