package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A .nn file name goes into comments and the @Generated string: a name holding any line break JavaPoet or javac
 * knows (LF, CR, VT, FF, NEL, U+2028, U+2029) must not end a comment early or break the literal.
 */
class FileNameTest {
  @Test
  void fileNamesWithLineBreaksGiveJavaThatCompiles() throws Exception {
    List<GeneratedFile> files = new ArrayList<>();
    String[] breaks = {"\u2028", "\u2029", "\u0085", "\u000B", "\u000C", "\r", "\n"};
    for (int i = 0; i < breaks.length; i++) {
      Result r = Pipeline.compile("dir/a" + breaks[i] + "b.nn",
          "model M" + i + " {\n  input x\n  param w\n  L = (w x − 1)²\n}\n", "names");
      String java = r.files().get(0).content();
      assertFalse(java.contains(breaks[i] + "b.nn"), "a raw line break of the file name is in the Java");
      assertTrue(java.contains("a b.nn"), java.substring(0, 400));
      files.addAll(r.files());
    }
    Javac.compile(files);
  }
}
