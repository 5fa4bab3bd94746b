package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diff.Adjoint;
import dev.nnc.diff.DiffModel;
import dev.nnc.eval.Interpreter;
import dev.nnc.ir.ModelIR;
import dev.nnc.notation.Label;
import dev.nnc.notation.MathPrinter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nnc eval FILE NAME=VALUE…}: runs the model in the IR interpreter — forward values in definition order,
 * then the gradient of the loss for every param ({@code J = 33}, {@code ∂J/∂a = 3}).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = {
    "Evaluates a model: forward values, then gradients (∂loss/∂param).",
    "Every scalar input and param must be given as NAME=VALUE; tensors as NAME=[1, 2, 3] (row-major), or filled "
        + "with seeded random numbers by --random."})
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
  Path file;

  @Parameters(index = "1..*", paramLabel = "NAME=VALUE", description = "values of inputs and params")
  List<String> assignments = new ArrayList<>();

  @Option(names = "--ascii", description = "print dJ/da instead of ∂J/∂a")
  boolean ascii;

  @Option(names = "--random", paramLabel = "SEED", description = "fill tensors not given with seeded random numbers "
      + "(uniform in [-1, 1]); free dims not given default to 3")
  Long seed;

  @Mixin DimOption dims;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Result result = Inputs.compile(file, Compiler.Options.defaults().stopAfter(Compiler.Stage.DIFF), err);
      if (result == null) return Main.MODEL_ERRORS;
      Map<String, ValueLiteral> given;
      try {
        Map<String, Integer> sizes = dims.sizes(result.models());
        given = ModelValues.parse(assignments);
        checkKnown(result, given);
        boolean several = result.derivatives().size() > 1;
        List<String> lines = new ArrayList<>();
        for (DiffModel model : result.derivatives()) {
          if (several) lines.add("model " + model.model().name());
          for (String line : evaluate(model, sizes, given)) lines.add(several ? "  " + line : line);
        }
        lines.forEach(out::println);
        return Main.OK;
      } catch (ModelValues.BadValue e) {
        err.println(e.render(file.toString()));
        return Main.MODEL_ERRORS;
      }
    } finally {
      out.flush();
      err.flush();
    }
  }

  static void checkKnown(Result result, Map<String, ValueLiteral> given) throws ModelValues.BadValue {
    Set<String> known = new HashSet<>();
    for (ModelIR m : result.models()) for (ModelIR.Leaf leaf : ModelValues.leaves(m)) known.add(leaf.name());
    for (String name : given.keySet()) {
      if (!known.contains(name)) {
        List<String> names = new ArrayList<>(known);
        names.sort(null);
        throw new ModelValues.BadValue("unknown name " + name + " (the inputs and params are: "
            + String.join(", ", names) + ")");
      }
    }
  }

  /**
   * An interpreter with every input and param of {@code ir} bound: given values, else (tensors, with a seed) seeded
   * uniform numbers in [−1, 1]; free dims from {@code dims}, the values' lengths, or 3 with a seed.
   */
  static Interpreter bind(ModelIR ir, Map<String, Integer> dims, Map<String, ValueLiteral> given, Long seed)
      throws ModelValues.BadValue {
    Map<String, Integer> sizes = ModelValues.dims(ir, dims, given, seed != null ? 3 : null);
    Interpreter sizer = new Interpreter(ir.graph(), sizes);
    Map<String, double[]> values = new HashMap<>();
    SplittableRandom random = seed == null ? null : new SplittableRandom(seed);
    List<String> missing = new ArrayList<>();
    for (ModelIR.Leaf leaf : ModelValues.leaves(ir)) {
      ValueLiteral v = given.get(leaf.name());
      boolean scalar = leaf.var().shape().isScalar();
      if (v != null) {
        values.put(leaf.name(), ModelValues.checked(leaf, v, sizer));
      } else if (!scalar && random != null) {
        values.put(leaf.name(), ModelValues.random(leaf, sizer, random, -1, 1, false));
      } else {
        missing.add(leaf.spelling() + (scalar ? "=NUMBER" : "=[…] (or --random SEED)"));
      }
    }
    if (!missing.isEmpty()) {
      throw new ModelValues.BadValue((ir.name() == null ? "" : ir.name() + ": ") + "missing value"
          + (missing.size() == 1 ? "" : "s") + ": give " + String.join(", ", missing));
    }
    return Interpreter.forModel(ir, sizes, values);
  }

  private List<String> evaluate(DiffModel model, Map<String, Integer> sizes, Map<String, ValueLiteral> given)
      throws ModelValues.BadValue {
    ModelIR ir = model.model();
    Interpreter in = bind(ir, sizes, given, seed);
    List<String> lines = new ArrayList<>();
    // names and adjoint symbols from the model's names, spelled by the printer (--ascii: J₂ → J2, ∂J₂/∂W₁ → dJ2/dW1)
    MathPrinter printer = MathPrinter.labelled(ascii ? MathPrinter.Notation.ASCII : MathPrinter.Notation.UNICODE,
        Map.of());
    for (ModelIR.Value v : ir.values()) {
      lines.add(printer.label(Label.name(v.spelling())) + " = " + show(in, v.node()));
    }
    for (Adjoint a : model.adjoints()) {
      if (a.kind() != Adjoint.Kind.PARAM) continue;
      lines.add(printer.label(Label.adjoint(ir.names(), a.name())) + " = " + show(in, a.value()));
    }
    return lines;
  }

  private String show(Interpreter in, dev.nnc.ir.Expr node) {
    return ModelValues.format(in.eval(node), in.extents(node.shape()), ascii);
  }
}
