package dev.nnc.check;

import static dev.nnc.check.Ast.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.ast.Expr;
import dev.nnc.ast.SourceFile;
import dev.nnc.ast.Stmt;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Source;
import dev.nnc.ir.ModelIR;
import dev.nnc.ir.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names, declarations, loss and warnings on hand-built ASTs (positions are asserted through files elsewhere). */
class NameCheckTest {
  private static List<Code> codes(Stmt... statements) {
    Diagnostics diags = new Diagnostics();
    check(diags, statements);
    List<Code> out = new ArrayList<>();
    for (Diagnostic d : diags.all()) out.add(d.code());
    return out;
  }

  private static ModelIR ok(Stmt... statements) {
    Diagnostics diags = new Diagnostics();
    ModelIR ir = check(diags, statements);
    assertTrue(diags.all().isEmpty(), () -> "unexpected diagnostics: " + diags.all());
    assertNotNull(ir);
    return ir;
  }

  private static List<String> names(List<ModelIR.Leaf> leaves) {
    List<String> out = new ArrayList<>();
    for (ModelIR.Leaf l : leaves) out.add(l.name());
    return out;
  }

  @Test
  void freeNamesOfAFileWithoutDeclarationsAreScalarParamsInOrderOfAppearance() {
    ModelIR ir = ok(let("J", juxt(num(3), add(ref("a"), juxt(ref("b"), ref("c"))))));
    assertEquals(List.of("a", "b", "c"), names(ir.params()));
    assertTrue(ir.params().stream().allMatch(p -> p.var().shape().isScalar() && p.var().role() == Role.PARAM));
    assertEquals("J", ir.loss());
    assertEquals("mul(3,add(a,mul(b,c)))", IrText.of(ir.lossValue().node()));
  }

  @Test
  void appleExampleHasThreeParams() {
    ModelIR ir = ok(let("price", juxt(juxt(ref("apple"), ref("apple_num")), ref("tax"))));
    assertEquals(List.of("apple", "apple_num", "tax"), names(ir.params()));
    assertEquals(ModelIR.Init.ZEROS, ir.params().get(0).init());
  }

  @Test
  void aNameOnlyBeforeParenthesisIsAnUnknownFunctionEvenWithoutDeclarations() {
    assertEquals(List.of(Code.UNKNOWN_FUNCTION), codes(let("J", call("f", ref("x")))));
    ModelIR ir = ok(let("J", add(call("f", ref("x")), ref("f"))));
    assertEquals(List.of("f", "x"), names(ir.params()));
  }

  @Test
  void withADeclarationFreeNamesAreUndefined() {
    Diagnostics diags = new Diagnostics();
    check(diags, param(v("w1")), let("L", juxt(ref("w_1"), ref("q"))));
    assertEquals(Code.UNDEFINED_NAME, diags.all().get(0).code());
    assertEquals("did you mean 'w1'?", diags.all().get(0).hint());
    assertEquals(Code.UNDEFINED_NAME, diags.all().get(1).code());
    assertEquals(2, diags.all().size());
  }

  @Test
  void eIsNotEulersNumber() {
    Diagnostics diags = new Diagnostics();
    check(diags, input(v("x")), let("L", pow(ref("e"), ref("x"))));
    assertEquals(Code.UNDEFINED_NAME, diags.all().get(0).code());
    assertTrue(diags.all().get(0).hint().contains("exp(1)"), diags.all().get(0).hint());
  }

  @Test
  void assignedTwiceAndUsedBeforeDefinition() {
    assertEquals(List.of(Code.ASSIGNED_TWICE), codes(input(v("x")), let("a", ref("x")), let("a", ref("x"))));
    assertEquals(List.of(Code.USED_BEFORE_DEFINITION), codes(input(v("x")), let("b", ref("a")), let("a", ref("x"))));
    assertEquals(List.of(Code.USED_BEFORE_DEFINITION), codes(let("a", add(ref("a"), num(1)))));
  }

  @Test
  void confusableSpellings() {
    assertEquals(List.of(Code.CONFUSABLE_NAMES), codes(param(v("w₁")), let("L", juxt(ref("w1"), ref("w₁")))));
  }

  @Test
  void declarationErrors() {
    assertEquals(List.of(Code.NO_ASSIGNMENT), codes(input(v("x"))));
    assertEquals(List.of(Code.DECLARED_TWICE), codes(input(v("x")), param(v("x")), let("L", ref("x"))));
    assertEquals(List.of(Code.DECLARED_TWICE), codes(input(v("x")), let("x", num(1)), let("L", ref("x"))));
    assertEquals(List.of(Code.RESERVED_NAME), codes(input(v("x")), let("exp", ref("x")), let("L", ref("x"))));
    assertEquals(List.of(Code.BAD_DIM), codes(dims("n", 3.5), input(v("x", "n")), let("L", call("sum", ref("x")))));
    assertEquals(List.of(Code.BAD_DIM), codes(dims("n", 0), input(v("x", "n")), let("L", call("sum", ref("x")))));
    assertEquals(List.of(Code.DIM_FIXED_TWICE), codes(dims("n", 3, "n", 4), input(v("x", "n")), let("L", call("sum", ref("x")))));
    assertEquals(List.of(Code.BAD_SHAPE_ENTRY), codes(input(v("x", "2.5")), let("L", call("sum", ref("x")))));
    assertEquals(List.of(Code.BAD_SHAPE_ENTRY), codes(input(v("x", "k"), v("k")), let("L", call("sum", ref("x")))));
    assertEquals(List.of(Code.UNKNOWN_INITIALISER), codes(param(vi("W", init("gauss", 0, 1), "n", "m")),
        let("L", call("sum", ref("W")))));
    assertEquals(List.of(Code.BAD_INITIALISER_ARGUMENTS), codes(param(vi("W", init("normal", 0), "n", "m")),
        let("L", call("sum", ref("W")))));
    assertEquals(List.of(Code.BAD_INITIALISER_ARGUMENTS), codes(param(vi("W", init("normal", 0, -1), "n", "m")),
        let("L", call("sum", ref("W")))));
    assertEquals(List.of(Code.BAD_INITIALISER_ARGUMENTS), codes(param(vi("W", init("uniform", 1, -1), "n", "m")),
        let("L", call("sum", ref("W")))));
  }

