package dev.nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * W0502 for convolutions: a kernel initialised to zeros whose feature maps pass an activation into another convolution
 * or product gives identical filters that stay identical (and, with ReLU, no gradient at all). The dense version of
 * the warning existed; a CNN with {@code ~ zeros} kernels compiled silently.
 */
class ConvZeroInitWarningTest {
  private static final String CNN = """
      model Cnn {
        dim B, O = 10
        input X[B, 1, 14, 14], T[B, O]
        param K1[4, 1, 3, 3] ~ INIT1, K2[8, 4, 3, 3] ~ INIT2
        param W[32, O] ~ xavier
        A1 = maxpool(relu(conv2d(X, K1)), 2)
        A2 = maxpool(relu(conv2d(A1, K2)), 2)
        Z = flatten(A2) W
        L = −sum(T * log_softmax(Z)) / B
      }
      """;

  private static List<Code> warnings(String init1, String init2) {
    Result r = Compiler.compile(Source.of("cnn.nn", CNN.replace("INIT1", init1).replace("INIT2", init2)),
        Compiler.Options.defaults().stopAfter(Compiler.Stage.CHECK));
    assertFalse(r.hasErrors(), r.diagnostics().toString());
    return r.diagnostics().stream().map(Diagnostic::code).toList();
  }

  @Test
  void zeroKernelsThatFeedAnotherLayerAreWarnedAbout() {
    assertEquals(List.of(Code.ZERO_INIT_SYMMETRY), warnings("zeros", "he"));
    assertEquals(List.of(Code.ZERO_INIT_SYMMETRY), warnings("he", "zeros")); // K2 feeds the dense product after ReLU
    assertEquals(List.of(), warnings("he", "he"));
  }
}
