package dev.nnc.prim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The registry is complete, and what the grammar accepts as a function is exactly what the registry knows. */
class PrimsTest {
  /** The cost report's transcendental functions are registry entries (a renamed or removed entry shows here). */
  @Test
  void everyTranscendentalNameIsAnEntry() {
    Set<String> entries = new TreeSet<>();
    for (UnaryPrim u : Prims.unaries()) entries.add(u.op().name());
    for (String t : Prims.TRANSCENDENTAL) assertTrue(entries.contains(t), t + " is no unary entry: " + entries);
    assertTrue(Prims.transcendental(dev.nnc.ir.UnaryOp.EXP) && !Prims.transcendental(dev.nnc.ir.UnaryOp.RELU));
  }

  @Test
  void grammarFunctionTokensAreTheRegistrySpellings() throws Exception {
    String grammar = Files.readString(Path.of("grammar/dev/nnc/parse/Nn.g4"), StandardCharsets.UTF_8);
    Matcher rule = Pattern.compile("(?m)^FUNC\\s*:(.*?);", Pattern.DOTALL).matcher(grammar);
    assertTrue(rule.find(), "no FUNC rule in the grammar");
    Set<String> tokens = new TreeSet<>();
    Matcher literal = Pattern.compile("'([^']*)'").matcher(rule.group(1));
    while (literal.find()) tokens.add(literal.group(1));
    assertEquals(tokens, new TreeSet<>(Prims.spellings()));
  }

  @Test
  void theRegistryIsComplete() {
    assertEquals(List.of(), Prims.problems(Prims.unaries(), Prims.binaries(), Prims.reductions(), Prims.functions()));
    assertEquals(List.of(), Prims.layerProblems(Prims.layers()));
  }

  @Test
  void everySectionTenFunctionIsAnEntry() {
    for (String f : List.of("log1p", "expm1", "sinh", "cosh", "tan", "atan", "elu", "silu", "gelu")) {
      assertTrue(Prims.unaries().stream().anyMatch(p -> p.spellings().contains(f)), f);
    }
  }

