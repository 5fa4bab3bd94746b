package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import javax.lang.model.element.Modifier;
import org.junit.jupiter.api.Test;

/**
 * {@link Splices}: a class whose fields, part classes and method bodies are written apart (on several threads past
 * {@link Parallel#MIN_ITEMS} members; the fields and bodies without JavaPoet) and spliced in is the same text as the
 * class JavaPoet writes whole; members that may need an import stay with JavaPoet.
 */
class SplicesTest {
  @Test
  void splicedClassIsTheSameTextAsJavaPoetsWholeClass() {
    for (int n : new int[] {1, 3, Parallel.MIN_ITEMS + 7}) {
      String whole = file(n, null);
      Splices splices = new Splices();
      String spliced = splices.apply(file(n, splices));
      assertEquals(whole, spliced, n + " fields");
      assertTrue(!spliced.contains("nnc$splice$"), "every marker replaced");
    }
  }

  /** Each field as written without JavaPoet is JavaPoet's text: Javadoc of one line, several, blank lines, none. */
  @Test
  void aFieldIsWrittenAsJavaPoetWritesIt() {
    List<String> docs = Arrays.asList(null, "", "One line.\n", "No line break", "Two\nlines.\n", "A\n\nblank line.\n",
        "\nleading break\n", "trailing blank\n\n", "crlf\r\nline\rcr\u2028ls\n", "  indented *\n");
    for (String doc : docs) {
      for (TypeName type : List.of(TypeName.DOUBLE, TypeName.FLOAT, ArrayTypeName.of(double.class),
          ArrayTypeName.of(float.class))) {
        for (Set<Modifier> mods : List.of(Set.of(Modifier.PUBLIC), Set.of(Modifier.FINAL, Modifier.PRIVATE),
            Set.of(Modifier.PUBLIC, Modifier.FINAL))) {
          Splices.Field f = new Splices.Field(type, "v1", doc, mods);
          assertEquals(f.spec().toString(), f.text(""), doc + " " + type + " " + mods);
          assertEquals(f.spec().toString().replaceAll("(?m)^(?=.)", "    "), f.text("    "), doc + " indented");
        }
      }
    }
    // a type that may need an import is not a bulk field: JavaPoet writes it, with the imports
    assertThrows(IllegalArgumentException.class, () -> new Splices.Field(ClassName.get("java.util", "SplittableRandom"),
        "random", null, Set.of(Modifier.PRIVATE)));
  }

  /** A class as the generator lays one out: static and plain fields, bulk fields, methods, part classes. */
  private static String file(int n, Splices splices) {
    TypeSpec.Builder t = TypeSpec.classBuilder("Model").addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("$L", "A model.\n");
    t.addField(FieldSpec.builder(int.class, "N", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .initializer("$L", 3).addJavadoc("$L", "Dim N = 3.\n").build());
    t.addField(FieldSpec.builder(int.class, "rows", Modifier.PRIVATE).addJavadoc("$L", "Rows.\n").build());
    List<Splices.Field> bulk = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      bulk.add(k % 3 == 0
          ? new Splices.Field(TypeName.DOUBLE, "v" + k, "v" + k + " = tanh(…)\nset by forward().\n",
              Set.of(Modifier.PUBLIC))
          : k % 3 == 1 ? new Splices.Field(ArrayTypeName.of(float.class), "a" + k, "∂L/∂a" + k + ".\n",
              Set.of(Modifier.PUBLIC, Modifier.FINAL))
          : new Splices.Field(TypeName.DOUBLE, "t" + k, null, Set.of(Modifier.PRIVATE)));
    }
    if (splices == null) {
      for (Splices.Field f : bulk) t.addField(f.spec());
    } else {
      for (FieldSpec f : splices.fields(bulk)) t.addField(f);
    }
    t.addField(FieldSpec.builder(ClassName.get("java.util", "SplittableRandom"), "random", Modifier.PRIVATE).build());
    Function<String, CodeBlock> code = text -> splices == null ? CodeBlock.of("$L", text) : splices.body(text);
    // statements' lines, each followed by a line break (a line ending in CR makes one break with it, as JavaPoet reads)
    Function<List<List<String>>, CodeBlock> statements = lines -> {
      if (splices != null) return splices.body(lines);
      StringBuilder text = new StringBuilder();
      for (List<String> statement : lines) for (String line : statement) text.append(line).append('\n');
      return CodeBlock.of("$L", text.toString());
    };
    t.addMethod(MethodSpec.methodBuilder("forward").addModifiers(Modifier.PUBLIC).returns(double.class)
        .addCode(code.apply("forwardParts1.forwardPart1();\nreturn v0;\n")).build());
    for (int g = 1; g <= 3; g++) {
      TypeSpec.Builder part = TypeSpec.classBuilder("ForwardParts" + g).addModifiers(Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("$L", "Parts of {@link #forward}.\n");
      for (int k = 1; k <= 2; k++) {
        part.addMethod(MethodSpec.methodBuilder("forwardPart" + k).addModifiers(Modifier.PRIVATE)
            .addJavadoc("$L", "Statements.\n")
            .addCode(statements.apply(List.of(List.of("// v1 = tanh(w x)", "v" + k + " = Math.tanh(v0 * 2.0);"), List.of(),
                List.of("", "for (int i = 0; i < N; i++) {", "  a1[i] = 0.0f;", "}"), List.of("// crlf\r", "x = 1;"))))
            .build());
      }
      t.addType(splices == null ? part.build() : splices.type(part.build()));
    }
    // a class with a parameterised method may need imports: it stays with JavaPoet
    TypeSpec task = TypeSpec.classBuilder("Task").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addMethod(MethodSpec.methodBuilder("run").addParameter(ClassName.get("java.nio.file", "Path"), "p")
            .returns(TypeName.VOID).build()).build();
    t.addType(splices == null ? task : splices.type(task));
    return JavaFile.builder("pkg", t.build()).skipJavaLangImports(true).addFileComment("$L", "Generated").build()
        .toString();
  }
}
