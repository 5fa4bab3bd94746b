package dev.nnc.check;

import static dev.nnc.check.Ast.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.ast.Expr;
import dev.nnc.ast.Stmt;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Diagnostics;
import dev.nnc.ir.ModelIR;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shape inference and lowering of LANGUAGE.md §3–5 on hand-built ASTs (independent of the parser): the IR node and
 * its shape for every product, broadcast and reduction case, and the code of every shape error.
 */
class ShapeInferenceTest {
  /** input s, x[n], y[n], u[m], A[n, m], C[m, k], D[n, m], R[n, m, k], row[1, m], col[n, 1]; dim H = 3. */
  private static final Stmt[] DECLS = {
    dims("H", 3),
    input(v("s"), v("x", "n"), v("y", "n"), v("u", "m"), v("A", "n", "m"), v("C", "m", "k"), v("D", "n", "m"),
        v("R", "n", "m", "k"), v("row", "1", "m"), v("col", "n", "1"), v("h", "H"), v("three", "3"))
  };

  /** Lowers {@code V = e} (plus {@code L = sum(V)} as the loss) and returns V's node as text plus its shape. */
  private static String lower(Expr e) {
    Diagnostics diags = new Diagnostics();
    List<Stmt> all = new ArrayList<>(List.of(DECLS));
    all.add(let("V", e));
    all.add(let("L", call("sum", ref("V"))));
    ModelIR ir = check(diags, all.toArray(new Stmt[0]));
    assertTrue(diags.all().stream().noneMatch(Diagnostic::isError), () -> "unexpected errors: " + diags.all());
    assertNotNull(ir);
    dev.nnc.ir.Expr node = ir.value("V").node();
    return IrText.of(node) + " : " + node.shape();
  }

  /** The codes of the errors lowering {@code V = e} reports. */
  private static List<Code> errors(Expr e) {
    Diagnostics diags = new Diagnostics();
    List<Stmt> all = new ArrayList<>(List.of(DECLS));
    all.add(let("V", e));
    all.add(let("L", call("sum", ref("V"))));
    assertNull(check(diags, all.toArray(new Stmt[0])));
    List<Code> codes = new ArrayList<>();
    for (Diagnostic d : diags.all()) if (d.isError()) codes.add(d.code());
    return codes;
  }

  // ---- scalars and broadcasting ------------------------------------------------------------------

  @Test
  void scalarsAreRankZero() {
    assertEquals("add(s,2) : []", lower(add(ref("s"), num(2))));
  }

  @Test
  void scalarPlusVectorBroadcastsTheScalar() {
    assertEquals("add(bcast[](s→[n]),x) : [n]", lower(add(ref("s"), ref("x"))));
    assertEquals("sub(bcast[](1→[n]),y) : [n]", lower(sub(num(1), ref("y"))));
  }

  @Test
  void matrixPlusVectorAlignsOnTheRight() {
    assertEquals("add(A,bcast[1](u→[n, m])) : [n, m]", lower(add(ref("A"), ref("u"))));
  }

  @Test
  void extentOneAxesStretch() {
    assertEquals("mul(bcast[0, 1](col→[n, m]),bcast[0, 1](row→[n, m])) : [n, m]",
        lower(times(ref("col"), ref("row"))));
    assertEquals("div(A,bcast[0, 1](row→[n, m])) : [n, m]", lower(div(ref("A"), ref("row"))));
  }

  @Test
  void sameShapesNeedNoBroadcast() {
    assertEquals("mul(A,D) : [n, m]", lower(times(ref("A"), ref("D"))));
    assertEquals("pow(x,y) : [n]", lower(pow(ref("x"), ref("y"))));
  }

  @Test
  void fixedDimMatchesLiteralOfTheSameSize() {
    assertEquals("add(h,bcast[0](three→[H])) : [H]", lower(add(ref("h"), ref("three"))));
  }

  @Test
  void elementwiseMismatchNamesBothShapes() {
    assertEquals(List.of(Code.SHAPE_MISMATCH), errors(add(ref("x"), ref("u"))));
    assertEquals(List.of(Code.SHAPE_MISMATCH), errors(times(ref("A"), ref("C"))));
    Diagnostics diags = new Diagnostics();
    check(diags, DECLS[0], DECLS[1], let("V", times(ref("A"), tr(ref("A")))));
    Diagnostic d = diags.all().get(0);
    assertEquals(Code.SHAPE_MISMATCH, d.code());
    assertTrue(d.message().contains("[n, m] and [m, n]"), d.message());
    assertTrue(d.hint().contains("transpose"), d.hint());
  }

