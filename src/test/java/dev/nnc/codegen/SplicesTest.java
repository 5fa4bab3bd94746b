package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.lang.model.element.Modifier;
import org.junit.jupiter.api.Test;

/**
 * {@link Splices}: a class whose fields and part classes are written apart (on several threads past
 * {@link Parallel#MIN_ITEMS} members) and spliced in is the same text as the class JavaPoet writes whole; members that
 * may need an import stay with JavaPoet.
 */
class SplicesTest {
  @Test
  void splicedClassIsTheSameTextAsJavaPoetsWholeClass() {
    for (int n : new int[] {1, 3, Parallel.MIN_ITEMS + 7}) {
      String whole = file(n, List::copyOf, t -> t);
      Splices splices = new Splices();
      String spliced = splices.apply(file(n, splices::fields, splices::type));
      assertEquals(whole, spliced, n + " fields");
      assertTrue(!spliced.contains("nnc$splice$"), "every marker replaced");
    }
  }

  /** A class as the generator lays one out: static and plain fields, bulk fields, methods, part classes. */
  private static String file(int n, Function<List<FieldSpec>, List<FieldSpec>> bulkFields,
      UnaryOperator<TypeSpec> partType) {
    TypeSpec.Builder t = TypeSpec.classBuilder("Model").addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("$L", "A model.\n");
    t.addField(FieldSpec.builder(int.class, "N", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .initializer("$L", 3).addJavadoc("$L", "Dim N = 3.\n").build());
    t.addField(FieldSpec.builder(int.class, "rows", Modifier.PRIVATE).addJavadoc("$L", "Rows.\n").build());
    List<FieldSpec> bulk = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      bulk.add(k % 3 == 0
          ? FieldSpec.builder(double.class, "v" + k, Modifier.PUBLIC).addJavadoc("$L", "v" + k + " = tanh(…)\n"
              + "set by forward().\n").build()
          : k % 3 == 1 ? FieldSpec.builder(ArrayTypeName.of(float.class), "a" + k, Modifier.PUBLIC, Modifier.FINAL)
              .addJavadoc("$L", "∂L/∂a" + k + ".\n").build()
          : FieldSpec.builder(double.class, "t" + k, Modifier.PRIVATE).build());
    }
    // a field whose type needs an import keeps the whole bulk with JavaPoet
    List<FieldSpec> withImport = List.of(FieldSpec.builder(ClassName.get("java.util", "SplittableRandom"), "random",
        Modifier.PRIVATE).build(), FieldSpec.builder(double.class, "after", Modifier.PRIVATE).build());
    for (FieldSpec f : bulkFields.apply(bulk)) t.addField(f);
    for (FieldSpec f : bulkFields.apply(withImport)) t.addField(f);
    t.addMethod(MethodSpec.methodBuilder("forward").addModifiers(Modifier.PUBLIC).returns(double.class)
        .addCode("$L", "forwardParts1.forwardPart1();\nreturn v0;\n").build());
    for (int g = 1; g <= 3; g++) {
      TypeSpec.Builder part = TypeSpec.classBuilder("ForwardParts" + g).addModifiers(Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("$L", "Parts of {@link #forward}.\n");
      for (int k = 1; k <= 2; k++) {
        part.addMethod(MethodSpec.methodBuilder("forwardPart" + k).addModifiers(Modifier.PRIVATE)
            .addJavadoc("$L", "Statements.\n")
            .addCode("$L", "// v1 = tanh(w x)\nv" + k + " = Math.tanh(v0 * 2.0);\n\nfor (int i = 0; i < N; i++) {\n"
                + "  a1[i] = 0.0f;\n}\n").build());
      }
      t.addType(partType.apply(part.build()));
    }
    // a class with a parameterised method may need imports: it stays with JavaPoet
    t.addType(partType.apply(TypeSpec.classBuilder("Task").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addMethod(MethodSpec.methodBuilder("run").addParameter(ClassName.get("java.nio.file", "Path"), "p")
            .returns(TypeName.VOID).build()).build()));
    return JavaFile.builder("pkg", t.build()).skipJavaLangImports(true).addFileComment("$L", "Generated").build()
        .toString();
  }
}
