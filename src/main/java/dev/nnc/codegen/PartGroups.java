package dev.nnc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.ir.JavaIdentifiers;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Where the private parts of a long {@code forward}, {@code backward} or {@code predict} go. A class file holds at most
 * 65,535 constant-pool entries, and every field a method reads or writes costs the class that holds the method about
 * three of them: a 10,000-statement model (20,000 scalar fields, read and written by its parts) made javac fail with
 * "too many constants". Up to {@link #PARTS_PER_CLASS} parts stay private methods of the model class; past that they
 * move, {@link #PARTS_PER_CLASS} at a time, into private inner classes whose instances the model creates once at
 * construction ({@link #creations}). The parts' code is unchanged (an inner class reads and writes the model's fields by their plain
 * names), but each inner class has its own constant pool, so the model class keeps only the field declarations.
 * Calls allocate nothing.
 */
final class PartGroups {
  /** Parts per class: 600 statements of at most {@link Plan#INLINE_LIMIT} operands each stay far below the limit. */
  static final int PARTS_PER_CLASS = 10;

  /** What to add to the model class, and how its method calls each part (in order). */
  record Placement(List<MethodSpec> methods, List<TypeSpec> types, List<FieldSpec> fields, List<String> calls) {}

  private PartGroups() {}

  /**
   * The statements that create the instances of {@code placement}'s inner classes, for one private method the
   * constructor calls once. Not the fields' initialisers or the constructor's own code: for every {@code new} and every
   * call in a constructor javac walks all members of the class (Gen.setTypeAnnotationPositions, looking for type
   * annotations on fields), and a long class has tens of thousands of fields: 59 creations in the 10,000-statement
   * model's constructor were 4–7 % of javac's time on it.
   */
  static List<String> creations(Placement placement) {
    List<String> out = new ArrayList<>();
    for (FieldSpec f : placement.fields()) out.add(f.name() + " = new " + f.type() + "();");
    return out;
  }

  /**
   * Places {@code parts} (private, no-argument, void methods, in call order); {@code family} names the inner classes
   * ({@code ForwardParts1}, …) and their instances ({@code forwardParts1}, …), made unique in {@code names}.
   */
  static Placement place(List<MethodSpec> parts, String family, String what, JavaIdentifiers names) {
    List<String> calls = new ArrayList<>();
    if (parts.size() <= PARTS_PER_CLASS) {
      for (MethodSpec m : parts) calls.add(m.name() + "();");
      return new Placement(parts, List.of(), List.of(), calls);
    }
    List<TypeSpec> types = new ArrayList<>();
    List<FieldSpec> fields = new ArrayList<>();
    for (int from = 0, g = 1; from < parts.size(); from += PARTS_PER_CLASS, g++) {
      String type = names.fresh(family + "Parts" + g);
      String field = names.fresh(Character.toLowerCase(family.charAt(0)) + family.substring(1) + "Parts" + g);
      List<MethodSpec> group = parts.subList(from, Math.min(parts.size(), from + PARTS_PER_CLASS));
      TypeSpec.Builder t = TypeSpec.classBuilder(type).addModifiers(Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("$L", "Parts " + (from + 1) + " to " + (from + group.size()) + " of " + what + ", in a class of"
              + " their own: each class has its own constant pool (at most 65,535 entries).\n");
      for (MethodSpec m : group) {
        t.addMethod(m);
        calls.add(field + "." + m.name() + "();");
      }
      types.add(t.build());
      // not final, with no initializer: created by a method the constructor calls (see creations)
      fields.add(FieldSpec.builder(ClassName.get("", type), field, Modifier.PRIVATE).build());
    }
    return new Placement(List.of(), types, fields, calls);
  }
}
