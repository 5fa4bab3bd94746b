package dev.nnc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "grad", description = "(not available yet)")
final class GradCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("nnc grad: not available yet");
    return Main.USAGE;
  }
}
