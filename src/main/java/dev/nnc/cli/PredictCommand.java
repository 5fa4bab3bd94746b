package dev.nnc.cli;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.codegen.GeneratedFile;
import dev.nnc.codegen.Precision;
import dev.nnc.diag.Code;
import dev.nnc.ir.ModelIR;
import dev.nnc.train.Binding;
import dev.nnc.train.CsvRows;
import dev.nnc.train.Dataset;
import dev.nnc.train.Idx;
import dev.nnc.train.InMemoryJavac;
import dev.nnc.train.ModelInstance;
import dev.nnc.train.ModelSpec;
import dev.nnc.train.Trainer;
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
 * writes them) and runs the generated {@code predict} over the data in batches. On labelled IDX data it prints the
 * accuracy (the fraction of rows whose output argmax is the label); on unlabelled data (IDX images without a labels
 * file, or {@code --csv} rows) it prints the predictions as CSV, one line per row: {@code index,class} (the argmax of
 * the output), or {@code index,Y} for an output of width 1, with {@code --values} every output value too.
 * {@code --out FILE} writes the predictions there instead (on labelled data too, with a {@code label} column).
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Compiles MODEL.nn in memory, loads its params from a NumPy .npz file and predicts the data (default: the",
      "bundled digits). Labelled IDX data: prints the accuracy, the argmax of the model's output against the",
      "labels. Unlabelled data (PREFIX-images-idx3-ubyte without a labels file, or --csv FILE): prints one CSV",
      "line per row, index,class (the argmax of the output; index,<output> for an output of width 1), with",
      "--values also every output value. --out FILE writes the predictions to FILE (with a label column when",
      "the data has labels)."
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
      description = "reads PREFIX-images-idx3-ubyte[.gz] and, if it exists, PREFIX-labels-idx1-ubyte[.gz] "
          + "(default: the bundled digits)")
  String data;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "unlabelled rows instead: one example per line, numbers separated by commas, used as written "
          + "(a header line is skipped)")
  Path csv;

  @Option(names = "--out", paramLabel = "FILE", description = "writes the predictions as CSV to FILE")
  Path outFile;

  @Option(names = "--values", description = "also print every output value of each row")
  boolean values;

  @Option(names = "--features", paramLabel = "X", description = "the input that gets the image rows (default: the first)")
  String features;

  @Option(names = "--targets", paramLabel = "T", description = "the input that has the one-hot labels' shape (default: the second)")
  String targets;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (csv != null && data != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give --data or --csv, not both");
    }
    String prefix = data != null ? data : Bundled.data();
    Result result = Inputs.compile(modelFile, Compiler.Options.defaults().withPrecision(precision), err);
    if (result == null) return Main.MODEL_ERRORS;
    int which = Bundled.chooseModel(result, modelName, modelFile, err);
    if (which < 0) return Main.MODEL_ERRORS;
    ModelIR model = result.models().get(which);
    GeneratedFile file = result.files().get(which);
    ModelSpec modelSpec = ModelSpec.of(model);
    boolean labelled = csv == null && Dataset.hasLabels(prefix);
    String dataName = csv != null ? csv.toString() : prefix;
    Dataset dataset;
    try {
      if (labelled) {
        dataset = Dataset.loadIdx(prefix);
      } else {
        int classes = Binding.fixedTargetWidth(modelSpec, features, targets);
        if (classes < 1) {
          err.println(modelFile + ": error: [" + Code.DATA_DOES_NOT_FIT.id() + "] unlabelled data cannot fix the "
              + "width of the targets input: give it a fixed size (e.g. T[B, 10]) or predict labelled data");
          return Main.MODEL_ERRORS;
        }
        dataset = csv != null ? Dataset.unlabelled(CsvRows.read(csv), classes) : Dataset.loadIdxImages(prefix, classes);
      }
    } catch (CsvRows.CsvException e) {
      String where = e.line() > 0 ? csv + ":" + e.line() : csv.toString();
      err.println(where + ": error: [" + Code.BAD_CSV.id() + "] " + e.detail());
      return Main.MODEL_ERRORS;
    } catch (Idx.IdxException e) {
      err.println(e.file() + ": error: [" + Code.CANNOT_READ.id() + "] " + e.detail());
      return Main.MODEL_ERRORS;
    } catch (Binding.BindingException e) {
      err.println(modelFile + ": error: [" + Code.DATA_DOES_NOT_FIT.id() + "] " + e.getMessage());
      return Main.MODEL_ERRORS;
    } catch (java.io.IOException e) {
      err.println(dataName + ": error: [" + Code.CANNOT_READ.id() + "] cannot read: " + e.getMessage());
      return Main.MODEL_ERRORS;
    }
    Binding binding;
    try {
      binding = Binding.of(modelSpec, dataset, features, targets);
    } catch (Binding.BindingException e) {
      err.println(modelFile + ": error: [" + Code.DATA_DOES_NOT_FIT.id() + "] " + e.getMessage());
      return Main.MODEL_ERRORS;
    }
    if (binding.output() == null) {
      err.println(modelFile + ": error: [" + Code.DATA_DOES_NOT_FIT.id() + "] the model has no output of the "
          + (labelled ? "labels'" : "targets'") + " width to predict with");
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

    Predictions predictions;
    java.io.Writer target = null;
    try {
      if (outFile != null) {
        target = java.nio.file.Files.newBufferedWriter(outFile, java.nio.charset.StandardCharsets.UTF_8);
      } else if (!labelled) {
        target = out;
      }
      predictions = binding.perExample()
          ? predictExamples(instance, binding, dataset, labelled, target)
          : predictAll(instance, binding, dataset, labelled, target);
      if (outFile != null) target.close();
    } catch (java.io.IOException e) {
      err.println(outFile + ": error: [" + Code.CANNOT_WRITE.id() + "] cannot write: " + e.getMessage());
      return Main.MODEL_ERRORS;
    }
    if (labelled) {
      out.println(String.format(Locale.ROOT, "accuracy %.4f (%d of %d) of %s with params %s on %s", (double)
          predictions.correct() / dataset.size(), predictions.correct(), dataset.size(), model.name(), params, prefix));
    }
    if (outFile != null) {
      out.println("wrote " + dataset.size() + " predictions of " + model.name() + " to " + outFile);
    }
    out.flush();
    return Main.OK;
  }

  private record Predictions(int correct) {}

  /** Predicts every row in batches of {@link #CAPACITY}; writes CSV lines to {@code csvOut} when it is not null. */
  private Predictions predictAll(ModelInstance instance, Binding binding, Dataset dataset, boolean labelled,
      java.io.Writer csvOut) throws java.io.IOException {
    int w = binding.targetWidth();
    String output = binding.output().name();
    if (csvOut != null) csvOut.write(header(output, w, w > 1, labelled) + "\n");
    int correct = 0;
    StringBuilder line = new StringBuilder();
    for (int start = 0; start < dataset.size(); start += CAPACITY) {
      int rows = Math.min(CAPACITY, dataset.size() - start);
      double[] x = binding.batch(dataset.features(), start, rows);
      instance.predict(binding, x, rows * w);
      double[] y = instance.tensor(binding.output());
      for (int r = 0; r < rows; r++) {
        int best = Trainer.predictedClass(y, r * w, w, false);
        if (labelled && best == dataset.labels()[start + r]) correct++;
        if (csvOut != null) csvOut.write(row(line, start + r, w > 1 ? best : -1, labelled, dataset, y, r * w, w));
      }
    }
    if (csvOut != null) csvOut.flush();
    return new Predictions(correct);
  }

  /**
   * Predicts a model that takes one example per forward (no batch axis; train.ExampleBinding): one forward per row,
   * the targets filled with the row's label (0 for unlabelled data: forward computes a loss, the outputs do not read
   * it). The class is the argmax of a vector output, or 1 when a scalar output (a probability) is above 0.5 — as
   * {@code nnc train} counts its accuracy.
   */
  private Predictions predictExamples(ModelInstance instance, Binding binding, Dataset dataset, boolean labelled,
      java.io.Writer csvOut) throws java.io.IOException {
    dev.nnc.train.ModelSpec.Tensor output = binding.output();
    boolean scalar = output.rank() == 0;
    int w = scalar ? 1 : binding.targetWidth();
    if (csvOut != null) csvOut.write(header(output.name(), w, true, labelled) + "\n");
    Object[] args = binding.exampleArgs();
    double[] one = new double[1];
    int correct = 0;
    StringBuilder line = new StringBuilder();
    for (int item = 0; item < dataset.size(); item++) {
      binding.putExample(dataset.features(), item, dataset.labels()[item], args);
      instance.forward(args);
      if (scalar) one[0] = instance.scalar(output);
      double[] y = scalar ? one : instance.tensor(output);
      int best = Trainer.predictedClass(y, 0, w, scalar);
      if (labelled && best == dataset.labels()[item]) correct++;
      if (csvOut != null) csvOut.write(row(line, item, best, labelled, dataset, y, 0, w));
    }
    if (csvOut != null) csvOut.flush();
    return new Predictions(correct);
  }

  /** One CSV line: {@code index[,class][,label][,values]} (the class when {@code best} ≥ 0; see {@link #header}). */
  private String row(StringBuilder line, int index, int best, boolean labelled, Dataset dataset, double[] y, int from,
      int width) {
    line.setLength(0);
    line.append(index);
    if (best >= 0) line.append(',').append(best);
    if (labelled) line.append(',').append(dataset.labels()[index]);
    if (width == 1 || values) {
      for (int j = 0; j < width; j++) line.append(',').append(number(y[from + j]));
    }
    return line.append('\n').toString();
  }

  /**
   * {@code index,class[,label][,Y[0],…]}; for an output of width 1, {@code index[,class][,label],Y} (the class column
   * when a scalar output of a one-example model is read as a probability).
   */
  private String header(String output, int width, boolean classColumn, boolean labelled) {
    StringBuilder h = new StringBuilder("index");
    if (classColumn) h.append(",class");
    if (labelled) h.append(",label");
    if (width == 1) {
      h.append(',').append(output);
    } else if (values) {
      for (int j = 0; j < width; j++) h.append(',').append(output).append('[').append(j).append(']');
    }
    return h.toString();
  }

  /** A value as the class holds it: the shortest decimal that reads back as the same double, or float. */
  private String number(double v) {
    return precision == Precision.FLOAT32 ? Float.toString((float) v) : Double.toString(v);
  }
}
