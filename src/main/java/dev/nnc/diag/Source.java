package dev.nnc.diag;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of one .nn file and its name as the user gave it (used in diagnostics, e.g. {@code model.nn:3:7}).
 * Built from bytes, it checks UTF-8 and records the first invalid byte's line and column in {@link #decodeError()}.
 */
public final class Source {
  private final String name;
  private final String text;
  private final Span decodeError;
  private List<String> lines;

  private Source(String name, String text, Span decodeError) {
    this.name = name;
    this.text = text;
    this.decodeError = decodeError;
  }

  public static Source of(String name, String text) {
    return new Source(name, stripBom(text), null);
  }

  /** Decodes strictly; on invalid UTF-8, keeps the valid prefix's text and the position of the bad byte. */
  public static Source fromBytes(String name, byte[] bytes) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      return new Source(name, stripBom(text), null);
    } catch (CharacterCodingException e) {
      int bad = firstInvalidByte(bytes);
      String prefix = loneCrToLf(new String(bytes, 0, bad, StandardCharsets.UTF_8));
      String lenient = new String(bytes, StandardCharsets.UTF_8);
      int line = 1;
      int col = 1;
      for (int i = 0; i < prefix.length(); ) {
        int cp = prefix.codePointAt(i);
        i += Character.charCount(cp);
        if (cp == '\n') {
          line++;
          col = 1;
        } else {
          col++;
        }
      }
      return new Source(name, stripBom(lenient), Span.point(line, col));
    }
  }

  private static int firstInvalidByte(byte[] b) {
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xff;
      int n;
      if (c < 0x80) n = 0;
      else if (c >= 0xc2 && c <= 0xdf) n = 1;
      else if (c >= 0xe0 && c <= 0xef) n = 2;
      else if (c >= 0xf0 && c <= 0xf4) n = 3;
      else return i;
      if (i + n >= b.length && n > 0) return i;
      for (int k = 1; k <= n; k++) if ((b[i + k] & 0xc0) != 0x80) return i;
      if (n == 2) {
        int c1 = b[i + 1] & 0xff;
        if (c == 0xe0 && c1 < 0xa0) return i;
        if (c == 0xed && c1 >= 0xa0) return i;
      }
      if (n == 3) {
        int c1 = b[i + 1] & 0xff;
        if (c == 0xf0 && c1 < 0x90) return i;
        if (c == 0xf4 && c1 >= 0x90) return i;
      }
      i += n + 1;
    }
    return b.length;
  }

  private static String stripBom(String s) {
    // Names are NFC-normalised where they are built (AstBuilder), not here, so columns stay those of the file.
    return loneCrToLf(s.startsWith("\uFEFF") ? s.substring(1) : s);
  }

  /**
   * A CR not followed by LF ends a line, as the lexer's NL rule says (docs/language.md): it becomes LF here, one
   * character for one, so every later stage (ANTLR's line count, {@link #line}, the caret) sees the same lines.
   * Without this a lone CR was a token boundary to the lexer but not a line to the positions, and a caret could
   * land past the end of its printed line.
   */
  private static String loneCrToLf(String s) {
    if (s.indexOf('\r') < 0) return s;
    char[] c = s.toCharArray();
    for (int i = 0; i < c.length; i++) if (c[i] == '\r' && (i + 1 == c.length || c[i + 1] != '\n')) c[i] = '\n';
    return new String(c);
  }

  public String name() {
    return name;
  }

  public String text() {
    return text;
  }

  /** Where the first invalid UTF-8 byte is, or null if the bytes were valid. */
  public Span decodeError() {
    return decodeError;
  }

  /** Line {@code n} (from 1) without its line terminator; empty if out of range. */
  public String line(int n) {
    if (lines == null) {
      List<String> ls = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          ls.add(stripCr(text.substring(start, i)));
          start = i + 1;
        }
      }
      ls.add(stripCr(text.substring(start)));
      lines = ls;
    }
    return n >= 1 && n <= lines.size() ? lines.get(n - 1) : "";
  }

  private static String stripCr(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
