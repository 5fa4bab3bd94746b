package dev.nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The semantic diagnostic table: bad models run through {@code nnc check}, each expected to report its code at the
 * exact line and column (exit 1 for errors, 0 when only warnings), with the source line and caret, never a stack
 * trace. Warnings are in the table too.
 */
class CheckDiagnosticsTableTest {
  @TempDir Path dir;

  /** name, file text, expected "LINE:COL: error: [CODE]" (or warning), expected exit status. */
  static Stream<Arguments> cases() {
    return Stream.of(
        err("undefined name", "model M {\n  input x\n  param w, b\n  z = w x + bb\n}\n", 4, 13, "E0201"),
        err("undefined, differently subscripted", "model M {\n  input x[n]\n  param W₁[n, n]\n  z = sum(W_1 x)\n}\n",
            4, 11, "E0201"),
        err("undefined function argument", "model M {\n  input x\n  z = exp(q) + x\n}\n", 3, 11, "E0201"),
        err("assigned twice", "model M {\n  input x\n  a = x\n  a = 2x\n}\n", 4, 3, "E0202"),
        err("used before definition", "model M {\n  input x\n  b = 2a\n  a = x\n}\n", 3, 8, "E0203"),
        err("used in own definition", "a = a + 1\n", 1, 5, "E0203"),
        err("unknown function", "model M {\n  input z\n  a = sigmod(z)\n}\n", 3, 7, "E0204"),
        err("name only before paren in bare file", "J = 2 + f(x)\n", 1, 9, "E0204"),
        err("too many arguments", "model M {\n  input x\n  a = exp(x, x)\n}\n", 3, 7, "E0205"),
        err("unknown named argument", "model M {\n  input X[n, m]\n  s = sum(X, axes=0)\n}\n", 3, 14, "E0205"),
        err("axis on elementwise function", "model M {\n  input x[n]\n  s = sum(exp(x, axis=0))\n}\n", 3, 18,
            "E0205"),
        err("keepdims on softmax", "model M {\n  input X[n, m]\n  L = sum(softmax(X, keepdims))\n}\n", 3, 22,
            "E0205"),
        err("keepdims on elementwise max", "model M {\n  input a[n], b[n]\n  L = sum(max(a, b, keepdims))\n}\n",
            3, 21, "E0205"),
        err("keepdims twice", "model M {\n  input X[n, m]\n  L = sum(max(X, keepdims, keepdims))\n}\n", 3, 28,
            "E0205"),
        err("transpose of two arguments", "model M {\n  input X[n, m]\n  L = sum(transpose(X, X))\n}\n", 3, 11,
            "E0205"),
        err("confusable names", "model M {\n  param w₁\n  input x\n  L = w1 x\n}\n", 4, 7, "E0206"),
        err("no assignment", "model Empty {\n  input x\n}\n", 1, 7, "E0207"),
        err("loss names nothing", "model M {\n  input x\n  L = 2x\n  loss J\n}\n", 4, 8, "E0208"),
        err("assigning an input", "model M {\n  input x\n  x = 2\n  L = x\n}\n", 3, 3, "E0209"),
        err("declared twice", "model M {\n  input x\n  param b, x\n  L = x b\n}\n", 3, 12, "E0209"),
        err("duplicate model", "model M {\n  J = 3 a\n}\nmodel M {\n  K = 2 b\n}\n", 4, 7, "E0210"),
        err("output names nothing", "model M {\n  input x\n  L = 2x\n  output Y\n}\n", 4, 10, "E0211"),
        err("constant used as a name", "model M {\n  input x\n  pi = 3 x\n}\n", 3, 3, "E0212"),
        err("misspelt modifier", "model M {\n  input x[n], T[n] onhot\n  L = sum(T x)\n}\n", 2, 20, "E0213"),
        err("onehot param", "model M {\n  input x[n]\n  param T[n] onehot\n  L = sum(T x)\n}\n", 3, 14, "E0214"),
        err("∂ of a vector", "model M {\n  input x[n]\n  param w[n]\n  a = σ(w * x)\n  g = ∂a/∂w\n}\n", 5, 8, "E0217"),
        err("grad of a parenthesised vector", "model M {\n  input x[n]\n  param w[n]\n  g = grad(w * x, w)\n}\n",
            4, 12, "E0217"),
        err("∂ with respect to a value", "model M {\n  input x\n  param w\n  a = σ(w x)\n  L = a²\n"
            + "  g = ∂L/∂a\n}\n", 6, 11, "E0218"),
        err("function named like a param", "model M {\n  param w\n  w(x) = 2x\n  L = w²\n}\n", 3, 3, "E0219"),
        err("function parameter twice", "model M {\n  f(x, x) = 2x\n  L = f(a, b)\n}\n", 2, 8, "E0219"),
        err("function body reads a model name", "model M {\n  param w\n  f(x) = w x\n  L = f(w)\n}\n", 3, 10,
            "E0220"),
        err("function called with too few arguments", "model M {\n  param w\n  f(x, y) = x y\n  L = f(w)\n}\n", 4,
            7, "E0221"),
        err("function body fails for the arguments", "model M {\n  input x[n], u[m]\n  param W[n, n]\n"
            + "  f(a, b) = a · b\n  L = sum(f(W, x)) + f(x, x)\n  K = f(x, u)\n  loss L\n}\n", 6, 7, "E0222"),
        err("rule for no function", "model M {\n  param w\n  ∂f/∂x = 1\n  L = w²\n}\n", 3, 4, "E0224"),
        err("rule missing for a parameter", "model M {\n  param w, v\n  f(x, y) = x y\n  ∂f/∂x = y\n"
            + "  L = f(w, v)\n}\n", 3, 3, "E0224"),
        err("rule of the wrong shape", "model M {\n  input a[n]\n  param w[n]\n  g(x, y) = x · y\n"
            + "  ∂g/∂x = y\n  ∂g/∂y = x\n  L = g(w, a)\n}\n", 5, 11, "E0225"),
        err("recursive function", "model M {\n  f(x) = f(x)\n  L = f(2)\n}\n", 2, 10, "E0223"),
        err("∂ with respect to a dim", "model M {\n  input x[n]\n  L = sum(x)\n  g = grad(L, n)\n}\n", 4, 15,
            "E0218"),
        err("dim and input with one name", "model M {\n  dim n\n  input x[n], n\n  L = sum(x)\n}\n", 3, 15, "E0209"),
        err("shape entry names an input", "model M {\n  input x[k], k\n  L = sum(x)\n}\n", 2, 11, "E0305"),
        err("a param too big for a Java array (I·H wraps to 65536 in int)",
            "model M {\n  dim I = 65536, H = 65537\n  param W[I, H] ~ zeros\n  L = sum(W) + 1\n}\n", 3, 9, "E0306"),
        err("a literal shape too big", "model M {\n  input x[50000, 50000, 2]\n  L = sum(x)\n}\n", 2, 9, "E0306"),
        err("a computed tensor too big", "model M {\n  dim I = 65536\n  input u[I, 1], v[1, I]\n  L = sum(u v)\n}\n",
            4, 3, "E0306"),
        err("two free dims do not broadcast", "model M {\n  input x[n], u[m]\n  L = sum(x − u)\n}\n", 3, 13,
            "E0401"),
        err("unknown initialiser", "model M {\n  input x[n]\n  param W[n, n] ~ gauss(0, 1)\n  L = sum(W x)\n}\n",
            3, 19, "E0301"),
        err("dim not an integer", "model M {\n  dim n = 3.5\n  input x[n]\n  L = sum(x)\n}\n", 2, 11, "E0302"),
        err("dim fixed twice", "model M {\n  dim n = 3, n = 4\n  input x[n]\n  L = sum(x)\n}\n", 2, 18, "E0303"),
        err("bad initialiser arguments", "model M {\n  input x[n]\n  param W[n, n] ~ normal(0)\n  L = sum(W x)\n}\n",
            3, 19, "E0304"),
        err("bad shape entry", "model M {\n  input x[0]\n  L = sum(x)\n}\n", 2, 11, "E0305"),
        err("shape mismatch", "model M {\n  input A[n, m], B[m, n]\n  L = sum(A + B)\n}\n", 3, 13, "E0401"),
        err("T log Y on matrices", "model M {\n  input T[b, o], Y[b, o]\n  L = −sum(T log Y)\n}\n", 3, 14, "E0402"),
        err("product inner dims", "model M {\n  input X[n, m]\n  param W[n, k]\n  L = sum(X·W)\n}\n", 4, 12, "E0402"),
        err("axis out of range", "model M {\n  input X[n, m]\n  L = sum(sum(X, axis=2))\n}\n", 3, 23, "E0403"),
        err("negative axis out of range", "model M {\n  input X[n, m]\n  Y = softmax(X, axis=-3)\n}\n", 3, 23,
            "E0403"),
        err("default loss not scalar", "model M {\n  input x[n]\n  param w[n]\n  Y = w * x\n}\n", 4, 3, "E0404"),
        err("declared loss not scalar", "model M {\n  input x[n]\n  Y = 2x\n  J = sum(Y)\n  loss Y\n}\n", 5, 8,
            "E0404"),
        err("division by literal zero", "model M {\n  input x\n  L = x / 0\n}\n", 3, 11, "E0405"),
        err("ASCII transpose of rank 3", "model M {\n  input R[a, b, c]\n  L = sum(transpose(R))\n}\n", 3, 11,
            "E0406"),
        err("transpose of rank 3", "model M {\n  input R[a, b, c]\n  L = sum(Rᵀ)\n}\n", 3, 12, "E0406"),
        err("conv2d channels differ", "model M {\n  input X[B, 1, 8, 8]\n  param K[4, 3, 3, 3]\n"
            + "  L = sum(conv2d(X, K))\n}\n", 4, 11, "E0413"),
        err("conv2d kernel larger than the input", "model M {\n  input X[B, 1, 4, 4]\n  param K[2, 1, 5, 5]\n"
            + "  L = sum(conv2d(X, K))\n}\n", 4, 11, "E0414"),
        err("maxpool windows do not tile", "model M {\n  input X[B, 1, 28, 28]\n  L = sum(maxpool(X, 3))\n}\n", 3, 11,
            "E0414"),
        err("conv2d over a free height", "model M {\n  input X[B, 1, H, 8]\n  param K[2, 1, 3, 3]\n"
            + "  L = sum(conv2d(X, K))\n}\n", 4, 11, "E0415"),
        err("flatten over a free dim", "model M {\n  input X[B, C, 4]\n  L = sum(flatten(X))\n}\n", 3, 11, "E0415"),
        err("conv2d of a matrix", "model M {\n  input X[B, 8]\n  param K[2, 1, 3, 3]\n  L = sum(conv2d(X, K))\n}\n",
            4, 18, "E0406"),
        err("conv2d stride zero", "model M {\n  input X[B, 1, 8, 8]\n  param K[2, 1, 3, 3]\n"
            + "  L = sum(conv2d(X, K, stride=0))\n}\n", 4, 31, "E0205"),
        err("conv2d unknown named argument", "model M {\n  input X[B, 1, 8, 8]\n  param K[2, 1, 3, 3]\n"
            + "  L = sum(conv2d(X, K, pad=1))\n}\n", 4, 24, "E0205"),
        err("maxpool without a window", "model M {\n  input X[B, 1, 8, 8]\n  L = sum(maxpool(X))\n}\n", 3, 11, "E0205"),
        err("declared size differs from the computed one",
            "model M {\n  input X[B, 1, 8, 8]\n  param K[2, 1, 3, 3], W[50, 10]\n"
            + "  L = sum(flatten(maxpool(conv2d(X, K), 2)) W)\n}\n", 4, 45, "E0402"),
        err("product of rank 3", "model M {\n  input R[a, b, c], W[c, d]\n  L = sum(R W)\n}\n", 3, 13, "E0406"),
        warn("param does not reach the loss", "model M {\n  input x\n  param w, b\n  L = w x\n}\n", 3, 12, "W0501"),
        warn("zero-initialised hidden layer",
            "model M {\n  input X[B, I]\n  param W1[I, H] ~ zeros, W2[H, O]\n  Z = σ(X W1)\n  L = sum(Z W2)\n}\n",
            3, 20, "W0502"));
  }