  @Test
  void twoDifferentFreeDimsDoNotBroadcast() {
    assertEquals(List.of(Code.SHAPE_MISMATCH), errors(add(ref("x"), ref("u"))));
  }

  // ---- products ---------------------------------------------------------------------------------

  @Test
  void productWithAScalarScales() {
    assertEquals("mul(bcast[](2→[n, m]),A) : [n, m]", lower(juxt(num(2), ref("A"))));
    assertEquals("mul(x,bcast[](s→[n])) : [n]", lower(dot(ref("x"), ref("s"))));
    assertEquals("mul(s,3) : []", lower(juxt(ref("s"), num(3))));
  }

  @Test
  void vectorDotVectorIsAScalar() {
    assertEquals("matmul(x,y) : []", lower(juxt(ref("x"), ref("y"))));
    assertEquals("matmul(x,y) : []", lower(dot(tr(ref("x")), ref("y"))));
  }

  @Test
  void matrixTimesVectorAndVectorTimesMatrix() {
    assertEquals("matmul(A,u) : [n]", lower(juxt(ref("A"), ref("u"))));
    assertEquals("matmul(x,A) : [m]", lower(dot(tr(ref("x")), ref("A"))));
  }

  @Test
  void matrixTimesMatrix() {
    assertEquals("matmul(A,C) : [n, k]", lower(juxt(ref("A"), ref("C"))));
    assertEquals("matmul(T(A),D) : [m, m]", lower(juxt(tr(ref("A")), ref("D"))));
  }

  @Test
  void innerDimensionsMustMatch() {
    assertEquals(List.of(Code.PRODUCT_SHAPE_MISMATCH), errors(juxt(ref("A"), ref("x"))));
    assertEquals(List.of(Code.PRODUCT_SHAPE_MISMATCH), errors(juxt(ref("A"), ref("D"))));
    assertEquals(List.of(Code.PRODUCT_SHAPE_MISMATCH), errors(dot(ref("x"), ref("u"))));
  }

  @Test
  void elementwiseProductOfMatricesHintsAtStar() {
    Diagnostics diags = new Diagnostics();
    check(diags, DECLS[0], DECLS[1], let("V", juxt(ref("A"), call("log", ref("D")))));
    Diagnostic d = diags.all().get(0);
    assertEquals(Code.PRODUCT_SHAPE_MISMATCH, d.code());
    assertTrue(d.message().contains("[n, m]"), d.message());
    assertTrue(d.hint().contains("*") && d.hint().contains("sum("), d.hint());
  }

  @Test
  void productOfRankThreeIsUnsupported() {
    assertEquals(List.of(Code.UNSUPPORTED_RANK), errors(juxt(ref("R"), ref("C"))));
    assertEquals(List.of(Code.UNSUPPORTED_RANK), errors(tr(ref("R"))));
  }

  @Test
  void rankThreeElementwiseAndReductionsWork() {
    assertEquals("add(R,bcast[1, 2](C→[n, m, k])) : [n, m, k]", lower(add(ref("R"), ref("C"))));
    assertEquals("sum[1](R) : [n, k]", lower(call("sum", ref("R"), axis(1))));
  }

  @Test
  void nameBeforeParenthesisIsAProduct() {
    assertEquals("matmul(A,u) : [n]", lower(call("A", ref("u"))));
    assertEquals("mul(bcast[](s→[n]),x) : [n]", lower(call("s", ref("x"))));
  }

  // ---- transpose, unary, functions -----------------------------------------------------------------

  @Test
  void transposeOfMatrixSwapsAndOfVectorIsItself() {
    assertEquals("T(A) : [m, n]", lower(tr(ref("A"))));
    assertEquals("x : [n]", lower(tr(ref("x"))));
    assertEquals("A : [n, m]", lower(tr(tr(ref("A")))));
  }

  @Test
  void unaryFunctionsAndAliases() {
    assertEquals("neg(x) : [n]", lower(neg(ref("x"))));
    assertEquals("sigmoid(x) : [n]", lower(call("σ", ref("x"))));
    assertEquals("sigmoid(x) : [n]", lower(call("sigmoid", ref("x"))));
    assertEquals("log(A) : [n, m]", lower(call("ln", ref("A"))));
    assertEquals("sqrt(x) : [n]", lower(call("√", ref("x"))));
    assertEquals("tanh(relu(softplus(abs(sin(cos(exp(x))))))) : [n]",
        lower(call("tanh", call("relu", call("softplus", call("abs", call("sin", call("cos", call("exp", ref("x"))))))))));
  }

