package dev.nnc.processor;

import dev.nnc.Compiler;
import dev.nnc.NnModel;
import dev.nnc.Result;
import dev.nnc.codegen.GeneratedFile;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Source;
import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.FilerException;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.QualifiedNameable;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic.Kind;
import javax.tools.JavaFileObject;

/**
 * The {@link NnModel} annotation processor: compiles each annotated model with the same {@link Compiler#compile}
 * the command line uses and writes the generated classes through the {@code Filer} into the annotated element's
 * package, with the annotated element as the originating element.
 *
 * <p>Errors never escape {@link #process}: a model's diagnostics become javac errors (warnings) on the annotation,
 * one message per diagnostic, and anything unexpected becomes one error naming the annotated element, so the
 * other models of the build still generate. What is generated depends only on the annotation's values, the model
 * text and the package, never on where the file was found or on the order of other annotations.
 */
public final class NnProcessor extends AbstractProcessor {
  /** Extra folders to look for model files in, separated by the platform path separator or commas. */
  public static final String MODEL_PATH_OPTION = "nnc.modelPath";

  private static final String ANNOTATION = NnModel.class.getCanonicalName();

  /** The seam tests use to make the compiler fail or answer canned results; the real one is the CLI's. */
  @FunctionalInterface
  interface ModelCompiler {
    Result compile(Source source, String packageName);
  }

  private final ModelCompiler compiler;
  private ModelLocator locator;
  /** Generated class → the annotated element that produced it, to explain a clash between two annotations. */
  private final Map<String, String> generatedBy = new HashMap<>();

  /** The processor javac finds through META-INF/services. */
  public NnProcessor() {
    this((source, pkg) -> Compiler.compile(source, Compiler.Options.defaults().inPackage(pkg)));
  }

  NnProcessor(ModelCompiler compiler) {
    this.compiler = compiler;
  }

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    locator = new ModelLocator(env, ModelLocator.parseModelPath(env.getOptions().get(MODEL_PATH_OPTION)));
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(ANNOTATION);
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(MODEL_PATH_OPTION);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Messager messager = processingEnv.getMessager();
    TypeElement annotation = processingEnv.getElementUtils().getTypeElement(ANNOTATION);
    if (annotation == null) return false;
    for (Element element : round.getElementsAnnotatedWith(annotation)) {
      try {
        processOne(element);
      } catch (Throwable t) { // a bug in nnc must not take the user's whole build down with a javac crash
        messager.printMessage(Kind.ERROR, Messages.internalError(describe(element), t), element, mirrorOf(element));
      }
    }
    return true; // @NnModel is ours alone
  }

  private void processOne(Element element) throws IOException {
    Messager messager = processingEnv.getMessager();
    AnnotationMirror mirror = mirrorOf(element);
    if (mirror == null) return; // javac gave us the element for this annotation; cannot happen, but never crash
    AnnotationValue fileValue = null;
    AnnotationValue sourceValue = null;
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
      String name = e.getKey().getSimpleName().toString();
      if (!(e.getValue().getValue() instanceof String text) || text.isEmpty()) continue;
      if (name.equals("value")) fileValue = e.getValue();
      if (name.equals("source")) sourceValue = e.getValue();
    }
    if ((fileValue == null) == (sourceValue == null)) {
      String which = fileValue == null ? "neither" : "both";
      messager.printMessage(Kind.ERROR, "[" + Code.BAD_ANNOTATION.id() + "] @NnModel on " + describe(element) + " gives " + which
          + " of value (a .nn file) and source (the model text); give exactly one", element, mirror);
      return;
    }

    String pkg = packageOf(element);
    Source source;
    String where;
    AnnotationValue at;
    if (sourceValue != null) {
      at = sourceValue;
      where = simpleName(element) + "@NnModel";
      source = Source.of(where, (String) sourceValue.getValue());
    } else {
      at = fileValue;
      String path = (String) fileValue.getValue();
      String problem = ModelLocator.problemWith(path);
      if (problem != null) {
        messager.printMessage(Kind.ERROR, "[" + Code.BAD_ANNOTATION.id() + "] @NnModel(\"" + path + "\") on " + describe(element) + ": "
            + problem, element, mirror, at);
        return;
      }
      ModelLocator.Lookup lookup = locator.find(element, pkg, path);
      if (lookup.found() == null) {
        messager.printMessage(Kind.ERROR, Messages.missingFile(path, describe(element), lookup.tried()),
            element, mirror, at);
        return;
      }
      // The Source is named as the annotation names the file, so generated code never mentions a local path.
      source = Source.fromBytes(path.startsWith("/") ? path.substring(1) : path, lookup.found().bytes());
      where = lookup.found().location();
    }

    Result result = compiler.compile(source, pkg);
    for (Diagnostic d : result.diagnostics()) {
      Kind kind = d.isError() ? Kind.ERROR : Kind.WARNING;
      messager.printMessage(kind, Messages.diagnostic(source, where, d), element, mirror, at);
    }
    if (result.hasErrors()) return;
    for (GeneratedFile file : result.files()) write(element, mirror, at, file);
  }

  private void write(Element element, AnnotationMirror mirror, AnnotationValue at, GeneratedFile file)
      throws IOException {
    String className = file.qualifiedName();
    String origin = describe(element);
    String earlier = generatedBy.putIfAbsent(className, origin);
    if (earlier != null) {
      processingEnv.getMessager().printMessage(Kind.ERROR, "[" + Code.CLASS_CLASH.id() + "] the model " + file.className() + " of @NnModel on "
          + origin + " would generate " + className + ", which @NnModel on " + earlier
          + " already generates; rename one of the models", element, mirror, at);
      return;
    }
    JavaFileObject out;
    try {
      out = processingEnv.getFiler().createSourceFile(className, element);
    } catch (FilerException clash) {
      processingEnv.getMessager().printMessage(Kind.ERROR, "[" + Code.CLASS_CLASH.id() + "] the model " + file.className() + " of @NnModel on "
          + origin + " would generate " + className + ", but javac refused: " + clash.getMessage()
          + "; a class of that name already exists, so rename the model", element, mirror, at);
      return;
    }
    try (Writer writer = out.openWriter()) {
      writer.write(file.content());
    }
  }

  private static AnnotationMirror mirrorOf(Element element) {
    for (AnnotationMirror m : element.getAnnotationMirrors()) {
      Element type = m.getAnnotationType().asElement();
      if (type instanceof TypeElement t && t.getQualifiedName().contentEquals(ANNOTATION)) return m;
    }
    return null;
  }

  private String packageOf(Element element) {
    PackageElement pkg = processingEnv.getElementUtils().getPackageOf(element);
    return pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
  }

  private static String simpleName(Element element) {
    return element instanceof PackageElement ? "package-info" : element.getSimpleName().toString();
  }

  private static String describe(Element element) {
    if (element instanceof PackageElement p) return "package " + (p.isUnnamed() ? "(unnamed)" : p.getQualifiedName());
    if (element instanceof QualifiedNameable q) return q.getQualifiedName().toString();
    return element.getSimpleName().toString();
  }

}
