package dev.nnc.simplify;

import dev.nnc.ir.Expr;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;

/** Sizes of the part of a graph a program computes (iterative; used for the simplifier's guarantees). */
public final class DagSize {
  private DagSize() {}

  /** Nodes reachable from {@code roots}, leaves included. */
  public static int nodes(Collection<? extends Expr> roots) {
    return count(roots, false);
  }

  /** Operations reachable from {@code roots}: nodes with operands (leaves and constants cost nothing). */
  public static int operations(Collection<? extends Expr> roots) {
    return count(roots, true);
  }

  private static int count(Collection<? extends Expr> roots, boolean opsOnly) {
    BitSet seen = new BitSet();
    ArrayDeque<Expr> stack = new ArrayDeque<>(roots);
    int n = 0;
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      if (seen.get(e.id())) continue;
      seen.set(e.id());
      List<Expr> inputs = e.inputs();
      if (!opsOnly || !inputs.isEmpty()) n++;
      for (int i = 0; i < inputs.size(); i++) stack.push(inputs.get(i));
    }
    return n;
  }
}
