package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Compiler;
import dev.nnc.Result;
import dev.nnc.diag.Source;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generated maxpool (its 2×2 path and the general one) on windows with ties and NaNs: the value is the window's
 * maximum, and backward routes the gradient to the first maximum in row-major window order, or to the first NaN
 * (LANGUAGE.md; as PyTorch's CPU kernel). Random inputs almost never tie, so the other suites do not see this.
 */
class MaxpoolTiesTest {
  @Test
  void tiesGoToTheFirstMaximumAndNaNWins() throws Exception {
    int[] windows = {2, 3};
    List<GeneratedFile> files = new ArrayList<>();
    for (int k : windows) {
      String source = "model Pool" + k + " {\n  input R[1, " + 2 * (6 / k) * (6 / k) + "]\n"
          + "  param X[1, 2, 6, 6] ~ normal(0, 1)\n  P = maxpool(X, " + k + ")\n  L = sum(flatten(P) * R)\n"
          + "  output P\n}\n";
      Result r = Compiler.compile(Source.of("pool" + k + ".nn", source),
          Compiler.Options.defaults().inPackage("t").withApi(Api.CORE));
      assertTrue(!r.hasErrors(), r.diagnostics().toString());
      files.addAll(r.files());
    }
    ClassLoader loader = Javac.compile(files);
    for (int k : windows) {
      // small integers: many ties; a NaN in a few windows, after a larger value in one of them
      double[] x = new double[72];
      for (int i = 0; i < x.length; i++) x[i] = (i * 7) % 3;
      x[7] = Double.NaN;
      x[6 * 6 + 20] = Double.NaN;
      x[6 * 6 + 21] = 5;
      int n = 2 * (6 / k) * (6 / k);
      double[] r = new double[n];
      for (int o = 0; o < n; o++) r[o] = o + 1;
      Class<?> c = loader.loadClass("t.Pool" + k);
      Object model = c.getConstructor().newInstance();
      System.arraycopy(x, 0, (double[]) c.getField("X").get(model), 0, x.length);
      c.getMethod("forward", double[].class).invoke(model, (Object) r);
      c.getMethod("backward").invoke(model);
      double[] p = (double[]) c.getField("P").get(model);
      double[] dx = (double[]) c.getField("dX").get(model);
      double[] expectedDx = new double[x.length];
      int o = 0, nans = 0;
      for (int ch = 0; ch < 2; ch++) {
        for (int i = 0; i < 6; i += k) {
          for (int j = 0; j < 6; j += k, o++) {
            int arg = -1;
            for (int u = 0; u < k; u++) {
              for (int v = 0; v < k; v++) {
                int at = (ch * 6 + i + u) * 6 + j + v;
                boolean nan = Double.isNaN(x[at]);
                if (arg < 0 || (nan && !Double.isNaN(x[arg])) || (!Double.isNaN(x[arg]) && x[at] > x[arg])) arg = at;
              }
            }
            if (Double.isNaN(x[arg])) nans++;
            assertEquals(x[arg], p[o], 0.0, "k=" + k + " window " + o);
            expectedDx[arg] = r[o];
          }
        }
      }
      assertEquals(2, nans, "k=" + k + ": windows with a NaN");
      for (int i = 0; i < x.length; i++) assertEquals(expectedDx[i], dx[i], 0.0, "k=" + k + " dX[" + i + "]");
    }
  }
}
