package dev.nnc.parse;

import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;

/**
 * Turns the lexer's raw tokens into what the parser reads, reporting lexical errors on the way:
 * <ul>
 *   <li>newlines: dropped inside {@code ( )} {@code [ ]}, after a trailing binary operator, {@code ,} {@code =} or
 *       {@code ~}, and when repeated; kept (as NL) where they end a statement. A {@code }} is followed by an NL,
 *       because it ends a statement too. A line that starts with a binary operator is E0108 (and is then read as a
 *       continuation, so parsing goes on);</li>
 *   <li>{@code (} glued to the name before it, or after a built-in, becomes CALL_LPAREN: {@code a(x)} is a call as written,
 *       {@code a (x)} a product;</li>
 *   <li>{@code σ Σ π} are split out of names ({@code σz} is {@code σ z});</li>
 *   <li>look-alikes (E0102) are replaced by the token meant, stray characters (E0103) dropped, malformed numbers
 *       (E0107) kept as numbers, so one slip yields one diagnostic;</li>
 *   <li>bracket balance (E0111) and the one depth rule (E0106: brackets, applications, signs, powers; see
 *       {@link #emit}) are checked here, before the recursive parser runs.</li>
 * </ul>
 * Done in one linear pass over the whole file, so the parser never sees an input that would make it recurse past the
 * nesting limit or recover quadratically from unclosed brackets.
 */
final class TokenShaper {
  /** Deepest nesting accepted, of any form (LANGUAGE.md §6 asks for a limit with its own diagnostic). */
  static final int MAX_NESTING = 1000;

  /** Lexical diagnostics of one kind beyond this many are dropped: a binary file must not print a million lines. */
  private static final int MAX_REPORTS_PER_CODE = 20;

  private final List<Token> raw;
  private final Diagnostics diags;
  private final List<Token> out = new ArrayList<>();
  private final Deque<Token> open = new ArrayDeque<>();
  /** Per open bracket (and the file): {level of the bracket, length of the prefix/postfix chain so far}. */
  private final Deque<int[]> frames = new ArrayDeque<>(List.<int[]>of(new int[] {0, 0}));
  private final java.util.EnumMap<Code, Integer> reported = new java.util.EnumMap<>(Code.class);
  private int parenDepth;
  private boolean fatal;
  private boolean nestingReported;

  private TokenShaper(List<Token> raw, Diagnostics diags) {
    this.raw = raw;
    this.diags = diags;
  }

  /** The shaped tokens, ending with EOF; {@code null} if the brackets are too broken or too deep to parse. */
  static List<Token> shape(List<Token> raw, Diagnostics diags) {
    TokenShaper s = new TokenShaper(raw, diags);
    s.run();
    return s.fatal ? null : s.out;
  }

  private void run() {
    boolean pendingNewline = false; // a statement-ending newline seen, not yet emitted
    Token pendingNewlineToken = null;
    for (int i = 0; i < raw.size(); i++) {
      Token t = raw.get(i);
      int type = t.getType();
      if (type == NnLexer.NL) {
        if (parenDepth > 0 || continuesAfter(lastType())) continue;
        if (!pendingNewline) {
          pendingNewline = true;
          pendingNewlineToken = t;
        }
        continue;
      }
      if (type == NnLexer.LOOK_ALIKE) {
        t = lookAlike(t);
        if (t == null) continue;
        type = t.getType();
      } else if (type == NnLexer.STRAY) {
        stray(t);
        continue;
      } else if (type == NnLexer.BAD_NUMBER) {
        report(Code.MALFORMED_NUMBER, span(t), "malformed number '" + t.getText() + "'",
            t.getText().endsWith(".") ? "write digits after the point (1.0), or drop the point"
                : "a number has at most one decimal point; use · to multiply");
        t = retype(t, NnLexer.NUMBER);
        type = NnLexer.NUMBER;
      }
      if (pendingNewline) {
        pendingNewline = false;
        if (isBinaryOperator(type) && !out.isEmpty()) {
          report(Code.LEADING_OPERATOR, span(t),
              "a line cannot start with the binary operator '" + t.getText() + "'",
              "put the operator at the end of the previous line");
        } else if (!out.isEmpty() && lastType() != NnLexer.NL) {
          emit(pendingNewlineToken);
        }
      }
      if (type == Token.EOF) {
        closeAllAtEnd();
        out.add(t);
        return;
      }
      if (type == NnLexer.NAME) {
        splitName(t);
        continue;
      }
      if (type == NnLexer.LPAREN && !out.isEmpty()) {
        // After a built-in every '(' calls (log (x) = log(x)); marking it here, not by the grammar's predicate alone,
        // lets the parser decide call or application from the next token: otherwise each decision looked ahead to
        // the matching ')', and deep nestings of calls and applications parsed in quadratic time or worse.
        int prev = lastType();
        if (prev == NnLexer.FUNC || prev == NnLexer.NAME && glued(out.get(out.size() - 1), t)) {
          t = retype(t, NnParser.CALL_LPAREN);
        }
      }
      bracket(t);
      emit(t);
      if (fatal && nestingReported) return;
      if (t.getType() == NnLexer.RBRACE) emit(synthetic(t, NnLexer.NL, ""));
    }
  }

