package dev.nnc.parse;

import dev.nnc.ast.SourceFile;
import dev.nnc.diag.Code;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Source;
import dev.nnc.diag.Span;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Text → AST. Reports syntax diagnostics; returns null when nothing sensible could be built (then at least one
 * error has been reported).
 *
 * <p>Stages: the ANTLR lexer; {@link TokenShaper} (newlines, look-alikes, bracket balance and the nesting limit,
 * all in one linear pass, so the recursive parser never sees input deeper than the limit); the ANTLR parser, first
 * in fast SLL mode and, only if that fails, again in full LL mode with {@link SyntaxErrors} reporting; then
 * {@link AstBuilder}.
 */
public final class SourceParser {
  private SourceParser() {}

  public static SourceFile parse(Source source, Diagnostics diags) {
    NnLexer lexer = new NnLexer(CharStreams.fromString(source.text(), source.name()));
    lexer.removeErrorListeners(); // the STRAY rule matches anything, so the lexer itself never fails
    List<Token> raw = new ArrayList<>();
    for (Token t = lexer.nextToken(); ; t = lexer.nextToken()) {
      raw.add(t);
      if (t.getType() == Token.EOF) break;
    }
    int errorsBefore = errorCount(diags);
    List<Token> tokens = TokenShaper.shape(raw, diags);
    if (tokens == null) {
      // an unbalanced bracket stops before parsing; a reserved declaration earlier is still the likelier cause
      reservedNames(raw.stream().filter(t -> t.getChannel() == Token.DEFAULT_CHANNEL).toList(), diags);
      return null;
    }
    if (tokens.stream().allMatch(t -> t.getType() == Token.EOF || t.getType() == NnLexer.NL
        || t.getType() == NnLexer.SEMI)) {
      if (errorCount(diags) == errorsBefore) {
        diags.error(Code.EMPTY_FILE, Span.point(1, 1), "the file holds no statement",
            "write at least one assignment, e.g. J = 3(a + b c)");
      }
      return null;
    }

    NnParser.FileContext tree = parseFast(tokens);
    if (tree == null) {
      NnParser parser = parser(tokens);
      SyntaxErrors errors = new SyntaxErrors(diags);
      parser.setErrorHandler(errors);
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      try {
        tree = parser.file();
      } catch (ParseCancellationException tooMany) {
        reservedNames(tokens, diags);
        return null;
      }
      if (errors.count() > 0) {
        reservedNames(tokens, diags);
        return null;
      }
    }
    return new AstBuilder(source, diags).file(tree);
  }

  /**
   * With syntax errors no tree is built, so the AST builder's E0212 for a keyword or built-in declared or assigned as a
   * name ({@code param log}, {@code input model}) would be lost, though it is often what the later syntax error comes
   * from (issue 11): such names are reported from the tokens, at their own line.
   */
  private static void reservedNames(List<Token> tokens, Diagnostics diags) {
    boolean statementStart = true;
    boolean declaration = false;
    boolean expectName = false;
    int depth = 0;
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      int type = t.getType();
      if (type == NnLexer.NL || type == NnLexer.SEMI || type == NnLexer.LBRACE || type == NnLexer.RBRACE) {
        statementStart = true;
        declaration = false;
        continue;
      }
      if (statementStart) {
        statementStart = false;
        if (type == NnLexer.PARAM || type == NnLexer.INPUT || type == NnLexer.DIM || type == NnLexer.OUTPUT
            || type == NnLexer.LOSS) {
          declaration = true;
          expectName = true;
          depth = 0;
          continue;
        }
        if (reserved(type) && i + 1 < tokens.size() && tokens.get(i + 1).getType() == NnLexer.ASSIGN) reservedName(t, diags);
        continue;
      }
      if (!declaration) continue;
      if (type == NnLexer.LBRACK || type == NnLexer.LPAREN || type == NnParser.CALL_LPAREN) depth++;
      if (type == NnLexer.RBRACK || type == NnLexer.RPAREN) depth--;
      if (expectName) {
        expectName = false;
        if (reserved(type)) reservedName(t, diags);
      } else if (type == NnLexer.COMMA && depth == 0) {
        expectName = true;
      }
    }
  }

  private static boolean reserved(int type) {
    return type == NnLexer.FUNC || type == NnLexer.MODEL || type == NnLexer.INPUT || type == NnLexer.PARAM
        || type == NnLexer.DIM || type == NnLexer.OUTPUT || type == NnLexer.LOSS;
  }

  /** The message of {@link AstBuilder}'s check, for the same mistake found without a tree. */
  private static void reservedName(Token t, Diagnostics diags) {
    boolean function = t.getType() == NnLexer.FUNC;
    diags.error(Code.RESERVED_NAME, TokenShaper.span(t),
        "'" + t.getText() + "' is " + (function ? "a built-in function" : "a keyword") + " and cannot be a name",
        "choose another name, e.g. '" + t.getText() + "_'");
  }

  /** SLL with bail-out: correct whenever it succeeds, and much faster on big files; null means "retry with LL". */
  private static NnParser.FileContext parseFast(List<Token> tokens) {
    NnParser parser = parser(tokens);
    parser.setErrorHandler(new BailErrorStrategy());
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    try {
      return parser.file();
    } catch (ParseCancellationException e) {
      return null;
    }
  }

  private static NnParser parser(List<Token> tokens) {
    NnParser parser = new NnParser(new CommonTokenStream(new ListTokenSource(tokens)));
    parser.removeErrorListeners();
    return parser;
  }

  private static int errorCount(Diagnostics diags) {
    int n = 0;
    for (var d : diags.all()) if (d.isError()) n++;
    return n;
  }
}
