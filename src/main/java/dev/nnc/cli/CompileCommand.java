package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.codegen.GeneratedFile;
import dev.nnc.codegen.JavaPackages;
import dev.nnc.diag.Code;
import dev.nnc.diag.Source;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nnc compile FILE… [-d DIR] [-p PACKAGE]}: writes {@code DIR/<package path>/<Model>.java} for every model of
 * every file and prints the paths written. All or nothing: if any file has an error, nothing is written.
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
    boolean failed = false;
    Map<String, GeneratedFile> byPath = new LinkedHashMap<>();
    Map<String, String> origin = new LinkedHashMap<>();
    for (Path file : files) {
      Source source = Inputs.read(file, err);
      if (source == null) {
        failed = true;
        continue;
      }
      Result result = Compiler.compile(source, Compiler.Options.defaults().inPackage(packageName));
      if (Inputs.report(result, err)) {
        failed = true;
        continue;
      }
      for (GeneratedFile g : result.files()) {
        String key = g.relativePath().toLowerCase(java.util.Locale.ROOT); // case-insensitive file systems
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
    out.flush();
    return Main.OK;
  }
}
