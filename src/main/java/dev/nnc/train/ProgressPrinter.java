package dev.nnc.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints training progress. On a terminal, one bar line is redrawn in place with carriage returns and the epoch
 * lines scroll above it; elsewhere (a pipe, a file, CI logs) there is no bar, only whole lines: one per epoch, and
 * a progress line at every tenth of the run when epochs are longer than that.
 */
public final class ProgressPrinter implements Trainer.Listener {
  private static final int BAR_WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L; // a bar redrawn 10 times a second is smooth enough

  private final PrintStream out;
  private final boolean terminal;
  private long lastDraw;
  private int lastLineIteration;
  private int barLength;

  public ProgressPrinter(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void progress(int iteration, int iterations, double runningLoss) {
    if (terminal) {
      long now = System.nanoTime();
      if (now - lastDraw < REDRAW_NANOS && iteration < iterations) return;
      lastDraw = now;
      int filled = (int) ((long) BAR_WIDTH * iteration / iterations);
      String bar = "[" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] "
          + String.format(Locale.ROOT, "%d/%d  loss %.4f", iteration, iterations, runningLoss);
      out.print("\r" + bar + " ".repeat(Math.max(0, barLength - bar.length())));
      out.flush();
      barLength = bar.length();
    } else {
      int tenth = Math.max(1, iterations / 10);
      if (iteration % tenth == 0 && iteration - lastLineIteration >= tenth) {
        out.println(String.format(Locale.ROOT, "step %d/%d  loss %.4f", iteration, iterations, runningLoss));
        lastLineIteration = iteration;
      }
    }
  }

  @Override
  public void epoch(Trainer.EpochReport r) {
    String line = epochLine(r);
    if (terminal && barLength > 0) {
      out.print("\r" + " ".repeat(barLength) + "\r");
      barLength = 0;
      lastDraw = 0; // redraw the bar under the new line at the next step
    }
    out.println(line);
    lastLineIteration = r.iteration();
    out.flush();
  }

  /** Clears the bar before the summary. */
  public void finish() {
    if (terminal && barLength > 0) {
      out.print("\r" + " ".repeat(barLength) + "\r");
      out.flush();
      barLength = 0;
    }
  }

  static String epochLine(Trainer.EpochReport r) {
    int width = Integer.toString(r.epochs()).length();
    return String.format(Locale.ROOT, "epoch %" + width + "d/%d  step %d  loss %.4f  train acc %s  test acc %s",
        r.epoch(), r.epochs(), r.iteration(), r.trainLoss(), accuracy(r.train()), accuracy(r.test()));
  }

  static String accuracy(Trainer.Evaluation e) {
    return Double.isNaN(e.accuracy()) ? "n/a" : String.format(Locale.ROOT, "%.4f", e.accuracy());
  }
}
