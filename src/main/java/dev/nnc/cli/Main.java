package dev.nnc.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code nnc}: the command line. Exit status: 0 success, 1 the model has errors (or a check failed),
 * 2 bad command-line usage. Output is UTF-8 whatever the locale.
 */
@Command(
    name = "nnc",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Compiles differentiable models written as math (.nn files) to plain Java.")
public final class Main implements Runnable {
  /**
   * The subcommands, in the order {@code nnc --help} lists them. Not in the {@code @Command} annotation: picocli
   * builds the model of every listed command by reflection (options, mixins, converters) before it parses anything,
   * about 0.1–0.2 s of a cold JVM's start, while a command line names one. {@link #commandLine(String...)} adds only
   * that one when the first argument names it, and all of them otherwise (nnc --help, nnc help compile, a typo).
   */
  static final List<Class<?>> SUBCOMMANDS = List.of(
      CheckCommand.class,
      FmtCommand.class,
      GradCommand.class,
      EvalCommand.class,
      GradcheckCommand.class,
      TraceCommand.class,
      GraphCommand.class,
      ExplainCommand.class,
      CompileCommand.class,
      TrainCommand.class,
      PredictCommand.class,
      CommandLine.HelpCommand.class);

  public static final int OK = 0;
  public static final int MODEL_ERRORS = 1;
  public static final int USAGE = 2;
  public static final int INTERNAL = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try 'nnc --help')");
  }

  public static void main(String[] args) {
    System.exit(run(args, utf8(System.out), utf8(System.err)));
  }

  /** Runs a command line with the given streams; never throws, returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = commandLine(args);
    // Explicitly UTF-8: new PrintWriter(stream) would encode with the locale's charset (σ → ? under LANG=C).
    cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? USAGE : INTERNAL);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      err.println("nnc: internal error: " + e);
      err.println("please report this with the input that caused it");
      return INTERNAL;
    });
    int status = cl.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  /**
   * nnc's command line for these arguments: the top command with the one subcommand the first argument names (the
   * usage, errors and help of a subcommand do not depend on its siblings), or with all of them.
   */
  static CommandLine commandLine(String... args) {
    CommandLine cl = new CommandLine(new Main());
    String first = args.length == 0 ? null : args[0];
    Class<?> named = null;
    for (Class<?> c : SUBCOMMANDS) {
      if (c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(first)) named = c;
    }
    for (Class<?> c : SUBCOMMANDS) {
      if (named == null || c == named) cl.addSubcommand(c.getAnnotation(Command.class).name(), c);
    }
    return cl;
  }

  private static PrintStream utf8(PrintStream original) {
    return new PrintStream(new java.io.FileOutputStream(
        original == System.err ? java.io.FileDescriptor.err : java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
  }

  /** Version from the jar manifest, or "dev" when run from classes. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"nnc " + (v == null ? "dev" : v)};
    }
  }
}
