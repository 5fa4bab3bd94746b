package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import dev.nnc.diff.DiffModel;
import dev.nnc.ir.ModelIR;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which model name each line of forward and backward belongs to: the file itself is unchanged by asking. */
class LineOwnersTest {
  @Test
  void theFileIsTheSameBytesAndEveryOwnerIsAModelName() throws Exception {
    for (Path p : ExamplesTest.exampleFiles()) {
      Result r = Pipeline.compile(p, "");
      for (int i = 0; i < r.derivatives().size(); i++) {
        DiffModel dm = r.derivatives().get(i);
        LineOwners owned = JavaGenerator.generateWithOwners(dm, "", Precision.FLOAT64, Api.FULL);
        assertEquals(r.files().get(i).content(), owned.file().content(), p.toString());
        assertFalse(owned.lines().isEmpty(), p.toString());
        ModelIR m = dm.model();
        String[] lines = owned.file().content().split("\n", -1);
        int previous = 0;
        for (LineOwners.Line l : owned.lines()) {
          assertTrue(l.number() > previous, "in file order");
          previous = l.number();
          assertTrue(m.names().get(l.owner()) != null, p + ": owner " + l.owner());
          assertFalse(lines[l.number() - 1].contains("\uE000"), "markers removed");
        }
        // every statement owns forward lines; every param the backward lines of its gradient
        for (ModelIR.Value v : m.values()) {
          assertTrue(owned.lines().stream().anyMatch(l -> l.forward() && l.owner().equals(v.name())),
              p + ": forward of " + v.name());
        }
        for (ModelIR.Leaf param : m.params()) {
          assertTrue(owned.lines().stream().anyMatch(l -> !l.forward() && l.owner().equals(param.name())),
              p + ": backward of " + param.name());
        }
      }
    }
  }

  @Test
  void logisticRegressionLinesAreTheStatementsTheySay() throws Exception {
    Result r = Pipeline.compile(Path.of("examples/logistic_regression.nn"), "");
    LineOwners owned = JavaGenerator.generateWithOwners(r.derivatives().get(0), "", Precision.FLOAT64, Api.FULL);
    String[] lines = owned.file().content().split("\n", -1);
    List<String> forwardOfA = new ArrayList<>();
    List<String> backwardOfW = new ArrayList<>();
    for (LineOwners.Line l : owned.lines()) {
      String text = lines[l.number() - 1].strip();
      if (l.forward() && l.owner().equals("a")) forwardOfA.add(text);
      if (!l.forward() && l.owner().equals("w")) backwardOfW.add(text);
    }
    assertTrue(forwardOfA.contains("// a = σ(z)   (logistic_regression.nn:6)"), forwardOfA.toString());
    assertTrue(forwardOfA.stream().anyMatch(s -> s.startsWith("a = ")), forwardOfA.toString());
    assertTrue(backwardOfW.stream().anyMatch(s -> s.contains("dw[")), backwardOfW.toString());
  }
}
