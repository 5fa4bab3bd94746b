package dev.nnc.processor;

import dev.nnc.Compiler;
import dev.nnc.NnModel;
import dev.nnc.Result;
import dev.nnc.codegen.Api;
import dev.nnc.codegen.GeneratedFile;
import dev.nnc.codegen.Precision;
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

  /**
   * The {@code @Generated} every generated class carries. The processor claims it too: javac processes the
   * generated classes in a later round, and an annotation no processor claims is a "No processor claimed" warning
   * under {@code -Xlint:all}, which {@code -Werror} turns into a failed build.
   */
  private static final String GENERATED = "javax.annotation.processing.Generated";

  /** The seam tests use to make the compiler fail or answer canned results; the real one is the CLI's. */
  @FunctionalInterface
  interface ModelCompiler {
    Result compile(Source source, String packageName, Precision precision, Api api);
  }

  private final ModelCompiler compiler;
  private ModelLocator locator;
  /** Generated class → the annotated element that produced it, to explain a clash between two annotations. */
  private final Map<String, String> generatedBy = new HashMap<>();

  /** The processor javac finds through META-INF/services. */
  public NnProcessor() {
    this((source, pkg, precision, api) -> Compiler.compile(source,
        Compiler.Options.defaults().inPackage(pkg).withPrecision(precision).withApi(api)));
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
    return Set.of(ANNOTATION, GENERATED);
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
    return true; // @NnModel is ours alone; @Generated is claimed so that strict builds see no warning (GENERATED)
  }

  /** Where messages about one annotation go: the element, the annotation, and its value that was given. */
  private record Target(Element element, AnnotationMirror mirror, AnnotationValue value) {}

  /** The model text, and the name its diagnostics use (the file where it was found, or Class@NnModel). */
  private record Loaded(Source source, String where) {}

  private void processOne(Element element) throws IOException {
    AnnotationMirror mirror = mirrorOf(element);
    if (mirror == null) return; // javac gave us the element for this annotation; cannot happen, but never crash
    AnnotationValue file = given(mirror, "value");
    AnnotationValue inline = given(mirror, "source");
    if ((file == null) == (inline == null)) {
      error(new Target(element, mirror, null), Messages.notExactlyOne(describe(element), file != null));
      return;
    }
    Target target = new Target(element, mirror, inline != null ? inline : file);
    AnnotationValue precisionValue = given(mirror, "precision");
    Precision precision = precisionValue == null ? Precision.FLOAT64 : Precision.parse((String) precisionValue.getValue());
    if (precision == null) {
      error(new Target(element, mirror, precisionValue),
          Messages.badPrecision((String) precisionValue.getValue(), describe(element)));
      return;
    }
    AnnotationValue apiValue = given(mirror, "api");
    Api api = apiValue == null ? Api.FULL : Api.parse((String) apiValue.getValue());
    if (api == null) {
      error(new Target(element, mirror, apiValue), Messages.badApi((String) apiValue.getValue(), describe(element)));
      return;
    }
    String pkg = packageOf(element);
    Loaded model = inline != null ? inlineModel(element, inline) : fileModel(target, pkg, (String) file.getValue());
    if (model == null) return;

    Result result = compiler.compile(model.source(), pkg, precision, api);
    for (Diagnostic d : result.diagnostics()) {
      print(d.isError() ? Kind.ERROR : Kind.WARNING, target, Messages.diagnostic(model.source(), model.where(), d));
    }
    if (result.hasErrors()) return;
    for (GeneratedFile generated : result.files()) write(target, generated);
  }

  /** The annotation member's value if it was written and is a non-empty string (javac reports broken values). */
  private static AnnotationValue given(AnnotationMirror mirror, String member) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
      if (!e.getKey().getSimpleName().contentEquals(member)) continue;
      return e.getValue().getValue() instanceof String text && !text.isEmpty() ? e.getValue() : null;
    }
    return null;
  }

  private static Loaded inlineModel(Element element, AnnotationValue inline) {
    String name = simpleName(element) + "@NnModel";
    return new Loaded(Source.of(name, (String) inline.getValue()), name);
  }

  /** Reads the file the annotation names, or reports why not and returns null. */
  private Loaded fileModel(Target target, String pkg, String path) {
    String problem = ModelLocator.problemWith(path);
    if (problem != null) {
      error(target, Messages.badPath(path, describe(target.element()), problem));
      return null;
    }
    ModelLocator.Lookup lookup = locator.find(target.element(), pkg, path);
    if (lookup.found() == null) {
      error(target, Messages.missingFile(path, describe(target.element()), lookup.tried()));
      return null;
    }
    // Named as the annotation names the file, so the generated code never mentions where it happened to be.
    String name = path.startsWith("/") ? path.substring(1) : path;
    return new Loaded(Source.fromBytes(name, lookup.found().bytes()), lookup.found().location());
  }

  private void write(Target target, GeneratedFile file) throws IOException {
    String className = file.qualifiedName();
    String origin = describe(target.element());
    String earlier = generatedBy.putIfAbsent(className, origin);
    if (earlier != null) {
      error(target, Messages.generatedTwice(file.className(), origin, className, earlier));
      return;
    }
    JavaFileObject out;
    try {
      out = processingEnv.getFiler().createSourceFile(className, target.element());
    } catch (FilerException clash) {
      error(target, Messages.classExists(file.className(), origin, className, clash.getMessage()));
      return;
    }
    try (Writer writer = out.openWriter()) {
      writer.write(file.content());
    }
  }

  private void error(Target target, String message) {
    print(Kind.ERROR, target, message);
  }

  private void print(Kind kind, Target target, String message) {
    Messager messager = processingEnv.getMessager();
    if (target.value() != null) messager.printMessage(kind, message, target.element(), target.mirror(), target.value());
    else messager.printMessage(kind, message, target.element(), target.mirror());
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
