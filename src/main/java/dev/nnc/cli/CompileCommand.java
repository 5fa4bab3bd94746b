package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.codegen.Api;
import dev.nnc.codegen.GeneratedFile;
import dev.nnc.codegen.JavaPackages;
import dev.nnc.codegen.Precision;
import dev.nnc.diag.Code;
import dev.nnc.diag.Source;
import dev.nnc.ir.ModelIR;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nnc compile FILE… [-d DIR] [-p PACKAGE] [--precision float64|float32] [--api full|core] [--report --dim
 * NAME=SIZE…]}: writes {@code DIR/<package path>/<Model>.java} for every model of every file and prints the paths
 * written, then, with {@code --report}, each model's cost report ({@link CostReport}). All or nothing: if any file has an error, nothing is written.
 */
@Command(name = "compile", mixinStandardHelpOptions = true,
    description = "Compiles .nn files to Java: one class per model in DIR/<package path>/<Model>.java; "
        + "prints the paths written. Nothing is written if any model has an error (exit 1).")
final class CompileCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "the .nn files to compile")
  List<Path> files;

  @Option(names = "-d", paramLabel = "DIR", description = "the output root directory (default: .)")
  Path dir = Path.of(".");

  @Option(names = "-p", paramLabel = "PACKAGE", description = "the Java package of the generated classes (default: none)")
  String packageName = "";

  @Option(names = "--precision", paramLabel = "TYPE", converter = PrecisionConverter.class,
      description = "the element type of the generated classes: float64 (double[], the default) or float32 (float[])")
  Precision precision = Precision.FLOAT64;

  @Option(names = "--api", paramLabel = "LEVEL", converter = ApiConverter.class,
      description = "full (the default): the class with flat views, gradient aggregation, optimisers and .npz "
          + "save/load; core: only the constructor, initialize, forward, predict, backward and step")
  Api api = Api.FULL;

  @Option(names = "--report", description = "after writing the classes, print each model's cost report: operation "
      + "counts of forward and backward, FLOPs per training step, bytes kept, IR size (docs/codegen.md)")
  boolean report;

  @Mixin DimOption dims; // sizes for --report


  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String packageProblem = JavaPackages.problem(packageName);
    if (packageProblem != null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "error: [" + Code.BAD_PACKAGE.id() + "] -p " + packageName + ": " + packageProblem);
    }
    String dirProblem = OutputDir.problem(dir);
    if (dirProblem != null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "error: [" + Code.BAD_OUTPUT_DIR.id() + "] -d " + dir + ": " + dirProblem);
    }
    if (!dims.isEmpty() && !report) {
      err.println("error: [" + Code.DIM_WITHOUT_REPORT.id() + "] --dim " + dims.first() + ": sizes are only used by "
          + "--report (the generated class takes its free dims in its constructor); add --report");
      err.flush();
      return Main.MODEL_ERRORS;
    }
    try {
      DimOption.parse(dims.given); // the form of every --dim first: it needs no model
    } catch (DimOption.BadDim e) {
      return badDim(e, err);
    }
    boolean failed = false;
    List<Source> sources = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    Map<String, GeneratedFile> byPath = new LinkedHashMap<>();
    Map<String, String> origin = new LinkedHashMap<>();
    for (Path file : files) {
      Source source = Inputs.read(file, err);
      if (source == null) {
        failed = true;
        continue;
      }
      Result result = Compiler.compile(source, Compiler.Options.defaults().inPackage(packageName).withPrecision(precision).withApi(api));
      if (Inputs.report(result, err)) {
        failed = true;
        continue;
      }
      sources.add(source);
      results.add(result);
      for (GeneratedFile g : result.files()) {
        String key = g.caseInsensitivePath();
        if (byPath.containsKey(key)) {
          err.println(file + ": error: [" + Code.CLASS_CLASH.id() + "] model " + g.className() + " generates "
              + g.relativePath() + ", which " + origin.get(key) + " also generates; rename one model or use -p");
          failed = true;
        } else {
          byPath.put(key, g);
          origin.put(key, file.toString());
        }
      }
    }
    Map<String, Integer> sizes = Map.of();
    if (!failed && report) {
      List<ModelIR> models = new ArrayList<>();
      for (Result r : results) models.addAll(r.models());
      try {
        sizes = dims.sizes(models);
      } catch (DimOption.BadDim e) {
        return badDim(e, err);
      }
      failed = !everyFreeDimSized(sizes, results, err);
    }
    if (failed) {
      err.flush();
      return Main.MODEL_ERRORS;
    }
    List<Path> written = new ArrayList<>();
    for (GeneratedFile g : byPath.values()) {
      Path target = dir.resolve(g.relativePath());
      try {
        if (target.getParent() != null) Files.createDirectories(target.getParent());
        Files.writeString(target, g.content(), StandardCharsets.UTF_8);
        written.add(target);
      } catch (IOException e) {
        err.println(target + ": error: [" + Code.CANNOT_WRITE.id() + "] cannot write: " + OutputDir.reason(e));
        err.flush();
        return Main.MODEL_ERRORS;
      }
    }
    for (Path p : written) out.println(p);
    if (report) {
      for (int k = 0; k < results.size(); k++) {
        for (CostReport.Figures f : CostReport.figures(sources.get(k), results.get(k), sizes, precision, api)) {
          out.println();
          out.print(CostReport.render(f));
        }
      }
    }
    out.flush();
    return Main.OK;
  }

  private static int badDim(DimOption.BadDim e, PrintWriter err) {
    err.println("error: [" + Code.BAD_REPORT_DIM.id() + "] " + e.getMessage());
    err.flush();
    return Main.MODEL_ERRORS;
  }

  /** Every free dim of every model has a size (the report needs them all); prints each that has none. */
  private static boolean everyFreeDimSized(Map<String, Integer> sizes, List<Result> results, PrintWriter err) {
    boolean ok = true;
    for (Result r : results) {
      for (ModelIR m : r.models()) {
        for (ModelIR.DimInfo d : m.dims()) {
          if (d.isFree() && !sizes.containsKey(d.name())) {
            err.println(r.source().name() + ": error: [" + Code.BAD_REPORT_DIM.id() + "] the report needs a size for "
                + "the free dim " + d.name() + " of model " + m.name() + ": add --dim " + d.name() + "=100");
            ok = false;
          }
        }
      }
    }
    return ok;
  }
}
