package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    }
  }
}