  @Test
  void leakyReluSlopeDefaultsAndIsANumber() {
    assertEquals("leaky_relu@0.01(x) : [n]", lower(call("leaky_relu", ref("x"))));
    assertEquals("leaky_relu@0.2(x) : [n]", lower(call("leaky_relu", ref("x"), num(0.2))));
    assertEquals(List.of(Code.WRONG_ARGUMENTS), errors(call("leaky_relu", ref("x"), ref("s"))));
  }

  @Test
  void powersAndConstants() {
    assertEquals("pow(x,bcast[](2→[n])) : [n]", lower(pow(ref("x"), num(2))));
    assertEquals(2 * Math.PI + " : []", lower(juxt(num(2), ref("π")))); // two constants fold
    assertEquals("mul(" + Math.PI + ",s) : []", lower(juxt(ref("pi"), ref("s"))));
    assertEquals("#n : []", lower(ref("n")));
    assertEquals("div(s,#H) : []", lower(div(ref("s"), ref("H"))));
  }

  // ---- reductions and softmax ----------------------------------------------------------------------

  @Test
  void reductionsOverEverythingAndOneAxis() {
    assertEquals("sum[0, 1](A) : []", lower(call("Σ", ref("A"))));
    assertEquals("sum[0](A) : [m]", lower(call("sum", ref("A"), axis(0))));
    assertEquals("sum[1](A) : [n]", lower(call("∑", ref("A"), axis(-1))));
    assertEquals("max[0, 1](A) : []", lower(call("max", ref("A"))));
    assertEquals("min[1](A) : [n]", lower(call("min", ref("A"), axis(1))));
    assertEquals("logsumexp[0](A) : [m]", lower(call("logsumexp", ref("A"), axis(-2))));
    assertEquals("s : []", lower(call("sum", ref("s"))));
  }

  @Test
  void meanDividesByTheCount() {
    assertEquals("div(sum[0, 1](A),mul(#n,#m)) : []", lower(call("mean", ref("A"))));
    assertEquals("div(sum[0](A),bcast[](#n→[m])) : [m]", lower(call("mean", ref("A"), axis(0))));
    assertEquals("div(sum[0](h),3) : []", lower(call("mean", ref("h"))));
  }

  @Test
  void maxAndMinOfTwoAreElementwise() {
    assertEquals("max(A,bcast[1](u→[n, m])) : [n, m]", lower(call("max", ref("A"), ref("u"))));
    assertEquals("min(x,bcast[](0→[n])) : [n]", lower(call("min", ref("x"), num(0))));
  }

  @Test
  void softmaxDefaultsToTheLastAxis() {
    assertEquals("softmax@1(A) : [n, m]", lower(call("softmax", ref("A"))));
    assertEquals("softmax@0(A) : [n, m]", lower(call("softmax", ref("A"), axis(0))));
    assertEquals("log_softmax@0(x) : [n]", lower(call("log_softmax", ref("x"))));
  }

  @Test
  void axisOutOfRange() {
    assertEquals(List.of(Code.AXIS_OUT_OF_RANGE), errors(call("sum", ref("A"), axis(2))));
    assertEquals(List.of(Code.AXIS_OUT_OF_RANGE), errors(call("sum", ref("A"), axis(-3))));
    assertEquals(List.of(Code.AXIS_OUT_OF_RANGE), errors(call("softmax", ref("x"), axis(1))));
    assertEquals(List.of(Code.AXIS_OUT_OF_RANGE), errors(call("mean", ref("s"), axis(0))));
  }

  @Test
  void argumentErrors() {
    assertEquals(List.of(Code.WRONG_ARGUMENTS), errors(call("exp", ref("x"), ref("y"))));
    assertEquals(List.of(Code.WRONG_ARGUMENTS), errors(call("exp", ref("x"), axis(0))));
    assertEquals(List.of(Code.WRONG_ARGUMENTS), errors(call("sum", ref("A"), named("axes", num(0)))));
    assertEquals(List.of(Code.WRONG_ARGUMENTS), errors(call("sum", ref("A"), num(0))));
    assertEquals(List.of(Code.WRONG_ARGUMENTS), errors(call("max", ref("A"), ref("D"), axis(0))));
    assertEquals(List.of(Code.WRONG_ARGUMENTS), errors(call("sum", ref("A"), named("axis", num(0.5)))));
    assertEquals(List.of(Code.UNKNOWN_FUNCTION), errors(call("sigmod", ref("x"))));
    assertEquals(List.of(Code.UNSUPPORTED_RANK), errors(call("softmax", ref("s"))));
  }

  @Test
  void divisionByLiteralZero() {
    assertEquals(List.of(Code.DIVISION_BY_ZERO), errors(div(ref("x"), num(0))));
  }
}
