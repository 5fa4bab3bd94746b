package dev.nnc.parse;

import org.antlr.v4.runtime.Token;

/** How tokens are named in messages: the symbol a user types ('·', '−'), or a word for classes (a name, a number). */
final class TokenNames {
  private TokenNames() {}

  static String display(int type) {
    switch (type) {
      case Token.EOF: return "end of file";
      case NnLexer.NL: return "end of line";
      case NnLexer.NAME: return "a name";
      case NnLexer.NUMBER: return "a number";
      case NnLexer.FUNC: return "a function";
      case NnLexer.MODEL: return "'model'";
      case NnLexer.INPUT: return "'input'";
      case NnLexer.PARAM: return "'param'";
      case NnLexer.DIM: return "'dim'";
      case NnLexer.OUTPUT: return "'output'";
      case NnLexer.LOSS: return "'loss'";
      case NnLexer.GRAD: return "'grad'";
      case NnLexer.PARTIAL: return "'∂'";
      case NnLexer.PLUS: return "'+'";
      case NnLexer.MINUS: return "'−'";
      case NnLexer.POW: return "'^'";
      case NnLexer.STAR: return "'*'";
      case NnLexer.TIMES: return "'×'";
      case NnLexer.ODOT: return "'⊙'";
      case NnLexer.SLASH: return "'/'";
      case NnLexer.DIVIDE: return "'÷'";
      case NnLexer.DOT: return "'·'";
      case NnLexer.AT: return "'@'";
      case NnLexer.TRANSPOSE: return "'ᵀ'";
      case NnLexer.SQUARE: return "'²'";
      case NnLexer.CUBE: return "'³'";
      case NnLexer.LPAREN: case NnParser.CALL_LPAREN: return "'('";
      case NnLexer.RPAREN: return "')'";
      case NnLexer.LBRACK: return "'['";
      case NnLexer.RBRACK: return "']'";
      case NnLexer.LBRACE: return "'{'";
      case NnLexer.RBRACE: return "'}'";
      case NnLexer.COMMA: return "','";
      case NnLexer.SEMI: return "';'";
      case NnLexer.ASSIGN: return "'='";
      case NnLexer.TILDE: return "'~'";
      case NnLexer.APPROX: return "'≈'";
      default: return "token " + type;
    }
  }

  /** The token as found: its text when it has one worth showing. */
  static String describe(Token t) {
    int type = t.getType();
    if (type == Token.EOF || type == NnLexer.NL) return display(type);
    if (type == NnLexer.NAME) return "the name '" + t.getText() + "'";
    if (type == NnLexer.NUMBER) return "the number " + t.getText();
    if (type == NnLexer.FUNC) return "the function '" + t.getText() + "'";
    return "'" + t.getText() + "'";
  }

  static boolean startsExpression(int type) {
    return type == NnLexer.NUMBER || type == NnLexer.NAME || type == NnLexer.FUNC || type == NnLexer.LPAREN
        || type == NnLexer.PARTIAL || type == NnLexer.GRAD
        || type == NnParser.CALL_LPAREN || type == NnLexer.PLUS || type == NnLexer.MINUS;
  }

  static boolean isPostfix(int type) {
    return type == NnLexer.TRANSPOSE || type == NnLexer.SQUARE || type == NnLexer.CUBE;
  }

  static boolean isKeyword(int type) {
    return type == NnLexer.MODEL || type == NnLexer.INPUT || type == NnLexer.PARAM || type == NnLexer.DIM
        || type == NnLexer.OUTPUT || type == NnLexer.LOSS;
  }

  static String hintFor(Token found) {
    if (isKeyword(found.getType())) return "'" + found.getText() + "' is a keyword and starts a declaration";
    if (found.getType() == NnLexer.FUNC && found.getText().length() > 1) {
      return "'" + found.getText() + "' is a built-in function: apply it to an operand, e.g. "
          + found.getText() + "(x)";
    }
    return null;
  }
}