  private int lastType() {
    return out.isEmpty() ? NnLexer.NL : out.get(out.size() - 1).getType();
  }

  /** After these a newline does not end the statement. */
  private static boolean continuesAfter(int type) {
    return isBinaryOperator(type) || type == NnLexer.COMMA || type == NnLexer.ASSIGN || type == NnLexer.TILDE
        || type == NnLexer.NL || type == NnLexer.SEMI || type == NnLexer.LBRACE;
  }

  static boolean isBinaryOperator(int type) {
    switch (type) {
      case NnLexer.PLUS, NnLexer.MINUS, NnLexer.STAR, NnLexer.TIMES, NnLexer.ODOT, NnLexer.SLASH, NnLexer.DIVIDE,
          NnLexer.DOT, NnLexer.AT, NnLexer.POW:
        return true;
      default:
        return false;
    }
  }

  private static boolean glued(Token before, Token after) {
    return before.getStopIndex() + 1 == after.getStartIndex() && before.getLine() == after.getLine();
  }

  // ------------------------------------------------------------------ brackets

  private void bracket(Token t) {
    int type = t.getType();
    if (type == NnLexer.LPAREN || type == NnParser.CALL_LPAREN || type == NnLexer.LBRACK || type == NnLexer.LBRACE) {
      open.push(t);
      if (type != NnLexer.LBRACE) parenDepth++;
      return;
    }
    if (type != NnLexer.RPAREN && type != NnLexer.RBRACK && type != NnLexer.RBRACE) return;
    String closer = t.getText();
    Token top = open.peek();
    if (top != null && matches(top.getType(), type)) {
      pop();
      return;
    }
    fatal = true;
    Token partner = null;
    for (Token o : open) {
      if (matches(o.getType(), type)) {
        partner = o;
        break;
      }
    }
    if (partner == null) {
      if (top != null && top.getType() != NnLexer.LBRACE) {
        // (a] : most likely the wrong closer typed; count the '(' as closed so this is one diagnostic.
        report(Code.UNBALANCED_BRACKET, span(t),
            "'" + closer + "' does not match the '" + top.getText() + "' opened at " + top.getLine() + ":"
                + (top.getCharPositionInLine() + 1),
            "close the '" + top.getText() + "' with '" + closerOf(top.getType()) + "'");
        pop();
        return;
      }
      report(Code.UNBALANCED_BRACKET, span(t), "'" + closer + "' closes nothing",
          "remove it, or add the '" + opener(type) + "' it closes");
      return;
    }
    report(Code.UNBALANCED_BRACKET, span(t),
        "'" + closer + "' does not match the '" + top.getText() + "' opened at " + top.getLine() + ":"
            + (top.getCharPositionInLine() + 1),
        "close the '" + top.getText() + "' with '" + closerOf(top.getType()) + "' first");
    // Recover: the brackets above the partner count as unclosed (reported once, here) and the partner closes.
    while (open.peek() != partner) pop();
    pop();
  }

  private void pop() {
    Token t = open.pop();
    if (t.getType() != NnLexer.LBRACE) parenDepth--;
  }

