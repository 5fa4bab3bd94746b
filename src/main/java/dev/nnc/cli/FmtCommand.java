package dev.nnc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "fmt", description = "(not available yet)")
final class FmtCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("nnc fmt: not available yet");
    return Main.USAGE;
  }
}
