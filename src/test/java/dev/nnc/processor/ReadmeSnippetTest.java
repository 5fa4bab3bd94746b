package dev.nnc.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Use it in your build" snippets must be what src/it/consumer/pom.xml — the project `mvn verify`
 * builds and tests — really uses: line for line (indentation aside), with the consumer's {@code @project.version@}
 * standing for nnc's version.
 */
class ReadmeSnippetTest {
  private static final Path README = Path.of("README.md");
  private static final Path CONSUMER_POM = Path.of("src", "it", "consumer", "pom.xml");

  @Test
  void everyXmlSnippetOfTheUseItInYourBuildSectionIsInTheConsumerPom() throws IOException {
    String version = projectVersion();
    List<String> pom = trimmedLines(Files.readString(CONSUMER_POM, StandardCharsets.UTF_8));
    List<String> snippets = xmlSnippets(section(Files.readString(README, StandardCharsets.UTF_8)));
    assertWithMessage("xml snippets in README's 'Use it in your build'").that(snippets).hasSize(2);
    for (String snippet : snippets) {
      List<String> lines = trimmedLines(snippet.replace("<version>" + version + "</version>",
          "<version>@project.version@</version>"));
      assertWithMessage("README snippet is not verbatim in %s:\n%s", CONSUMER_POM, snippet)
          .that(Collections.indexOfSubList(pom, lines)).isAtLeast(0);
    }
    String all = String.join("\n", snippets);
    assertThat(all).contains("<annotationProcessorPaths>");
    assertThat(all).contains("<version>" + version + "</version>");
  }

  private static String projectVersion() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("<artifactId>nnc</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertWithMessage("nnc's own version in pom.xml").that(m.find()).isTrue();
    return m.group(1);
  }

  private static String section(String readme) {
    int start = readme.indexOf("\n## Use it in your build");
    assertWithMessage("README has a '## Use it in your build' section").that(start).isAtLeast(0);
    int end = readme.indexOf("\n## ", start + 1);
    return end < 0 ? readme.substring(start) : readme.substring(start, end);
  }

  private static List<String> xmlSnippets(String markdown) {
    List<String> snippets = new ArrayList<>();
    Matcher m = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    while (m.find()) snippets.add(m.group(1));
    return snippets;
  }

  private static List<String> trimmedLines(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) if (!line.isBlank()) lines.add(line.strip());
    return lines;
  }
}
