package dev.nnc.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The bulk of a long model's class — its scalar fields and the part classes of forward, backward and jvp, most of a
 * 6 MB file — written by JavaPoet member by member on the machine's cores ({@link Parallel}), then spliced into the
 * file JavaPoet writes around a marker member in their place. The text is JavaPoet's own (each member's
 * {@code toString}, indented as JavaPoet indents a member at that depth), so the file is the same bytes as when
 * JavaPoet writes the whole class; what it saves is JavaPoet's two passes over the whole file (one to collect the
 * imports, one to write) on one thread. Only members that need no import are spliced: fields of primitive or
 * primitive-array type, and classes of methods without parameters or types.
 */
final class Splices {
  /** Marker members are named with a {@code $}, which no name of the {@link dev.nnc.ir.NameTable} contains. */
  private static final String PREFIX = "nnc$splice$";

  /** What replaces each marker: its members, written in the marker's place one after another. */
  private final List<List<Object>> members = new ArrayList<>();

  /**
   * A marker field standing for {@code fields} (non-static fields, which JavaPoet writes in their order after the
   * static ones, as it writes the marker), or the fields themselves when one needs an import.
   */
  List<FieldSpec> fields(List<FieldSpec> fields) {
    if (fields.isEmpty()) return fields;
    for (FieldSpec f : fields) {
      if (f.modifiers().contains(Modifier.STATIC) || !importFree(f.type()) || !f.annotations().isEmpty()
          || !f.initializer().isEmpty()) {
        return fields;
      }
    }
    return List.of(FieldSpec.builder(int.class, marker(new ArrayList<>(fields)), Modifier.PRIVATE).build());
  }

  /** A marker class standing for {@code type}, or the type itself when it may need an import. */
  TypeSpec type(TypeSpec type) {
    if (type.kind() != TypeSpec.Kind.CLASS || !type.fieldSpecs().isEmpty() || !type.typeSpecs().isEmpty()
        || !type.annotations().isEmpty() || !type.superclass().equals(ClassName.OBJECT)
        || !type.superinterfaces().isEmpty() || !type.typeVariables().isEmpty() || !type.initializerBlock().isEmpty()) {
      return type;
    }
    for (MethodSpec m : type.methodSpecs()) {
      if (!m.parameters().isEmpty() || !m.annotations().isEmpty() || !m.exceptions().isEmpty()
          || !m.typeVariables().isEmpty() || !(m.returnType() == null || m.returnType() == TypeName.VOID)) {
        return type;
      }
    }
    return TypeSpec.classBuilder(marker(List.of(type))).build();
  }

  private String marker(List<Object> replaced) {
    members.add(replaced);
    return PREFIX + (members.size() - 1);
  }

  private static boolean importFree(TypeName t) {
    return t.isPrimitive() || t instanceof ArrayTypeName a && a.componentType().isPrimitive();
  }

  /** {@code file} (as JavaPoet wrote it) with each marker replaced by its members' text. */
  String apply(String file) {
    if (members.isEmpty()) return file;
    // Where each marker is (its lines' start and end) and how deep: one pass over the file JavaPoet wrote (small now).
    int[] start = new int[members.size()];
    int[] end = new int[members.size()];
    String[] indent = new String[members.size()];
    java.util.Arrays.fill(start, -1);
    for (int from = 0; from < file.length(); ) {
      int stop = file.indexOf('\n', from);
      stop = stop < 0 ? file.length() : stop + 1;
      String marker = markerOf(file, from, stop);
      if (marker != null) {
        int k = Integer.parseInt(marker.substring(PREFIX.length()));
        if (start[k] >= 0) throw new IllegalStateException("splice " + marker + " found twice");
        start[k] = from;
        indent[k] = indentOf(file, from);
        // a marker class ends with its closing brace on the next line
        end[k] = members.get(k).get(0) instanceof TypeSpec ? file.indexOf('\n', stop) + 1 : stop;
        stop = end[k];
      }
      from = stop;
    }
    for (int k = 0; k < members.size(); k++) {
      if (start[k] < 0) throw new IllegalStateException("splice " + PREFIX + k + " not found");
    }
    // Each member's text, indented at its marker's depth, written on the machine's cores.
    record Job(Object member, String indent) {}
    List<Job> jobs = new ArrayList<>();
    for (int k = 0; k < members.size(); k++) for (Object m : members.get(k)) jobs.add(new Job(m, indent[k]));
    List<String> texts = Parallel.map(jobs, j -> indent(j.member().toString(), j.indent()));
    Integer[] order = new Integer[members.size()];
    for (int k = 0; k < order.length; k++) order[k] = k;
    java.util.Arrays.sort(order, (a, b) -> Integer.compare(start[a], start[b]));
    int[] firstText = new int[members.size()];
    for (int k = 1; k < members.size(); k++) firstText[k] = firstText[k - 1] + members.get(k - 1).size();
    long length = file.length();
    for (String t : texts) length += t.length() + 1;
    StringBuilder out = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 8, length));
    int from = 0;
    for (int k : order) {
      out.append(file, from, start[k]);
      for (int m = 0; m < members.get(k).size(); m++) {
        if (m > 0) out.append('\n'); // JavaPoet's blank line between members
        out.append(texts.get(firstText[k] + m));
      }
      from = end[k];
    }
    return out.append(file, from, file.length()).toString();
  }

  /** The marker a line declares ({@code private int nnc$splice$3;} or {@code class nnc$splice$4 {}}), or null. */
  private static String markerOf(String file, int from, int end) {
    int k = from;
    while (k < end && file.charAt(k) == ' ') k++;
    for (String[] form : MARKER_LINES) {
      if (!file.startsWith(form[0], k)) continue;
      int digits = k + form[0].length();
      int stop = digits;
      while (stop < end && Character.isDigit(file.charAt(stop))) stop++;
      if (stop > digits && file.startsWith(form[1], stop) && stop + form[1].length() == end) {
        return PREFIX + file.substring(digits, stop);
      }
    }
    return null;
  }

  /** How JavaPoet writes a marker field and the first line of a marker class: before and after the number. */
  private static final String[][] MARKER_LINES = {{"private int " + PREFIX, ";\n"}, {"class " + PREFIX, " {\n"}};

  private static String indentOf(String file, int from) {
    int k = from;
    while (file.charAt(k) == ' ') k++;
    return file.substring(from, k);
  }

  /** {@code text} with every non-empty line indented by {@code indent}, as JavaPoet indents a nested member. */
  private static String indent(String text, String indent) {
    StringBuilder out = new StringBuilder(text.length() + text.length() / 8);
    int from = 0;
    while (from < text.length()) {
      int end = text.indexOf('\n', from);
      end = end < 0 ? text.length() : end + 1;
      if (end - from > 1 || text.charAt(from) != '\n') out.append(indent);
      out.append(text, from, end);
      from = end;
    }
    return out.toString();
  }
}