  private void closeAllAtEnd() {
    if (open.isEmpty()) return;
    Token first = open.peekLast(); // the outermost unclosed bracket: where the reader's mistake most likely is
    fatal = true;
    report(Code.UNBALANCED_BRACKET, span(first), "'" + first.getText() + "' is never closed",
        "add the matching '" + closerOf(first.getType()) + "'");
  }

  private static boolean matches(int openType, int closeType) {
    return closeType == NnLexer.RPAREN ? openType == NnLexer.LPAREN || openType == NnParser.CALL_LPAREN
        : closeType == NnLexer.RBRACK ? openType == NnLexer.LBRACK : openType == NnLexer.LBRACE;
  }

  private static String closerOf(int openType) {
    return openType == NnLexer.LBRACK ? "]" : openType == NnLexer.LBRACE ? "}" : ")";
  }

  private static String opener(int closeType) {
    return closeType == NnLexer.RBRACK ? "[" : closeType == NnLexer.RBRACE ? "{" : "(";
  }

  // ------------------------------------------------------------------ the one depth rule

  /**
   * Appends {@code t} to the output and applies the depth rule: every form that nests counts one level, whether it is
   * a bracket, a function applied without parentheses ({@code log log x}), a sign ({@code − −x}), a power
   * ({@code a^b^c}) or a postfix {@code ² ³ ᵀ} ({@code x²²²}). Within one bracket level the prefix and postfix forms
   * form a chain that a binary operator, a comma or a new factor (juxtaposition) ends; a bracket opens one level
   * below the chain it sits in. The depth of a token is its bracket's level plus the chain so far, which is the
   * depth of the tree the parser builds for it (binary chains aside: they are loops, not nesting). The measure is
   * the same for every spelling {@code nnc fmt} prints of a tree: {@code x²²} and {@code (x^2)^2}, {@code log x}
   * and {@code log(x)} measure alike, and fmt adds brackets only where the tree nests, so its output is never
   * rejected.
   */
  private void emit(Token t) {
    int type = t.getType();
    int last = lastType();
    boolean afterOperand = endsOperand(last);
    int[] f = frames.peek();
    switch (type) {
      case NnLexer.LPAREN, NnParser.CALL_LPAREN, NnLexer.LBRACK, NnLexer.LBRACE -> {
        if (last == NnLexer.FUNC) f[1]--; // log(x) is a call: its bracket is the level, not the name
        else if (afterOperand && type == NnLexer.LPAREN) f[1] = 0; // a (b): a new factor
        deeper(t, f[0] + f[1] + 1);
        frames.push(new int[] {f[0] + f[1] + 1, 0});
      }
      case NnLexer.RPAREN, NnLexer.RBRACK, NnLexer.RBRACE -> {
        if (frames.size() > 1) frames.pop();
      }
      case NnLexer.PLUS, NnLexer.MINUS -> {
        if (afterOperand) f[1] = 0; // binary
        else f[1]++; // a sign
      }
      case NnLexer.FUNC -> {
        if (afterOperand) f[1] = 0;
        f[1]++; // an application, until a bracket follows
      }
      case NnLexer.POW -> f[1]++;
      case NnLexer.SQUARE, NnLexer.CUBE, NnLexer.TRANSPOSE -> {
        f[1]++;
        deeper(t, f[0] + f[1]);
      }
      case NnLexer.NAME, NnLexer.NUMBER -> {
        if (afterOperand) f[1] = 0; // a new factor

        deeper(t, f[0] + f[1]);
      }
      default -> f[1] = 0; // binary operators, commas, =, ~, statement ends, keywords
    }
    out.add(t);
  }

  private void deeper(Token t, int depth) {
    if (depth <= MAX_NESTING || nestingReported) return;
    nestingReported = true;
    fatal = true;
    diags.error(Code.NESTING_TOO_DEEP, span(t),
        "nested deeper than " + MAX_NESTING + " levels (brackets, functions applied, signs and powers each count one)",
        "name an intermediate result with its own statement");
  }

