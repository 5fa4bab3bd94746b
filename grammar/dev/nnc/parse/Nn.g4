// The .nn language (LANGUAGE.md §1–5, §10).
//
// Stratified: one rule per precedence level, tightest last, loops for left-associative chains, so a 20,000-term
// sum builds a flat loop instead of a 20,000-deep tree and ANTLR reports no ambiguity. Statement ends, the
// "no space before (" distinction, the splitting of σ Σ π out of names, look-alike characters and bracket
// balance are decided in dev.nnc.parse.TokenShaper, between the lexer and this parser; the parser only sees
// NL where a newline really ends a statement, and CALL_LPAREN for a '(' glued to the name before it.
grammar Nn;

tokens { CALL_LPAREN }

// ---------------------------------------------------------------- files, models, statements

file  : sep* (item (sep+ item)*)? sep* EOF ;
item  : model | stmt ;
model : MODEL name NL* LBRACE sep* (stmt (sep+ stmt)*)? sep* RBRACE ;
sep   : NL | SEMI ;

stmt
  : DIM dimItem (COMMA dimItem)*                     # dimStmt
  | kind=(INPUT | PARAM) varItem (COMMA varItem)*    # varStmt
  | OUTPUT name (COMMA name)*                        # outputStmt
  | LOSS name                                        # lossStmt
  | name ASSIGN expr                                 # assignStmt
  // A recurrence over the steps of a dim (docs/language.md): `h[0] = h0` (initial state), `h[t] = f(h[t−1], X[t])`.
  | name LBRACK index=expr RBRACK ASSIGN value=expr  # stepStmt
  | name CALL_LPAREN NAME (COMMA NAME)* RPAREN ASSIGN expr   # functionDef
  | PARTIAL NAME SLASH PARTIAL NAME rel=(ASSIGN | APPROX) expr                     # ruleDef
  | GRAD (LPAREN | CALL_LPAREN) NAME COMMA NAME RPAREN rel=(ASSIGN | APPROX) expr   # gradRuleDef
  ;

dimItem : name (ASSIGN expr)? ;
// A modifier follows the shape (`input T[B, O] onehot`); it is a plain NAME, checked by the checker, so that
// modifiers take no word away from model names.
varItem : name (LBRACK expr (COMMA expr)* RBRACK modifier=NAME?)? (TILDE init)? ;
init    : name ((LPAREN | CALL_LPAREN) args? RPAREN)? ;

// Reserved words are accepted where a name goes only so that the AST builder can say "'log' is reserved"
// instead of a bare "expected a name".
name     : NAME | reserved ;
reserved : MODEL | INPUT | PARAM | DIM | OUTPUT | LOSS | FUNC | GRAD ;

// ---------------------------------------------------------------- expressions, loosest first

expr : additive ;

additive       : multiplicative (addOp multiplicative)* ;
addOp          : PLUS | MINUS ;
multiplicative : juxtaposition (mulOp juxtaposition)* ;
mulOp          : STAR | TIMES | ODOT | SLASH | DIVIDE | DOT | AT ;

// Side by side. Only the first factor may carry a sign: `a −b` is a subtraction.
juxtaposition : unary application* ;

unary
  : sign=(PLUS | MINUS) unary      # signed
  | application                    # unsigned
  ;

// A built-in name not followed by '(' applies to the next operand (which may be signed or another application):
// `log x²` = log(x²), `σ −z` = σ(−z); with '(' it is a call atom, so `σ(z)²` = (σ(z))².
application
  : {_input.LA(2) != LPAREN && _input.LA(2) != CALL_LPAREN}? FUNC unary    # applied
  | power                                                                  # notApplied
  ;

// Right-associative; the exponent may be signed: x^-1, 2^−x, a^b^c = a^(b^c).
power    : postfix (POW exponent)? ;
exponent
  : sign=(PLUS | MINUS) exponent   # signedExponent
  | power                          # plainExponent
  ;

postfix : atom postOp* ;
postOp  : TRANSPOSE | SQUARE | CUBE ;

atom
  : NUMBER                                          # number
  | FUNC (LPAREN | CALL_LPAREN) args? RPAREN        # builtinCall
  | NAME CALL_LPAREN args? RPAREN                   # nameCall
  | NAME LBRACK expr RBRACK                         # stepRef
  | NAME                                            # ref
  | LPAREN expr RPAREN                              # paren
  | PARTIAL derivativeOf SLASH PARTIAL NAME         # derivative
  | GRAD (LPAREN | CALL_LPAREN) expr COMMA NAME RPAREN   # gradCall
  ;

