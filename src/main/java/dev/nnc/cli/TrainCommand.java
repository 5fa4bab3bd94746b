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
import dev.nnc.train.ProgressPrinter;
import dev.nnc.train.Trainer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nnc train}: compiles a model in this process (nothing is written to disk), trains it with minibatch SGD
 * on a labelled IDX data set, and reports loss and accuracy. The defaults are the course's MNIST experiment.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Compiles MODEL.nn in memory and trains it with minibatch SGD on labelled IDX data (MNIST format).",
      "The image rows (pixels / 255) go to the first input, the one-hot labels to the second; a seeded",
      "permutation splits the data into training and test sets. With no arguments it trains",
      "examples/two_layer_net.nn on the 10,000 bundled digits.",
      "A model without a batch axis (x0, …, x783 or x[784], and T[10]) trains one example per forward."
    })
final class TrainCommand implements Callable<Integer> {
  static final String DEFAULT_MODEL = Bundled.MODEL;
  static final String DEFAULT_DATA = Bundled.DATA;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL.nn", description = "the model (default: ${DEFAULT-VALUE})",
      defaultValue = DEFAULT_MODEL)
  Path modelFile;

  @Option(names = "--precision", paramLabel = "TYPE", converter = PrecisionConverter.class,
      description = "the generated class's element type: float64 (double, the default) or float32 (float)")
  Precision precision = Precision.FLOAT64;

  @Option(names = "--model", paramLabel = "NAME", description = "which model of the file (default: the only one)")
  String modelName;

  @Option(names = "--data", paramLabel = "PREFIX", defaultValue = DEFAULT_DATA,
      description = "reads PREFIX-images-idx3-ubyte[.gz] and PREFIX-labels-idx1-ubyte[.gz] (default: ${DEFAULT-VALUE})")
  String data;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "10000", description = "SGD steps (default: ${DEFAULT-VALUE})")
  int iterations;

  @Option(names = "--batch", paramLabel = "B", defaultValue = "100", description = "examples per step (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.1", description = "learning rate (default: ${DEFAULT-VALUE})")
  double learningRate;

  @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "constant",
      description = "learning-rate schedule: constant, or cosine (annealed from --lr to 0 over the run, as torch's "
          + "CosineAnnealingLR) (default: ${DEFAULT-VALUE})")
  String schedule;

  @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "sgd",
      description = "sgd, momentum (0.9), adam or adamw, as torch.optim with its defaults (default: ${DEFAULT-VALUE})")
  String optimizer;

  @Option(names = "--save", paramLabel = "W.npz", description = "writes the trained params as a NumPy .npz file")
  Path save;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
      description = "seeds the split, the epoch shuffles and the initialisers (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--train-size", paramLabel = "N",
      description = "training examples; the rest is the test set (default: 80%% of the data)")
  Integer trainSize;

  @Option(names = "--features", paramLabel = "X", description = "the input that gets the image rows (default: the first)")
  String features;

  @Option(names = "--targets", paramLabel = "T", description = "the input that gets the one-hot labels (default: the second)")
  String targets;

  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
      description = "bar (redrawn in place), lines, or auto: bar on a terminal (default: ${DEFAULT-VALUE})")
  String progress;

  @Override
  public Integer call() {
    PrintStream out = printStream(spec.commandLine().getOut());
    PrintStream err = printStream(spec.commandLine().getErr());
    checkOptions();
    long wallStart = System.nanoTime();

    if (modelFile.toString().equals(DEFAULT_MODEL)) modelFile = Path.of(Bundled.resolve(DEFAULT_MODEL));
    if (data.equals(DEFAULT_DATA)) data = Bundled.data();
    if (!Files.exists(modelFile) && modelFile.toString().endsWith(DEFAULT_MODEL)) {
      err.println(DEFAULT_MODEL + ": error: [" + Code.CANNOT_READ.id()
          + "] no such file (run nnc train from the nnc directory, or name a model: nnc train MODEL.nn)");
      return Main.MODEL_ERRORS;
    }
    Result result = Inputs.compile(modelFile, Compiler.Options.defaults().withPrecision(precision), spec.commandLine().getErr());
    if (result == null) return Main.MODEL_ERRORS;
    int which = Bundled.chooseModel(result, modelName, modelFile, spec.commandLine().getErr());
    if (which < 0) return Main.MODEL_ERRORS;
    ModelIR model = result.models().get(which);
    GeneratedFile file = result.files().get(which);

    Class<?> modelClass;
    try {
      modelClass = InMemoryJavac.compile(result.files()).loadClass(file.qualifiedName());
    } catch (InMemoryJavac.CompileException e) {
      err.println("nnc train: internal error: " + e.getMessage());
      err.println("please report this with the model that caused it");
      return Main.INTERNAL;
    } catch (ClassNotFoundException e) {
      err.println("nnc train: internal error: generated class " + file.qualifiedName() + " not found");
      return Main.INTERNAL;
    }
    long compiled = System.nanoTime();

    Dataset dataset;
    try {
      dataset = Dataset.loadIdx(data);
    } catch (Idx.IdxException e) {
      err.println(e.file() + ": error: [" + Code.CANNOT_READ.id() + "] " + e.detail());
      return Main.MODEL_ERRORS;
    } catch (java.io.IOException e) {
      err.println(data + ": error: [" + Code.CANNOT_READ.id() + "] cannot read: " + e.getMessage());
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
    int train = trainSize != null ? trainSize : (int) Math.round(dataset.size() * 0.8);
    String sizes = sizeProblem(train, dataset.size());
    if (sizes != null) throw new CommandLine.ParameterException(spec.commandLine(), sizes);
    Trainer trainer = new Trainer(binding, modelClass,
        dataset, new Trainer.Options(iterations, batch, learningRate, seed, train, optimizer,
            Trainer.Schedule.valueOf(schedule.toUpperCase(Locale.ROOT))));

    out.println(String.format(Locale.ROOT, "model %s from %s, compiled in memory%s in %.1f s", model.name(), modelFile,
        precision == Precision.FLOAT32 ? " over float32" : "", (compiled - wallStart) / 1e9));
    out.println(String.format(Locale.ROOT,
        "data  %s: %d examples of %d features, %d classes; %d for training, %d for testing (seed %d)", data,
        dataset.size(), dataset.featureCount(), dataset.classCount(), trainer.trainSet().size(),
        trainer.testSet().size(), seed));
    out.println(String.format(Locale.ROOT,
        "%-5s %d steps of batch %d, learning rate %s%s: %d epochs of %d steps; accuracy = %s",
        OPTIMIZER_NAMES.get(optimizer), iterations, batch, learningRate,
        schedule.equals("cosine") ? " annealed to 0 (cosine)" : "", trainer.epochs(), trainer.stepsPerEpoch(),
        binding.output() == null ? "n/a (no output fits the targets)" : binding.output().rank() == 0
            ? binding.output().name() + " > 0.5" : "argmax of " + binding.output().name()));
    if (binding.perExample()) {
      out.println("      one example per forward (no input has a batch axis): each step sums the gradients of its "
          + batch + " examples");
    }

    ProgressPrinter printer = new ProgressPrinter(out, switch (progress) {
      case "bar" -> true;
      case "lines" -> false;
      default -> System.console() != null;
    });
    Trainer.Summary summary = trainer.run(printer);
    printer.finish();
    double wall = (System.nanoTime() - wallStart) / 1e9;
    if (summary.diverged()) {
      err.println(modelFile + ": error: the loss became " + (summary.last() == null ? "NaN or infinite" : "NaN or infinite")
          + " at step " + summary.iterations() + "; try a smaller --lr");
      return Main.MODEL_ERRORS;
    }
    Trainer.EpochReport last = summary.last();
    out.println(String.format(Locale.ROOT,
        "done  test acc %s, train acc %s, loss %.4f; %d steps in %.1f s wall, %.3f ms/step (forward+backward+step)",
        accuracyText(last.test()), accuracyText(last.train()), last.trainLoss(), summary.iterations(), wall,
        summary.msPerStep()));
    if (save != null) {
      try {
        trainer.trained().saveNpz(save);
      } catch (java.io.IOException e) {
        err.println(save + ": error: [" + Code.CANNOT_WRITE.id() + "] cannot write: " + e.getMessage());
        return Main.MODEL_ERRORS;
      }
      out.println("saved the params to " + save + " (NumPy .npz)");
    }
    return Main.OK;
  }

  /**
   * Why the training set and the batch do not fit, naming the option the user gave (issue 11: {@code --batch 20000}
   * blamed {@code --train-size}, which the user had not written), or null.
   */
  String sizeProblem(int train, int examples) {
    if (trainSize != null && train > examples) {
      return "--train-size " + train + " is more than the " + examples + " examples of the data";
    }
    if (trainSize != null && trainSize < 1) return "--train-size must be at least 1, got " + trainSize;
    if (train >= batch) return null;
    if (trainSize == null) {
      return "--batch " + batch + " is more than the " + train + " training examples (80% of the " + examples
          + "; --train-size sets how many); use a batch of at most " + train;
    }
    return "--batch " + batch + " is more than --train-size " + train + "; use a batch of at most the training size";
  }

  /** How the header line names each optimiser. */
  private static final java.util.Map<String, String> OPTIMIZER_NAMES = java.util.Map.of(
      "sgd", "SGD", "momentum", "SGD+m", "adam", "Adam", "adamw", "AdamW");

  private void checkOptions() {
    CommandLine cl = spec.commandLine();
    if (iterations < 1) throw new CommandLine.ParameterException(cl, "--iterations must be at least 1, got " + iterations);
    if (batch < 1) throw new CommandLine.ParameterException(cl, "--batch must be at least 1, got " + batch);
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new CommandLine.ParameterException(cl, "--lr must be a positive number, got " + learningRate);
    }
    if (!schedule.equals("constant") && !schedule.equals("cosine")) {
      throw new CommandLine.ParameterException(cl, "--schedule must be constant or cosine, got " + schedule);
    }
    if (!ModelInstance.OPTIMIZERS.contains(optimizer)) {
      throw new CommandLine.ParameterException(cl, "--optimizer must be sgd, momentum, adam or adamw, got " + optimizer);
    }
    if (!progress.equals("auto") && !progress.equals("bar") && !progress.equals("lines")) {
      throw new CommandLine.ParameterException(cl, "--progress must be auto, bar or lines, got " + progress);
    }
  }

  private static String accuracyText(Trainer.Evaluation e) {
    return Double.isNaN(e.accuracy()) ? "n/a" : String.format(Locale.ROOT, "%.4f", e.accuracy());
  }

  /**
   * picocli hands commands PrintWriters; the trainer prints through a UTF-8 PrintStream over the same writer. Bytes
   * are decoded only on flush, so a character split across two writes is never garbled.
   */
  private static PrintStream printStream(java.io.PrintWriter writer) {
    java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
    return new PrintStream(new java.io.OutputStream() {
      @Override
      public void write(int b) {
        pending.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        pending.write(b, off, len);
      }

      @Override
      public void flush() {
        writer.write(pending.toString(StandardCharsets.UTF_8));
        pending.reset();
        writer.flush();
      }
    }, true, StandardCharsets.UTF_8);
  }
}
