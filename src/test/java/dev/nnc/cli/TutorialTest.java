package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/tutorial.md's transcripts are the real output, run as the README's are ({@link ReadmeTest}). */
class TutorialTest {
  @Test
  void everyTranscriptInTheTutorialIsTheRealOutput() throws IOException {
    List<String> text = Files.readAllLines(Path.of("docs/tutorial.md"), StandardCharsets.UTF_8);
    List<ReadmeTest.Transcript> transcripts = ReadmeTest.transcripts(text);
    assertTrue(transcripts.size() >= 8, "the tutorial's trace, graph and grad transcripts");
    for (ReadmeTest.Transcript t : transcripts) {
      String actual = ReadmeTest.run(ReadmeTest.words(t.command())).stripTrailing();
      String expected = String.join("\n", t.expected()).stripTrailing();
      assertEquals(expected, actual, "docs/tutorial.md:" + t.line() + ": $ ./nnc " + t.command());
      // a transcript showing picocli's usage text means the tutorial's command line itself is wrong (a value the
      // shell splits, an option misspelt), as the logistic regression trace once was: "Unknown option: '-0.25]'"
      assertFalse(actual.contains("Usage: nnc"), "docs/tutorial.md:" + t.line() + ": a usage error: " + actual);
    }
  }
}
