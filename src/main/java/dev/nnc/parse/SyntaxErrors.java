package dev.nnc.parse;

import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Span;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.FailedPredicateException;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * ANTLR's recovery with our messages: every syntax error becomes one E0101 saying what was expected, in the
 * symbols a user types ("expected an expression or ')', found '='"), never ANTLR's escapes. Only the first error of
 * a line is reported (the rest are usually echoes of it), and parsing stops after {@link #MAX_ERRORS}, which also
 * keeps recovery from going quadratic on a badly broken file.
 */
final class SyntaxErrors extends DefaultErrorStrategy {
  static final int MAX_ERRORS = 20;

  private final Diagnostics diags;
  private int count;
  private int lastLine = -1;

  SyntaxErrors(Diagnostics diags) {
    this.diags = diags;
  }

  int count() {
    return count;
  }

  @Override
  public void reportError(Parser recognizer, RecognitionException e) {
    if (inErrorRecoveryMode(recognizer)) return;
    beginErrorCondition(recognizer);
    Token found = e.getOffendingToken() != null ? e.getOffendingToken() : recognizer.getCurrentToken();
    IntervalSet expected = e instanceof FailedPredicateException ? recognizer.getExpectedTokens()
        : e.getExpectedTokens() != null ? e.getExpectedTokens() : recognizer.getExpectedTokens();
    if (e instanceof NoViableAltException || e instanceof InputMismatchException
        || e instanceof FailedPredicateException) {
      report(recognizer, found, "expected " + describe(expected) + ", found " + TokenNames.describe(found));
    } else {
      report(recognizer, found, "unexpected " + TokenNames.describe(found));
    }
  }

  @Override
  protected void reportUnwantedToken(Parser recognizer) {
    if (inErrorRecoveryMode(recognizer)) return;
    beginErrorCondition(recognizer);
    Token t = recognizer.getCurrentToken();
    report(recognizer, t, "unexpected " + TokenNames.describe(t) + "; expected " + describe(getExpectedTokens(recognizer)));
  }

  @Override
  protected void reportMissingToken(Parser recognizer) {
    if (inErrorRecoveryMode(recognizer)) return;
    beginErrorCondition(recognizer);
    Token t = recognizer.getCurrentToken();
    report(recognizer, t, "expected " + describe(getExpectedTokens(recognizer)) + ", found " + TokenNames.describe(t));
  }

  private void report(Parser recognizer, Token at, String message) {
    int index = at.getTokenIndex();
    Token previous = index > 0 ? recognizer.getInputStream().get(index - 1) : null;
    if (previous != null && previous.getType() == NnLexer.FUNC && at.getType() != NnLexer.LPAREN
        && at.getType() != NnParser.CALL_LPAREN) {
      message = "'" + previous.getText() + "' needs an operand; found " + TokenNames.describe(at);
    }
    Span span = TokenShaper.span(at);
    if ((at.getType() == Token.EOF || at.getType() == NnLexer.NL) && previous != null) {
      // "expected an expression, found end of file" points just past the last thing written, not at an empty line
      // (nor past a line's end: a newline token before it is skipped, as a comment-only rest of the line leaves one).
      for (int k = index - 2; previous.getType() == NnLexer.NL && k >= 0; k--) {
        previous = recognizer.getInputStream().get(k);
      }
      Span p = TokenShaper.span(previous);
      span = new Span(p.endLine(), p.endCol(), p.endLine(), p.endCol() + 1);
    }
    int line = span.line();
    if (line == lastLine) return;
    lastLine = line;
    count++;
    String hint = TokenNames.hintFor(at);
    Token lineEnd = endOfPreviousLine(recognizer, at);
    if (hint == null && lineEnd != null
        && (TokenShaper.isBinaryOperator(lineEnd.getType()) || lineEnd.getType() == NnLexer.COMMA
            || lineEnd.getType() == NnLexer.ASSIGN || lineEnd.getType() == NnLexer.TILDE)) {
      hint = "the statement goes on after the '" + lineEnd.getText() + "' at the end of line " + lineEnd.getLine()
          + "; a newline after it does not end the statement";
    }
    diags.error(Code.SYNTAX, span, message, hint);
    if (count >= MAX_ERRORS) throw new ParseCancellationException("too many syntax errors");
  }

  /** The last token before {@code at}'s line, if the statement reached {@code at}'s line without an NL token. */
  private static Token endOfPreviousLine(Parser recognizer, Token at) {
    for (int i = at.getTokenIndex() - 1; i >= 0; i--) {
      Token t = recognizer.getInputStream().get(i);
      if (t.getType() == NnLexer.NL || t.getType() == NnLexer.SEMI) return null;
      if (t.getLine() < at.getLine()) return t;
    }
    return null;
  }

  /** "an expression", "')'", "',' or ']'", "an operator, ')' or end of line"… */
  static String describe(IntervalSet expected) {
    Set<String> words = new LinkedHashSet<>();
    List<Integer> types = expected.toList();
    boolean expression = types.contains(NnLexer.NUMBER) && types.contains(NnLexer.NAME);
    long operators = types.stream().filter(TokenShaper::isBinaryOperator).count();
    if (expression) words.add("an expression");
    if (operators >= 4) words.add("an operator");
    boolean statementEnd = types.contains(NnLexer.NL) && (types.contains(Token.EOF) || types.contains(NnLexer.SEMI));
    if (statementEnd) words.add("end of statement");
    boolean name = types.contains(NnLexer.NAME) && !expression;
    if (name) words.add("a name"); // reserved words are accepted there only to report E0212
    for (int type : types) {
      if (name && (type == NnLexer.NAME || type == NnLexer.FUNC || type == NnLexer.GRAD || type == NnLexer.PARTIAL
          || TokenNames.isKeyword(type))) {
        continue;
      }
      if (statementEnd && (type == NnLexer.NL || type == NnLexer.SEMI || type == Token.EOF)) continue;
      if (expression && TokenNames.startsExpression(type)) continue;
      if (operators >= 4 && (TokenShaper.isBinaryOperator(type) || TokenNames.isPostfix(type))) continue;
      if (operators >= 4 && TokenNames.startsExpression(type)) continue; // juxtaposition: "an operator" covers it
      words.add(TokenNames.display(type));
    }
    List<String> list = new ArrayList<>(words);
    if (list.isEmpty()) return "something else";
    if (list.size() == 1) return list.get(0);
    return String.join(", ", list.subList(0, list.size() - 1)) + " or " + list.get(list.size() - 1);
  }
}
