package dev.nnc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "gradcheck", description = "(not available yet)")
final class GradcheckCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("nnc gradcheck: not available yet");
    return Main.USAGE;
  }
}
