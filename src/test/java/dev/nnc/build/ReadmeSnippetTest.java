package dev.nnc.build;

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
 * The README's "Use it in your build" snippets must be what the projects `mvn verify` builds really use, line for
 * line (indentation aside), with {@code @project.version@} standing for nnc's version: the processor's in
 * src/it/consumer/pom.xml, the plugin's in maven-plugin/src/it/models/pom.xml. And they must be complete: the
 * consumer sets javac up through the README's compiler block alone (no {@code maven.compiler.*} property hiding a
 * setting the README forgot, as {@code release} once was).
 */
class ReadmeSnippetTest {
  private static final Path README = Path.of("README.md");
  private static final Path CONSUMER_POM = Path.of("src", "it", "consumer", "pom.xml");
  private static final Path PLUGIN_SAMPLE_POM = Path.of("maven-plugin", "src", "it", "models", "pom.xml");
  private static final Path PLUGIN_POM = Path.of("maven-plugin", "pom.xml");

  @Test
  void theProcessorSnippetsAreTheConsumerPomsOnlyNncAndJavacSettings() throws IOException {
    String pom = Files.readString(CONSUMER_POM, StandardCharsets.UTF_8);
    List<String> snippets = xmlSnippets(section("### The annotation processor"));
    assertWithMessage("xml snippets under '### The annotation processor'").that(snippets).hasSize(2);
    assertVerbatim(snippets, pom, CONSUMER_POM);
    String all = String.join("\n", snippets);
    assertThat(all).contains("<annotationProcessorPaths>");
    assertThat(all).contains("<release>17</release>");
    assertThat(pom).doesNotContain("maven.compiler.");
    assertWithMessage("maven-compiler-plugin blocks in %s", CONSUMER_POM)
        .that(count(pom, "<artifactId>maven-compiler-plugin</artifactId>")).isEqualTo(1);
  }

  @Test
  void thePluginSnippetIsTheSampleProjectsPluginBlock() throws IOException {
    String pom = Files.readString(PLUGIN_SAMPLE_POM, StandardCharsets.UTF_8);
    List<String> snippets = xmlSnippets(section("### The Maven plugin"));
    assertWithMessage("xml snippets under '### The Maven plugin'").that(snippets).hasSize(1);
    assertVerbatim(snippets, pom, PLUGIN_SAMPLE_POM);
    assertThat(snippets.get(0)).contains("<artifactId>nnc-maven-plugin</artifactId>");
  }

  @Test
  void thePluginIsReleasedWithNncsVersionAndBuiltAgainstIt() throws IOException {
    String plugin = Files.readString(PLUGIN_POM, StandardCharsets.UTF_8);
    String version = projectVersion();
    Matcher own = Pattern.compile("<artifactId>nnc-maven-plugin</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(plugin);
    assertWithMessage("the plugin's version in %s", PLUGIN_POM).that(own.find()).isTrue();
    assertThat(own.group(1)).isEqualTo(version);
    assertThat(plugin).contains("<nnc.version>" + version + "</nnc.version>");
  }

  private static void assertVerbatim(List<String> snippets, String pom, Path where) throws IOException {
    List<String> lines = trimmedLines(pom);
    String version = projectVersion();
    for (String snippet : snippets) {
      List<String> wanted = trimmedLines(snippet.replace("<version>" + version + "</version>",
          "<version>@project.version@</version>"));
      assertWithMessage("README snippet is not verbatim in %s:\n%s", where, snippet)
          .that(Collections.indexOfSubList(lines, wanted)).isAtLeast(0);
    }
    assertThat(String.join("\n", snippets)).contains("<version>" + version + "</version>");
  }

  private static String projectVersion() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("<artifactId>nnc</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertWithMessage("nnc's own version in pom.xml").that(m.find()).isTrue();
    return m.group(1);
  }

  /** The README's text from the heading {@code title} to the next heading of the same or a higher level. */
  private static String section(String title) throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int start = readme.indexOf("\n" + title + "\n");
    assertWithMessage("README has a '%s' section", title).that(start).isAtLeast(0);
    String level = title.substring(0, title.indexOf(' '));
    int end = readme.length();
    for (String h = "#"; h.length() <= level.length(); h += "#") {
      int next = readme.indexOf("\n" + h + " ", start + 1);
      if (next >= 0) end = Math.min(end, next);
    }
    return readme.substring(start, end);
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

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
    return n;
  }
}
