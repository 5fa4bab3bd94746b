package dev.nnc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "compile", description = "(not available yet)")
final class CompileCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("nnc compile: not available yet");
    return Main.USAGE;
  }
}