  @Test
  void lossAndOutputs() {
    assertEquals(List.of(Code.BAD_LOSS), codes(input(v("x")), let("L", ref("x")), loss("J")));
    assertEquals(List.of(Code.BAD_LOSS), codes(input(v("x")), let("L", ref("x")), loss("x")));
    assertEquals(List.of(Code.BAD_OUTPUT), codes(input(v("x")), let("L", ref("x")), output("Y")));
    assertEquals(List.of(Code.LOSS_NOT_SCALAR), codes(input(v("x", "n")), let("L", ref("x"))));
    assertEquals(List.of(Code.LOSS_NOT_SCALAR), codes(input(v("x", "n")), let("L", ref("x")), let("J", call("sum", ref("x"))),
        loss("L")));
    ModelIR ir = ok(input(v("x", "n")), let("Y", call("σ", ref("x"))), let("J", call("sum", ref("Y"))), output("Y"));
    assertEquals("J", ir.loss());
    assertEquals(List.of("Y"), ir.outputs());
    ModelIR explicit = ok(input(v("x", "n")), loss("J"), let("J", call("sum", ref("x"))), let("Y", ref("x")));
    assertEquals("J", explicit.loss());
  }

  @Test
  void duplicateModels() {
    SourceFile file = new SourceFile(List.of(model("M", let("a", num(1))), model("M", let("b", num(2)))), false, S);
    Diagnostics diags = new Diagnostics();
    List<ModelIR> out = Checker.check(file, Source.of("t.nn", ""), diags);
    assertEquals(Code.DUPLICATE_MODEL, diags.all().get(0).code());
    assertEquals(1, out.size());
  }

  @Test
  void dimsDeclaredFirstThenFreeInOrderOfAppearance() {
    ModelIR ir = ok(input(v("X", "B", "I"), v("T", "B", "O")), dims("I", 784, "K"),
        let("L", call("sum", ref("X"))), let("J", add(ref("L"), call("sum", ref("T")))));
    List<String> dims = new ArrayList<>();
    for (ModelIR.DimInfo d : ir.dims()) dims.add(d.name() + "=" + d.size());
    assertEquals(List.of("I=784", "K=-1", "B=-1", "O=-1"), dims);
  }

  @Test
  void defaultInitialisers() {
    ModelIR ir = ok(input(v("x", "n")), param(v("W", "m", "n"), v("b", "m"), vi("c", init("uniform", -1, 1))),
        let("L", add(call("sum", add(juxt(ref("W"), ref("x")), ref("b"))), ref("c"))));
    assertEquals(new ModelIR.Init(ModelIR.InitKind.NORMAL, 0, 0.01), ir.params().get(0).init());
    assertEquals(ModelIR.Init.ZEROS, ir.params().get(1).init());
    assertEquals(new ModelIR.Init(ModelIR.InitKind.UNIFORM, -1, 1), ir.params().get(2).init());
    assertNull(ir.inputs().get(0).init());
  }

  @Test
  void warnings() {
    assertEquals(List.of(Code.PARAM_UNUSED), codes(input(v("x")), param(v("w"), v("b")), let("L", juxt(ref("w"), ref("x")))));
    // W1 zero-initialised feeds σ then another product: a hidden unit.
    Stmt[] net = {
      input(v("X", "B", "I")), param(vi("W1", init("zeros"), "I", "H"), vi("W2", init("zeros"), "H", "O")),
      let("Z", call("σ", juxt(ref("X"), ref("W1")))), let("L", call("sum", juxt(ref("Z"), ref("W2"))))
    };
    assertEquals(List.of(Code.ZERO_INIT_SYMMETRY), codes(net));
    Diagnostics diags = new Diagnostics();
    assertNotNull(check(diags, net)); // warnings do not stop compilation
  }

  @Test
  void aLongChainChecksQuickly() {
    int n = 20_000;
    List<Stmt> stmts = new ArrayList<>();
    stmts.add(input(v("v0")));
    for (int i = 1; i <= n; i++) {
      Expr prev = ref("v" + (i - 1));
      stmts.add(let("v" + i, add(call("σ", prev), juxt(num(0.5), prev))));
    }
    ModelIR ir = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ok(stmts.toArray(new Stmt[0])));
    assertEquals("v" + n, ir.loss());
    assertEquals(n, ir.values().size());
  }
}
