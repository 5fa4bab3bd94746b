package dev.nnc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "train", description = "(not available yet)")
final class TrainCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("nnc train: not available yet");
    return Main.USAGE;
  }
}