  /** Entries of every kind with one piece removed (set to null), each paired with the piece's name. */
  private static <R extends Record> List<Object[]> withOnePieceRemoved(R entry) throws Exception {
    List<Object[]> out = new ArrayList<>();
    RecordComponent[] components = entry.getClass().getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) types[i] = components[i].getType();
    Constructor<?> make = entry.getClass().getDeclaredConstructor(types);
    for (int drop = 0; drop < components.length; drop++) {
      if (components[drop].getType().isPrimitive()) continue; // flags, not pieces
      Object[] args = new Object[components.length];
      for (int i = 0; i < components.length; i++) args[i] = i == drop ? null : components[i].getAccessor().invoke(entry);
      out.add(new Object[] {make.newInstance(args), components[drop].getName()});
    }
    return out;
  }

  @Test
  void removingAnyPieceOfAnyEntryIsReported() throws Exception {
    int checked = 0;
    for (UnaryPrim p : Prims.unaries()) {
      for (Object[] broken : withOnePieceRemoved(p)) {
        String piece = (String) broken[1];
        if (piece.equals("param") && p.param() == null) continue;
        List<UnaryPrim> entries = new ArrayList<>(Prims.unaries());
        entries.set(entries.indexOf(p), (UnaryPrim) broken[0]);
        assertReported(Prims.problems(entries, Prims.binaries(), Prims.reductions(), Prims.functions()), p.op(), piece);
        checked++;
      }
    }
    for (BinaryPrim p : Prims.binaries()) {
      for (Object[] broken : withOnePieceRemoved(p)) {
        String piece = (String) broken[1];
        List<BinaryPrim> entries = new ArrayList<>(Prims.binaries());
        entries.set(entries.indexOf(p), (BinaryPrim) broken[0]);
        assertReported(Prims.problems(Prims.unaries(), entries, Prims.reductions(), Prims.functions()), p.op(), piece);
        checked++;
      }
    }
    for (ReducePrim p : Prims.reductions()) {
      for (Object[] broken : withOnePieceRemoved(p)) {
        String piece = (String) broken[1];
        List<ReducePrim> entries = new ArrayList<>(Prims.reductions());
        entries.set(entries.indexOf(p), (ReducePrim) broken[0]);
        assertReported(Prims.problems(Prims.unaries(), Prims.binaries(), entries, Prims.functions()), p.op(), piece);
        checked++;
      }
    }
    for (FunctionPrim p : Prims.functions()) {
      for (Object[] broken : withOnePieceRemoved(p)) {
        List<FunctionPrim> entries = new ArrayList<>(Prims.functions());
        entries.set(entries.indexOf(p), (FunctionPrim) broken[0]);
        assertReported(Prims.problems(Prims.unaries(), Prims.binaries(), Prims.reductions(), entries), p.name(),
            (String) broken[1]);
        checked++;
      }
    }
    for (LayerPrim p : Prims.layers()) {
      for (Object[] broken : withOnePieceRemoved(p)) {
        List<LayerPrim> entries = new ArrayList<>(Prims.layers());
        entries.set(entries.indexOf(p), (LayerPrim) broken[0]);
        assertReported(Prims.layerProblems(entries), p.op(), (String) broken[1]);
        checked++;
      }
    }
    assertTrue(checked > 200, "only " + checked + " removals checked");
  }

  @Test
  void aBlankNotationOrAMissingEntryIsReportedToo() {
    UnaryPrim sigmoid = Prims.of(dev.nnc.ir.UnaryOp.SIGMOID);
    for (int which = 0; which < 3; which++) {
      Symbol n = sigmoid.notation();
      Symbol blank = new Symbol(n.style(), which == 0 ? "" : n.unicode(), which == 1 ? " " : n.ascii(),
          which == 2 ? "" : n.latex());
      UnaryPrim broken = new UnaryPrim(sigmoid.op(), sigmoid.spellings(), sigmoid.param(), sigmoid.shape(),
          sigmoid.forward(), sigmoid.reverse(), sigmoid.jvp(), sigmoid.java(), blank, sigmoid.domain(),
          sigmoid.activation());
      List<UnaryPrim> entries = new ArrayList<>(Prims.unaries());
      entries.set(entries.indexOf(sigmoid), broken);
      List<String> problems = Prims.problems(entries, Prims.binaries(), Prims.reductions(), Prims.functions());
      assertEquals(1, problems.size(), problems.toString());
      assertTrue(problems.get(0).startsWith("SIGMOID: no "), problems.toString());
    }
    List<BinaryPrim> withoutGe = new ArrayList<>(Prims.binaries());
    withoutGe.removeIf(p -> p.op() == dev.nnc.ir.BinaryOp.GE);
    assertEquals(List.of("GE: no registry entry"),
        Prims.problems(Prims.unaries(), withoutGe, Prims.reductions(), Prims.functions()));
  }

  /** The forward-mode rule is a required piece: an entry without one is named, as for any other piece. */
  @Test
  void anEntryWithoutAJvpRuleIsReportedByName() {
    UnaryPrim sigmoid = Prims.of(dev.nnc.ir.UnaryOp.SIGMOID);
    UnaryPrim broken = new UnaryPrim(sigmoid.op(), sigmoid.spellings(), sigmoid.param(), sigmoid.shape(),
        sigmoid.forward(), sigmoid.reverse(), null, sigmoid.java(), sigmoid.notation(), sigmoid.domain(),
        sigmoid.activation());
    List<UnaryPrim> entries = new ArrayList<>(Prims.unaries());
    entries.set(entries.indexOf(sigmoid), broken);
    assertEquals(List.of("SIGMOID: no JVP rule"),
        Prims.problems(entries, Prims.binaries(), Prims.reductions(), Prims.functions()));
    ReducePrim lse = Prims.of(dev.nnc.ir.ReduceOp.LOGSUMEXP);
    List<ReducePrim> reductions = new ArrayList<>(Prims.reductions());
    reductions.set(reductions.indexOf(lse), new ReducePrim(lse.op(), lse.spellings(), lse.shape(), lse.forward(),
        lse.reverse(), null, lse.java(), lse.notation(), lse.domain(), lse.kinkWhereEqual()));
    assertEquals(List.of("LOGSUMEXP: no JVP rule"),
        Prims.problems(Prims.unaries(), Prims.binaries(), reductions, Prims.functions()));
  }

  private static void assertReported(List<String> problems, Object entry, String piece) {
    assertTrue(!problems.isEmpty(), entry + " without its " + piece + " was not reported");
    assertTrue(problems.stream().allMatch(s -> s.startsWith(entry + ":") || s.contains("entry") || s.contains("registry")),
        entry + " without " + piece + ": " + problems);
  }
}