  @org.junit.jupiter.api.Test
  void reportsEveryErrorNotJustTheFirst() throws IOException {
    Path file = dir.resolve("many.nn");
    Files.writeString(file, "model M {\n  input x[n], u[m]\n  a = x + u\n  b = a + q\n  c = sigmod(x)\n"
        + "  d = sum(x, axis=1)\n  J = sum(x)\n}\nmodel N {\n  input y\n  K = y / 0\n}\n", StandardCharsets.UTF_8);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(new String[] {"check", file.toString()}, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, exit);
    // b uses a (whose definition failed): nothing more is said about it; q is still undefined.
    for (String expected : new String[] {":3:9: error: [E0401]", ":4:11: error: [E0201]", ":5:7: error: [E0204]",
        ":6:19: error: [E0403]", ":11:11: error: [E0405]"}) {
      assertTrue(stderr.contains(file + expected), () -> "expected " + expected + " in:\n" + stderr);
    }
    assertEquals(5, stderr.split(": error: ", -1).length - 1, stderr);
  }

  private static Arguments err(String name, String text, int line, int col, String code) {
    return Arguments.of(name, text, line + ":" + col + ": error: [" + code + "]", 1);
  }

  private static Arguments warn(String name, String text, int line, int col, String code) {
    return Arguments.of(name, text, line + ":" + col + ": warning: [" + code + "]", 0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsTheCodeAtTheRightPlace(String name, String text, String expected, int status) throws IOException {
    Path file = dir.resolve("bad.nn");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(new String[] {"check", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertTrue(stderr.contains(file + ":" + expected), () -> "expected " + expected + " in:\n" + stderr);
    assertEquals(status, exit, stderr);
    assertFalse(stderr.contains("Exception") || stderr.contains("\tat ") || stderr.contains("internal error"), stderr);
    // the source line and a caret follow the first line of the diagnostic
    String[] lines = stderr.split("\n");
    int at = 0;
    while (!lines[at].contains(expected)) at++;
    assertTrue(lines[at + 2].strip().equals("^"), () -> "no caret line in:\n" + stderr);
  }
}