// ∂E/∂x (LANGUAGE.md §10): E is a name or a parenthesised expression; the checker requires a scalar.
derivativeOf
  : NAME                                            # derivativeOfName
  | (LPAREN | CALL_LPAREN) expr RPAREN              # derivativeOfParen
  ;

args : arg (COMMA arg)* ;
arg
  : NAME ASSIGN expr    # namedArg
  | expr                # positionalArg
  ;

// ---------------------------------------------------------------- lexer

MODEL  : 'model' ;
INPUT  : 'input' ;
PARAM  : 'param' ;
DIM    : 'dim' ;
OUTPUT : 'output' ;
LOSS   : 'loss' ;
// ASCII spelling of ∂E/∂x: grad(E, x). A keyword (not a FUNC: it is no primitive of the registry).
GRAD   : 'grad' ;

// Exactly the spellings of the primitive registry (dev.nnc.prim.Prims); PrimsTest checks that the two agree.
FUNC
  : 'σ' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'softplus' | 'exp' | 'log' | 'ln' | 'sqrt' | '√'
  | 'abs' | 'sin' | 'cos' | 'sum' | 'Σ' | '∑' | 'mean' | 'softmax' | 'log_softmax' | 'logsumexp' | 'max' | 'min'
  | 'log1p' | 'expm1' | 'sinh' | 'cosh' | 'tan' | 'atan' | 'elu' | 'silu' | 'gelu'
  | 'transpose'
  | 'conv2d' | 'maxpool' | 'avgpool' | 'flatten'
  ;

// Letters of categories Lu Ll Lt Lo (not Lm, so ᵀ never joins a name), combining marks so that a decomposed ŷ
// stays one name, ASCII digits, '_' and subscript digits ₀…₉. σ Σ π are letters here; TokenShaper splits them out.
NAME : [\p{Lu}\p{Ll}\p{Lt}\p{Lo}_] [\p{Lu}\p{Ll}\p{Lt}\p{Lo}\p{Mn}\p{Mc}_0-9\u2080-\u2089]* ;

NUMBER     : MANTISSA EXPONENT_PART? ;
// 1.  2.x  1.2.3 — longer than any NUMBER prefix, so the lexer prefers them and TokenShaper reports E0107.
BAD_NUMBER : MANTISSA ('.' DIGITS?)+ EXPONENT_PART? | DIGITS '.' ;

fragment MANTISSA      : DIGITS ('.' DIGITS)? | '.' DIGITS ;
fragment EXPONENT_PART : [eE] [+\-\u2212]? DIGITS ;
fragment DIGITS        : [0-9]+ ;

PLUS      : '+' ;
MINUS     : '-' | '−' ;
POW       : '^' | '**' ;
STAR      : '*' ;
TIMES     : '×' ;
ODOT      : '⊙' ;
SLASH     : '/' ;
DIVIDE    : '÷' ;
DOT       : '·' | '⋅' ;
AT        : '@' ;
TRANSPOSE : 'ᵀ' ;
PARTIAL   : '∂' ;
SQUARE    : '²' ;
CUBE      : '³' ;
LPAREN    : '(' ;
RPAREN    : ')' ;
LBRACK    : '[' ;
RBRACK    : ']' ;
LBRACE    : '{' ;
RBRACE    : '}' ;
COMMA     : ',' ;
SEMI      : ';' ;
ASSIGN    : '=' ;
TILDE     : '~' ;
// A derivative rule that deliberately differs from the body's derivative (∂ste/∂x ≈ 1): ≈, ASCII ~=.
APPROX    : '≈' | '~=' ;

NL      : '\r'? '\n' | '\r' ;
WS      : [ \t\u00A0]+ -> skip ;
COMMENT : ('#' | '//') ~[\r\n]* -> skip ;

// Characters that look like an operator of the language; TokenShaper reports E0102 naming the one meant.
LOOK_ALIKE
  : [\u2219\u2022\u30FB\u0387\u2027\u2013\u2014\u2010\u2011\u2012\u2015\uFE63\uFF0D\u2032\u2035\u0027\u22A4\u1D57]
  | [\u2217\u2731\uFF0A\u2715\u2716\u2044\u2215\uFF0F\uFF0B\uFF1D\u2254\uFF08\uFF09\uFF3B\uFF3D\uFF0C\u201A]
  | [\u2000-\u200B\u202F\u205F\u3000\uFEFF]
  ;
STRAY : . ;
