package dev.nnc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "eval", description = "(not available yet)")
final class EvalCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("nnc eval: not available yet");
    return Main.USAGE;
  }
}
