package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** {@link JavaText}: what reaches Javadoc and comments is escaped, and text that needs nothing comes back as it is. */
class JavaTextTest {
  @Test
  void javadocEscapesMarkupTagsEscapesAndTheCommentsEnd() {
    assertEquals("a &lt;b&gt; &amp; &#64;c &#92;u0041 *&#47; x/y", JavaText.javadoc("a <b> & @c \\u0041 */ x/y"));
    assertEquals("ab", JavaText.javadoc("a\rb"));
    assertEquals("∂L/∂v = 2(v−y) *&#47;", JavaText.javadoc("∂L/∂v = 2(v−y) */"));
    String plain = "∂L/∂v9999 = 2(v9999−y), set by backward().";
    assertSame(plain, JavaText.javadoc(plain), "nothing to escape: the same string");
  }

  @Test
  void truncateCountsCodePointsOnlyPastTheLimit() {
    assertEquals("abc", JavaText.truncate("abc", 3));
    assertEquals("ab…", JavaText.truncate("abc", 2));
    String astral = "\uD835\uDC65\uD835\uDC66"; // two code points, four chars
    assertSame(astral, JavaText.truncate(astral, 2), "four chars, two code points: within a limit of 2");
    assertEquals("\uD835\uDC65…", JavaText.truncate(astral, 1));
  }
}
