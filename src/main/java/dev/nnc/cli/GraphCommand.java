package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Code;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import dev.nnc.notation.MathPrinter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * {@code nnc graph FILE [NAME=VALUE…] [-o OUT.svg|OUT.dot]}: the computation graph, one node per input, param and
 * operation, with forward values (green) and gradients (red) when a point is given. SVG drawn by nnc itself;
 * DOT (to standard output without {@code -o}) for Graphviz.
 */
@Command(name = "graph", mixinStandardHelpOptions = true, description = {
    "Draws the computation graph, with values and gradients at a point if one is given.",
    "Writes SVG (drawn by nnc, no Graphviz needed) or DOT by the extension of -o; DOT to standard output without -o."})
final class GraphCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
  Path file;

  @Parameters(index = "1..*", paramLabel = "NAME=VALUE", description = "values of inputs and params (optional)")
  List<String> assignments = new ArrayList<>();

  @Option(names = "-o", paramLabel = "OUT", description = "write OUT.svg or OUT.dot")
  Path output;

  @Option(names = "--ascii", description = "print dJ/da instead of ∂J/∂a")
  boolean ascii;

  @Option(names = "--random", paramLabel = "SEED", description = "fill tensors not given with seeded random numbers")
  Long seed;

  @Mixin DimOption dims;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean svg = false;
    if (output != null) {
      String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
      svg = name.endsWith(".svg");
      if (!svg && !name.endsWith(".dot")) {
        throw new CommandLine.ParameterException(spec.commandLine(), "-o " + output + ": the picture is written as "
            + "OUT.svg or OUT.dot (the extension chooses the format)");
      }
    }
    try {
      Result result = Inputs.compile(file, Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK), err);
      if (result == null) return Main.MODEL_ERRORS;
      List<GraphPicture> pictures;
      try {
        pictures = pictures(result, assignments, dims.sizes(result.models()), seed, ascii ? MathPrinter.Notation.ASCII
            : MathPrinter.Notation.UNICODE);
      } catch (ModelValues.BadValue e) {
        err.println(e.render(file.toString()));
        return Main.MODEL_ERRORS;
      }
      String text = svg ? svg(pictures) : dot(pictures);
      if (output == null) {
        out.print(text);
        return Main.OK;
      }
      try {
        Files.writeString(output, text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println(output + ": error: [" + Code.CANNOT_WRITE.id() + "] cannot write: " + e.getMessage());
        return Main.MODEL_ERRORS;
      }
      out.println(output);
      return Main.OK;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** One picture per model; values and gradients when any value or a seed is given. */
  static List<GraphPicture> pictures(Result result, List<String> assignments, Map<String, Integer> dims, Long seed,
      MathPrinter.Notation notation) throws ModelValues.BadValue {
    Map<String, ValueLiteral> given = ModelValues.parse(assignments);
    EvalCommand.checkKnown(result, given);
    boolean point = !given.isEmpty() || seed != null;
    List<GraphPicture> out = new ArrayList<>();
    for (ModelIR model : result.models()) {
      Interpreter in = point ? EvalCommand.bind(model, dims, given, seed) : null;
      out.add(GraphPicture.of(model, in, notation));
    }
    return out;
  }

  static String dot(List<GraphPicture> pictures) {
    StringBuilder sb = new StringBuilder();
    for (GraphPicture p : pictures) sb.append(p.dot());
    return sb.toString();
  }

  /** One SVG; several models stacked, each its own nested picture. */
  static String svg(List<GraphPicture> pictures) {
    if (pictures.size() == 1) return GraphSvg.svg(pictures.get(0));
    StringBuilder inner = new StringBuilder();
    double y = 0;
    double width = 0;
    for (GraphPicture p : pictures) {
      String one = GraphSvg.svg(p);
      double w = Double.parseDouble(attribute(one, "width"));
      double h = Double.parseDouble(attribute(one, "height"));
      inner.append(one.replaceFirst("<svg ", "<svg y=\"" + String.format(Locale.ROOT, "%.1f", y) + "\" "));
      y += h;
      width = Math.max(width, w);
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + String.format(Locale.ROOT, "%.1f", width)
        + "\" height=\"" + String.format(Locale.ROOT, "%.1f", y) + "\">\n" + inner + "</svg>\n";
  }

  private static String attribute(String svg, String name) {
    int i = svg.indexOf(" " + name + "=\"") + name.length() + 3;
    return svg.substring(i, svg.indexOf('"', i));
  }
}
