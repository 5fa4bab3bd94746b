package dev.nnc;

import dev.nnc.ast.SourceFile;
import dev.nnc.check.Checker;
import dev.nnc.codegen.Api;
import dev.nnc.codegen.GeneratedFile;
import dev.nnc.codegen.JavaGenerator;
import dev.nnc.codegen.Precision;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Source;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.ModelIR;
import dev.nnc.parse.SourceParser;
import dev.nnc.simplify.Simplifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one driver behind the CLI and the annotation processor: a straight line of stages that returns after the
 * first stage that reported an error. It runs on a thread with a large stack so that deeply nested input (the
 * parser and per-statement tree walks recurse) ends in a result or a diagnostic, never a StackOverflowError;
 * passes over the whole model's graph are iterative.
 */
public final class Compiler {
  /** How far to go. */
  public enum Stage {
    PARSE,
    CHECK,
    DIFF,
    CODEGEN
  }

  /**
   * @param packageName Java package of generated classes ("" for none)
   * @param precision the element type of the generated classes (double or float)
   */
  public record Options(String packageName, Stage stopAfter, Precision precision, Api api) {
    public Options {
      if (precision == null) precision = Precision.FLOAT64;
      if (api == null) api = Api.FULL;
    }

    public static Options defaults() {
      return new Options("", Stage.CODEGEN, Precision.FLOAT64, Api.FULL);
    }

    public Options stopAfter(Stage stage) {
      return new Options(packageName, stage, precision, api);
    }

    public Options inPackage(String pkg) {
      return new Options(pkg, stopAfter, precision, api);
    }

    /** Generated classes over {@code double} (the default) or {@code float}. */
    public Options withPrecision(Precision p) {
      return new Options(packageName, stopAfter, p, api);
    }

    /** Generated classes with the full public API (the default) or the core one ({@link Api}). */
    public Options withApi(Api a) {
      return new Options(packageName, stopAfter, precision, a);
    }
  }

  private static final long STACK_BYTES = 1L << 30; // virtual memory only; touched only as deep as needed

  private Compiler() {}

  public static Result compile(Source source) {
    return compile(source, Options.defaults());
  }

  public static Result compile(Source source, Options options) {
    AtomicReference<Result> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread worker = new Thread(null, () -> {
      try {
        result.set(run(source, options));
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "nnc-compile", STACK_BYTES);
    worker.start();
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while compiling " + source.name(), e);
    }
    if (failure.get() != null) {
      Throwable t = failure.get();
      if (t instanceof RuntimeException re) throw re;
      if (t instanceof Error err) throw err;
      throw new IllegalStateException(t);
    }
    return result.get();
  }

  private static Result run(Source source, Options options) {
    Diagnostics diags = new Diagnostics();
    List<ModelIR> models = new ArrayList<>();
    List<DiffModel> derivatives = new ArrayList<>();
    List<GeneratedFile> files = new ArrayList<>();
    if (source.decodeError() != null) {
      diags.error(Code.INVALID_UTF8, source.decodeError(), "invalid UTF-8 in " + source.name(),
          "save the file as UTF-8");
      return new Result(source, diags.sorted(), null, models, derivatives, files);
    }

    SourceFile ast = SourceParser.parse(source, diags);
    if (diags.hasErrors() || options.stopAfter() == Stage.PARSE) {
      return new Result(source, diags.sorted(), ast, models, derivatives, files);
    }

    models.addAll(Checker.check(ast, source, diags));
    if (diags.hasErrors() || options.stopAfter() == Stage.CHECK) {
      return new Result(source, diags.sorted(), ast, models, derivatives, files);
    }

    for (ModelIR model : models) {
      DiffModel dm = Simplifier.differentiate(model);
      // The generated jvp's tangents are nodes of the model's hash-consed graph, and the generated temporaries are
      // named by node id. A caller that stops here may use the graph before it generates (nnc explain traces first):
      // interning the tangents now gives them the ids codegen would give them right after this stage, so its Java is
      // nnc compile's, byte for byte. When codegen follows at once it makes them itself (no second forward-mode pass).
      if (options.stopAfter() == Stage.DIFF && !model.params().isEmpty()) dev.nnc.diff.Tangents.ofOrNull(dm);
      derivatives.add(dm);
    }
    if (diags.hasErrors() || options.stopAfter() == Stage.DIFF) {
      return new Result(source, diags.sorted(), ast, models, derivatives, files);
    }

    for (DiffModel model : derivatives) files.add(JavaGenerator.generate(model, options.packageName(), options.precision(),
        options.api()));
    reportClassClashes(models, files, diags);
    return new Result(source, diags.sorted(), ast, models, derivatives, files);
  }

  /**
   * Two models of one file whose classes differ only in case ({@code model A} and {@code model a}) would overwrite each
   * other's file on a case-insensitive file system, and javac refuses two such classes in one folder there: reported at
   * the later model, with the line of the earlier one (codegen makes one file per model, in order).
   */
  private static void reportClassClashes(List<ModelIR> models, List<GeneratedFile> files, Diagnostics diags) {
    java.util.Map<String, Integer> first = new java.util.HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      String key = files.get(i).caseInsensitivePath();
      Integer earlier = first.putIfAbsent(key, i);
      if (earlier == null) continue;
      ModelIR model = models.get(i);
      ModelIR other = models.get(earlier);
      diags.error(Code.CLASS_CLASH, model.span(), "model " + model.name() + " generates " + files.get(i).relativePath()
          + ", and model " + other.name() + " (line " + other.span().line() + ") generates "
          + files.get(earlier).relativePath() + ": file names that differ only in case are one file on "
          + "case-insensitive file systems", "rename one of the two models");
    }
  }
}
