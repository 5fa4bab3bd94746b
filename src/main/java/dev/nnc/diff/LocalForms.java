package dev.nnc.diff;

import dev.nnc.ir.Expr;
import dev.nnc.ir.ModelIR;
import dev.nnc.notation.Explanation;
import dev.nnc.notation.Step;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The statements' local forms ({@link Explainer#locals}) for the reverse pass. They depend only on the statements, not
 * on the adjoints the pass builds, so a long model's are derived on a thread of their own while the pass goes on (a
 * fifth of a 10,000-statement model's differentiation, issue 11). One thread takes them in the order asked, so the
 * explanation graph is built exactly as it would be in line; a short model's are derived at once, in line.
 */
final class LocalForms implements AutoCloseable {
  /** Statements from which the forms get a thread of their own (below, a thread is not worth starting). */
  static final int OWN_THREAD_FROM = 500;

  private final Explainer explainer;
  private final ExecutorService thread;
  private Future<?> last = CompletableFuture.completedFuture(null);

  LocalForms(Explainer explainer, boolean ownThread) {
    this.explainer = explainer;
    this.thread = !ownThread ? null : Executors.newSingleThreadExecutor(r -> {
      // the stack the compile thread has (the tidy pass recurses into products)
      Thread t = new Thread(null, r, "nnc-local-forms", 512L << 20);
      t.setDaemon(true);
      return t;
    });
  }

  /** {@code statement}'s local form for each of {@code leaves}, now or later ({@link Explainer#locals}). */
  Future<Map<Expr, Expr>> of(ModelIR.Value statement, boolean isLoss, Set<Expr> leaves) {
    if (thread == null) return CompletableFuture.completedFuture(explainer.locals(statement, isLoss, leaves));
    Set<Expr> own = new HashSet<>(leaves);
    Future<Map<Expr, Expr>> f = thread.submit(() -> explainer.locals(statement, isLoss, own));
    last = f;
    return f;
  }

  /** Everything derived: waits for the forms asked for so far. */
  Explanation explanation() {
    await(last);
    return explainer.explanation();
  }

  @Override
  public void close() {
    if (thread != null) thread.shutdownNow();
  }

  /** A step whose local form may still be in the making. */
  record Pending(ModelIR.Value consumer, String wrt, boolean fromLoss, Future<Map<Expr, Expr>> locals, Expr leaf,
      Expr contribution) {
    Step step() {
      return new Step(consumer, wrt, fromLoss, await(locals).get(leaf), contribution);
    }

    static List<Step> steps(List<Pending> pending) {
      return pending.stream().map(Pending::step).toList();
    }
  }

  /** The value, or what the deriving threw, as thrown. */
  static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deriving the local forms", e);
    }
  }
}