  private static boolean endsOperand(int type) {
    return type == NnLexer.NAME || type == NnLexer.NUMBER || type == NnLexer.RPAREN || type == NnLexer.RBRACK
        || type == NnLexer.SQUARE || type == NnLexer.CUBE || type == NnLexer.TRANSPOSE;
  }

  // ------------------------------------------------------------------ names with σ Σ π inside

  private static boolean standsAlone(int cp) {
    return cp == 'σ' || cp == 'Σ' || cp == 'π';
  }

  /** {@code σz} → σ z, {@code 2πr}'s {@code πr} → π r; everything else passes through. */
  private void splitName(Token t) {
    String text = t.getText();
    if (text.codePoints().noneMatch(TokenShaper::standsAlone)) {
      emit(t);
      return;
    }
    int col = t.getCharPositionInLine();
    int start = t.getStartIndex();
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      if (standsAlone(cp)) {
        String piece = new String(Character.toChars(cp));
        emit(piece(t, cp == 'π' ? NnLexer.NAME : NnLexer.FUNC, piece, start, col));
        i += piece.length();
        start++;
        col++;
        continue;
      }
      int j = i;
      while (j < text.length() && !standsAlone(text.codePointAt(j))) j += Character.charCount(text.codePointAt(j));
      String piece = text.substring(i, j);
      int len = piece.codePointCount(0, piece.length());
      int firstCp = piece.codePointAt(0);
      int type = Character.isLetter(firstCp) || firstCp == '_' ? wordType(piece)
          : piece.chars().allMatch(c -> c >= '0' && c <= '9') ? NnLexer.NUMBER : -1;
      if (type == -1) {
        report(Code.SYNTAX, new Span(t.getLine(), col + 1, t.getLine(), col + 1 + len),
            "'" + piece + "' cannot follow '" + text.substring(0, i) + "' in a name",
            "σ, Σ and π stand alone; write a space or a product between them and what follows");
      } else {
        emit(piece(t, type, piece, start, col));
      }
      i = j;
      start += len;
      col += len;
    }
  }

  /**
   * The token type the lexer gives the word on its own: a keyword or built-in name split off by π stays one
   * ({@code lossπ} is {@code loss π}, a syntax error as written with the space, not a name {@code loss}).
   */
  private static int wordType(String word) {
    NnLexer lexer = new NnLexer(CharStreams.fromString(word));
    lexer.removeErrorListeners();
    Token t = lexer.nextToken();
    boolean whole = t.getStartIndex() == 0 && t.getStopIndex() == word.codePointCount(0, word.length()) - 1;
    return whole && (t.getType() == NnLexer.FUNC || t.getType() == NnLexer.MODEL || t.getType() == NnLexer.INPUT
        || t.getType() == NnLexer.PARAM || t.getType() == NnLexer.DIM || t.getType() == NnLexer.OUTPUT
        || t.getType() == NnLexer.LOSS || t.getType() == NnLexer.GRAD) ? t.getType() : NnLexer.NAME;
  }

  private static Token piece(Token from, int type, String text, int start, int col) {
    CommonToken p = new CommonToken(from);
    p.setType(type);
    p.setText(text);
    p.setStartIndex(start);
    p.setStopIndex(start + text.codePointCount(0, text.length()) - 1);
    p.setCharPositionInLine(col);
    return p;
  }

  // ------------------------------------------------------------------ look-alikes and strays

  /** The replacement token for a look-alike (reported), or null if it is dropped. */
  private Token lookAlike(Token t) {
    int cp = t.getText().codePointAt(0);
    String meant;
    int type;
    switch (cp) {
      case 0x2219, 0x2022, 0x30FB, 0x0387, 0x2027 -> { meant = "·"; type = NnLexer.DOT; }
      case 0x2013, 0x2014, 0x2010, 0x2011, 0x2012, 0x2015, 0xFE63, 0xFF0D -> { meant = "−"; type = NnLexer.MINUS; }
      case 0x2032, 0x2035, 0x0027, 0x22A4, 0x1D57 -> { meant = "ᵀ"; type = NnLexer.TRANSPOSE; }
      case 0x2217, 0x2731, 0xFF0A, 0x2715, 0x2716 -> { meant = "*"; type = NnLexer.STAR; }
      case 0x2044, 0x2215, 0xFF0F -> { meant = "/"; type = NnLexer.SLASH; }
      case 0xFF0B -> { meant = "+"; type = NnLexer.PLUS; }
      case 0xFF1D, 0x2254 -> { meant = "="; type = NnLexer.ASSIGN; }
      case 0xFF0C, 0x201A -> { meant = ","; type = NnLexer.COMMA; }
      case 0xFF08 -> { meant = "("; type = NnLexer.LPAREN; }
      case 0xFF09 -> { meant = ")"; type = NnLexer.RPAREN; }
      case 0xFF3B -> { meant = "["; type = NnLexer.LBRACK; }
      case 0xFF3D -> { meant = "]"; type = NnLexer.RBRACK; }
      default -> { meant = " "; type = -1; } // the odd spaces
    }
    String shown = meant.equals(" ") ? "a plain space" : "'" + meant + "'";
    report(Code.LOOK_ALIKE, span(t),
        "'" + printable(cp) + "' (" + codePoint(cp) + ") looks like " + shown + " but is a different character",
        "write " + shown + " instead" + (meant.equals("ᵀ") ? " (in ASCII: transpose(x))" : ""));
    if (type == -1) return null; // an odd space: dropping it is the replacement
    return retype(t, type);
  }

  private void stray(Token t) {
    int cp = t.getText().codePointAt(0);
    String hint = null;
    if ("⁰¹⁴⁵⁶⁷⁸⁹".indexOf(cp) >= 0) hint = "only ² and ³ are postfix powers; write ^ and the exponent (x^4)";
    else if (cp == 'ᵢ' || cp == 'ⱼ' || cp == 'ₖ') hint = "subscript letters are not part of names; use digits (x₁) or plain letters";
    else if (cp == '"') hint = "there are no strings in the language";
    else if (cp == '.') hint = "a '.' belongs inside a number (0.5, .5); write · for a product";
    else if (cp == '∂' || cp == '∇') hint = "nnc derives gradients itself; write the forward computation only";
    else if (cp == '∏') hint = "there is no product reduction; write the factors out";
    else if (Character.getType(cp) == Character.OTHER_NUMBER && Character.getName(cp) != null
        && Character.getName(cp).startsWith("VULGAR FRACTION")) {
      String fraction = java.text.Normalizer.normalize(new String(Character.toChars(cp)), java.text.Normalizer.Form.NFKC)
          .replace('\u2044', '/');
      hint = "fraction characters are not numbers here; write " + fraction;
    }
    report(Code.STRAY_CHARACTER, span(t),
        "unexpected character '" + printable(cp) + "' (" + codePoint(cp) + ")", hint);
  }

  private static String printable(int cp) {
    return Character.isISOControl(cp) || Character.isWhitespace(cp) || Character.getType(cp) == Character.FORMAT
        ? codePoint(cp) : new String(Character.toChars(cp));
  }

  private static String codePoint(int cp) {
    return String.format("U+%04X", cp);
  }

  // ------------------------------------------------------------------ helpers

  private void report(Code code, Span span, String message, String hint) {
    int n = reported.merge(code, 1, Integer::sum);
    if (n <= MAX_REPORTS_PER_CODE) diags.error(code, span, message, hint);
  }

  private static Token retype(Token t, int type) {
    CommonToken c = new CommonToken(t);
    c.setType(type);
    return c;
  }

  private static Token synthetic(Token after, int type, String text) {
    CommonToken c = new CommonToken(after);
    c.setType(type);
    c.setText(text);
    c.setCharPositionInLine(after.getCharPositionInLine() + 1);
    c.setStartIndex(after.getStopIndex() + 1);
    c.setStopIndex(after.getStopIndex());
    return c;
  }

  static Span span(Token t) {
    int line = t.getLine();
    int col = t.getCharPositionInLine() + 1;
    String text = t.getType() == Token.EOF ? null : t.getText(); // getText makes a new string: once
    if (text == null) text = "";
    int len = text.codePointCount(0, text.length());
    if (t.getType() == NnLexer.NL) len = 0;
    return new Span(line, col, line, col + Math.max(len, 1));
  }
}
