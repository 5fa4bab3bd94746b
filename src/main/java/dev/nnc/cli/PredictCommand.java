package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.codegen.GeneratedFile;
import dev.nnc.codegen.Precision;
import dev.nnc.diag.Code;
import dev.nnc.ir.ModelIR;
import dev.nnc.train.Binding;
import dev.nnc.train.Dataset;
import dev.nnc.train.Idx;
import dev.nnc.train.InMemoryJavac;
import dev.nnc.train.ModelInstance;
import dev.nnc.train.ModelSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nnc predict}: compiles a model in memory, loads params from a NumPy .npz file (as {@code nnc train --save}
 * writes them), runs the generated {@code predict} over labelled IDX data in batches, and prints the accuracy: the
 * fraction of rows whose output argmax is the label.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Compiles MODEL.nn in memory, loads its params from a NumPy .npz file and prints its accuracy on labelled",
      "IDX data (default: the bundled digits): the argmax of the model's output against the labels."
    })
final class PredictCommand implements Callable<Integer> {
  /** Rows per predict call: the model is built once with this capacity (the last batch may be smaller). */
  static final int CAPACITY = 1000;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the model")
  Path modelFile;

  @Option(names = "--params", paramLabel = "W.npz", required = true, description = "the params, as nnc train --save writes them")
  Path params;

  @Option(names = "--precision", paramLabel = "TYPE", converter = PrecisionConverter.class,
      description = "the generated class's element type: float64 (double, the default) or float32 (float)")
  Precision precision = Precision.FLOAT64;

  @Option(names = "--model", paramLabel = "NAME", description = "which model of the file (default: the only one)")
  String modelName;

  @Option(names = "--data", paramLabel = "PREFIX",
      description = "reads PREFIX-images-idx3-ubyte[.gz] and PREFIX-labels-idx1-ubyte[.gz] (default: the bundled digits)")
  String data;

  @Option(names = "--features", paramLabel = "X", description = "the input that gets the image rows (default: the first)")
  String features;

  @Option(names = "--targets", paramLabel = "T", description = "the input that has the one-hot labels' shape (default: the second)")
  String targets;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String prefix = data != null ? data : Bundled.data();
    Result result = Inputs.compile(modelFile, Compiler.Options.defaults().withPrecision(precision), err);
    if (result == null) return Main.MODEL_ERRORS;
    int which = Bundled.chooseModel(result, modelName, modelFile, err);
    if (which < 0) return Main.MODEL_ERRORS;
    ModelIR model = result.models().get(which);
    GeneratedFile file = result.files().get(which);
    Dataset dataset;
    try {
      dataset = Dataset.loadIdx(prefix);
    } catch (Idx.IdxException e) {
      err.println(e.file() + ": error: [" + Code.CANNOT_READ.id() + "] " + e.detail());
      return Main.MODEL_ERRORS;
    } catch (java.io.IOException e) {
      err.println(prefix + ": error: [" + Code.CANNOT_READ.id() + "] cannot read: " + e.getMessage());
      return Main.MODEL_ERRORS;
    }
    ModelSpec modelSpec = ModelSpec.of(model);
    Binding binding;
    try {
      binding = Binding.of(modelSpec, dataset, features, targets);
    } catch (Binding.BindingException e) {
      err.println(modelFile + ": error: [" + Code.DATA_DOES_NOT_FIT.id() + "] " + e.getMessage());
      return Main.MODEL_ERRORS;
    }
    if (binding.output() == null) {
      err.println(modelFile + ": error: [" + Code.DATA_DOES_NOT_FIT.id() + "] the model has no output of the labels' "
          + "width to predict with");
      return Main.MODEL_ERRORS;
    }
    ModelInstance instance;
    try {
      Class<?> c = InMemoryJavac.compile(result.files()).loadClass(file.qualifiedName());
      instance = ModelInstance.create(modelSpec, c, binding.constructorArgs(Math.min(CAPACITY, dataset.size())), 1);
    } catch (InMemoryJavac.CompileException | ClassNotFoundException e) {
      err.println("nnc predict: internal error: " + e.getMessage());
      return Main.INTERNAL;
    }
    try {
      instance.loadNpz(params);
    } catch (java.nio.file.NoSuchFileException e) {
      err.println(params + ": error: [" + Code.CANNOT_READ.id() + "] no such file");
      return Main.MODEL_ERRORS;
    } catch (java.io.IOException e) {
      err.println(params + ": error: [" + Code.BAD_PARAMS_FILE.id() + "] " + e.getMessage());
      return Main.MODEL_ERRORS;
    }
    int f = binding.featureWidth();
    int w = binding.targetWidth();
    int correct = 0;
    for (int start = 0; start < dataset.size(); start += CAPACITY) {
      int rows = Math.min(CAPACITY, dataset.size() - start);
      double[] x = java.util.Arrays.copyOfRange(dataset.features(), start * f, (start + rows) * f);
      instance.predict(binding, x, rows * w);
      double[] y = instance.tensor(binding.output());
      for (int r = 0; r < rows; r++) {
        int best = 0;
        for (int j = 1; j < w; j++) if (y[r * w + j] > y[r * w + best]) best = j;
        if (best == dataset.labels()[start + r]) correct++;
      }
    }
    out.println(String.format(Locale.ROOT, "accuracy %.4f (%d of %d) of %s with params %s on %s", (double) correct
        / dataset.size(), correct, dataset.size(), model.name(), params, prefix));
    return Main.OK;
  }
}
