package dev.nnc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "check", description = "(not available yet)")
final class CheckCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("nnc check: not available yet");
    return Main.USAGE;
  }
}
