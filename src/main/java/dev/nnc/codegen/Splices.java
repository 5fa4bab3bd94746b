package dev.nnc.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The bulk of a long model's class — its scalar fields, the part classes of forward, backward and jvp and the bodies of
 * their methods, most of a 6 MB file — written apart, member by member on the machine's cores ({@link Parallel}), then
 * spliced into the file JavaPoet writes around a marker in their place. The text is JavaPoet's own layout (each part
 * class's {@code toString}, indented as JavaPoet indents a member at that depth), so the file is the same bytes as
 * when JavaPoet writes the whole class; what it saves is JavaPoet's two passes over the whole file (one to collect the
 * imports, one to write) on one thread. Only members that need no import are spliced: fields of primitive or
 * primitive-array type, and classes of methods without parameters or types. The bulk fields ({@link Field}) and the
 * method bodies ({@link #body}) are plain text JavaPoet would only copy line by line: they are written here directly,
 * as JavaPoet lays them out ({@code SplicesTest} compares the two).
 */
final class Splices {
  /** Marker members are named with a {@code $}, which no name of the {@link dev.nnc.ir.NameTable} contains. */
  private static final String PREFIX = "nnc$splice$";
  /** The line a method body's marker is: {@code BODY}, its number, {@code ;}. */
  private static final String BODY = PREFIX + "body";

  /** What replaces each marker: its members, written in the marker's place one after another. */
  private final List<List<Object>> members = new ArrayList<>();

  /**
   * The method bodies ({@link #body}) by number, each a string or a list of statements' lines: each replaces its
   * marker line, indented as the line is.
   */
  private final List<Object> bodies = new ArrayList<>();

  /** A member written here as text, without JavaPoet: its lines, each after {@code indent}. */
  interface Text {
    String text(String indent);
  }

  /**
   * A field of the class's bulk (params, values, adjoints, temporaries: tens of thousands in a long model): a primitive
   * or primitive array, its modifiers, and its Javadoc (null for none), as {@link FieldSpec} would hold them.
   */
  record Field(TypeName type, String name, String javadoc, Set<Modifier> modifiers) implements Text {
    Field {
      if (!importFree(type)) throw new IllegalArgumentException("not a primitive or primitive array: " + type);
      modifiers = EnumSet.copyOf(modifiers); // JavaPoet writes modifiers in this order
    }

    FieldSpec spec() {
      FieldSpec.Builder f = FieldSpec.builder(type, name, modifiers.toArray(new Modifier[0]));
      if (javadoc != null) f.addJavadoc("$L", javadoc);
      return f.build();
    }

    /** {@code spec().toString()} with every line indented by {@code indent}, written without JavaPoet. */
    @Override
    public String text(String indent) {
      StringBuilder out = new StringBuilder(indent.length() * 4 + name.length() + 24
          + (javadoc == null ? 0 : javadoc.length() + 16));
      if (javadoc != null) Splices.javadoc(out, indent, javadoc);
      out.append(indent);
      for (Modifier m : modifiers) out.append(m.toString()).append(' ');
      return out.append(type).append(' ').append(name).append(";\n").toString();
    }
  }

  /**
   * A Javadoc comment as JavaPoet writes one: {@code /**}, each line after {@code " * "} (an empty line as
   * {@code " *"}), a line break after the last, {@code " *}{@code /"}; every line after {@code indent}.
   */
  private static void javadoc(StringBuilder out, String indent, String doc) {
    out.append(indent).append("/**\n");
    boolean lineStart = true;
    int n = doc.length();
    for (int from = 0; from <= n; ) {
      int end = from;
      while (end < n && !JavaText.isLineBreak(doc.charAt(end))) end++;
      if (end > from) {
        out.append(indent).append(" * ").append(doc, from, end);
        lineStart = false;
      }
      if (end == n) break;
      if (lineStart) out.append(indent).append(" *");
      out.append('\n');
      lineStart = true;
      from = end + (doc.charAt(end) == '\r' && end + 1 < n && doc.charAt(end + 1) == '\n' ? 2 : 1); // \R: CRLF is one
    }
    if (!lineStart) out.append('\n');
    out.append(indent).append(" */\n");
  }

  /** A marker field standing for {@code fields}, which JavaPoet would write in their order after the static ones. */
  List<FieldSpec> fields(List<Field> fields) {
    return fields(fields, false);
  }

  /** As {@link #fields(List)}; with {@code compact}, the fields are written as {@link CompactFields} lays them out. */
  List<FieldSpec> fields(List<Field> fields, boolean compact) {
    if (fields.isEmpty()) return List.of();
    for (Field f : fields) {
      if (f.modifiers().contains(Modifier.STATIC)) throw new IllegalArgumentException("static field " + f.name());
    }
    List<Object> replaced = compact ? CompactFields.members(fields) : new ArrayList<>(fields);
    return List.of(FieldSpec.builder(int.class, marker(replaced), Modifier.PRIVATE).build());
  }

  /**
   * The code of a method whose body is {@code code} (statements, each line ending in a line break): a marker line
   * JavaPoet writes in its place, replaced by {@code code} indented at the marker's depth, as JavaPoet indents it.
   */
  CodeBlock body(String code) {
    if (code.isEmpty() || code.charAt(code.length() - 1) != '\n') return CodeBlock.of("$L", code);
    return marker(code);
  }

  /**
   * As {@link #body(String)} for the code of statements' lines, each followed by a line break: read only when the
   * file is spliced ({@link #apply}), on the machine's cores, so the lines may still change until then (backward's
   * comments are put in their places while the rest of the class is laid out).
   */
  CodeBlock body(List<List<String>> statements) {
    for (List<String> lines : statements) if (!lines.isEmpty()) return marker(statements);
    return CodeBlock.of("$L", "");
  }

  private CodeBlock marker(Object body) {
    bodies.add(body);
    return CodeBlock.of("$L", BODY + (bodies.size() - 1) + ";\n");
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

  /** {@code file} (as JavaPoet wrote it) with each marker replaced by its members' text, each body's by the body. */
  String apply(String file) {
    if (members.isEmpty() && bodies.isEmpty()) return file;
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
    List<String> texts = Parallel.map(jobs, j -> j.member() instanceof Text t ? t.text(j.indent())
        : withBodies(indent(j.member().toString(), j.indent())));
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
      appendWithBodies(out, file, from, start[k]);
      for (int m = 0; m < members.get(k).size(); m++) {
        if (m > 0) out.append('\n'); // JavaPoet's blank line between members
        out.append(texts.get(firstText[k] + m));
      }
      from = end[k];
    }
    appendWithBodies(out, file, from, file.length());
    return out.toString();
  }

  /** {@code text} with each body's marker line replaced by the body. */
  private String withBodies(String text) {
    if (!text.contains(BODY)) return text;
    StringBuilder out = new StringBuilder(text.length() * 2);
    appendWithBodies(out, text, 0, text.length());
    return out.toString();
  }

  /**
   * Appends {@code text} from {@code from} to {@code to} (whole lines), each body's marker line replaced by the body's
   * lines, each after the marker's indentation unless empty, each ending in a line break — as JavaPoet writes code:
   * it breaks lines where regex {@code \R} matches and does not indent an empty line.
   */
  private void appendWithBodies(StringBuilder out, String text, int from, int to) {
    int copied = from;
    for (int line = from; line < to; ) {
      int stop = text.indexOf('\n', line);
      stop = stop < 0 || stop >= to ? to : stop + 1;
      int k = line;
      while (k < stop && text.charAt(k) == ' ') k++;
      if (text.startsWith(BODY, k)) {
        int digits = k + BODY.length();
        int last = digits;
        while (last < stop && Character.isDigit(text.charAt(last))) last++;
        if (last > digits && last + 2 == stop && text.startsWith(";\n", last)) {
          out.append(text, copied, line);
          Object body = bodies.get(Integer.parseInt(text, digits, last, 10));
          if (body instanceof String code) {
            appendLines(out, text, line, k, code);
          } else {
            @SuppressWarnings("unchecked")
            List<List<String>> statements = (List<List<String>>) body;
            for (List<String> lines : statements) {
              for (String l : lines) {
                if (hasLineBreak(l)) {
                  appendLines(out, text, line, k, l + "\n");
                } else {
                  if (!l.isEmpty()) out.append(text, line, k).append(l);
                  out.append('\n');
                }
              }
            }
          }
          copied = stop;
        }
      }
      line = stop;
    }
    out.append(text, copied, to);
  }

  /**
   * Appends {@code code}'s lines, each after {@code text}'s characters {@code from} to {@code to} (an indentation)
   * unless empty, each ending in a line break: JavaPoet breaks lines where regex {@code \R} matches.
   */
  private static void appendLines(StringBuilder out, String text, int from, int to, String code) {
    int n = code.length();
    for (int b = 0; b < n; ) {
      int e = b;
      while (e < n && !JavaText.isLineBreak(code.charAt(e))) e++;
      if (e > b) out.append(text, from, to).append(code, b, e);
      if (e == n) break; // not reached: a body ends with a line break
      out.append('\n');
      b = e + (code.charAt(e) == '\r' && e + 1 < n && code.charAt(e + 1) == '\n' ? 2 : 1); // \R: CRLF is one
    }
  }

  private static boolean hasLineBreak(String line) {
    for (int k = 0, n = line.length(); k < n; k++) {
      char c = line.charAt(k);
      // a line break is below a space or one of three characters from NEL on: one comparison for most characters
      if ((c < ' ' || c >= '\u0085') && JavaText.isLineBreak(c)) return true;
    }
    return false;
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
