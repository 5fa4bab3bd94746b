package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the console transcripts of README.md: inside fenced code blocks, a line {@code $ ./nnc ARGS} is a command
 * and the lines after it, up to the next {@code $ } line or the end of the block, are its expected output
 * (stdout, then stderr). Each command runs in-process through {@link Main#run}.
 */
class ReadmeTest {
  record Transcript(int line, String command, List<String> expected) {}

  static List<Transcript> transcripts(List<String> readme) {
    List<Transcript> out = new ArrayList<>();
    boolean inBlock = false;
    Transcript current = null;
    for (int i = 0; i < readme.size(); i++) {
      String line = readme.get(i);
      if (line.startsWith("```")) {
        inBlock = !inBlock;
        current = null;
        continue;
      }
      if (!inBlock) continue;
      if (line.startsWith("$ ")) {
        current = null;
        if (line.startsWith("$ ./nnc ")) {
          current = new Transcript(i + 1, line.substring("$ ./nnc ".length()), new ArrayList<>());
          out.add(current);
        }
      } else if (current != null) {
        current.expected().add(line);
      }
    }
    return out;
  }

  /** Splits a command line like a shell: spaces separate, quotes group, a * in a word globs files. */
  static List<String> words(String command) throws IOException {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (char c : command.toCharArray()) {
      if (quote != 0) {
        if (c == quote) quote = 0;
        else w.append(c);
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == ' ') {
        if (inWord) words.add(w.toString());
        w.setLength(0);
        inWord = false;
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) words.add(w.toString());
    List<String> expanded = new ArrayList<>();
    for (String word : words) {
      int star = word.indexOf('*');
      if (star < 0) {
        expanded.add(word);
        continue;
      }
      int slash = word.lastIndexOf('/', star);
      Path dir = Path.of(slash < 0 ? "." : word.substring(0, slash));
      List<String> matches = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, word.substring(slash + 1))) {
        for (Path p : ds) matches.add(slash < 0 ? p.getFileName().toString() : dir + "/" + p.getFileName());
      }
      matches.sort(null);
      expanded.addAll(matches);
    }
    return expanded;
  }

  static String run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Main.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyTranscriptInTheReadmeIsTheRealOutput() throws IOException {
    List<String> readme = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8);
    List<Transcript> transcripts = transcripts(readme);
    assertTrue(transcripts.size() >= 4, "README has the grad/eval/gradcheck transcripts");
    for (Transcript t : transcripts) {
      String actual = run(words(t.command())).stripTrailing();
      String expected = String.join("\n", t.expected()).stripTrailing();
      assertEquals(expected, actual, "README.md:" + t.line() + ": $ ./nnc " + t.command());
    }
  }

  @Test
  void theRunnerFindsCommandsAndTheirOutput() {
    List<Transcript> t = transcripts(List.of("text", "```console", "$ ./nnc eval f.nn a=1", "J = 1", "∂J/∂a = 3",
        "$ ls", "x", "$ ./nnc grad g.nn", "```", "$ ./nnc not-in-a-block"));
    assertEquals(2, t.size());
    assertEquals("eval f.nn a=1", t.get(0).command());
    assertEquals(List.of("J = 1", "∂J/∂a = 3"), t.get(0).expected());
    assertEquals(List.of(), t.get(1).expected());
  }
}
