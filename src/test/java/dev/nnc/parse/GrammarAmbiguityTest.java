package dev.nnc.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diag.Diagnostics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.ATNConfigSet;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.dfa.DFA;
import org.junit.jupiter.api.Test;

/**
 * The stratified grammar is meant to be unambiguous and SLL-decidable: parsing the whole conformance corpus with
 * exact ambiguity detection reports no ambiguity and never needs full-context prediction (which is why the fast SLL
 * pass in SourceParser nearly always succeeds).
 */
class GrammarAmbiguityTest {
  @Test
  void conformanceCorpusParsesWithoutAmbiguityOrFullContext() throws IOException {
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.list(Parsing.resource("conformance/parse"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".nn")).sorted().toList()) texts.add(Parsing.read(p));
    }
    for (String l : Parsing.read(Parsing.resource("conformance/expressions.table")).lines().toList()) {
      if (!l.startsWith("#") && l.contains(" => ")) texts.add("y = " + l.substring(0, l.indexOf(" => ")) + "\n");
    }
    assertTrue(texts.size() > 150);
    List<String> reports = new ArrayList<>();
    for (String text : texts) {
      String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
      NnLexer lexer = new NnLexer(CharStreams.fromString(t));
      List<Token> raw = new ArrayList<>();
      for (Token x = lexer.nextToken(); ; x = lexer.nextToken()) {
        raw.add(x);
        if (x.getType() == Token.EOF) break;
      }
      NnParser parser = new NnParser(new CommonTokenStream(new ListTokenSource(TokenShaper.shape(raw,
          new Diagnostics()))));
      parser.removeErrorListeners();
      parser.addErrorListener(new BaseErrorListener() {
        @Override
        public void syntaxError(Recognizer<?, ?> r, Object o, int line, int col, String msg, RecognitionException e) {
          reports.add("syntax error " + msg + " in " + t);
        }

        @Override
        public void reportAmbiguity(Parser r, DFA dfa, int start, int stop, boolean exact, BitSet alts,
            ATNConfigSet configs) {
          reports.add("ambiguity in rule " + r.getRuleNames()[dfa.atnStartState.ruleIndex] + ": " + t);
        }

        @Override
        public void reportAttemptingFullContext(Parser r, DFA dfa, int start, int stop, BitSet alts,
            ATNConfigSet configs) {
          reports.add("full context in rule " + r.getRuleNames()[dfa.atnStartState.ruleIndex] + ": " + t);
        }
      });
      parser.getInterpreter().setPredictionMode(PredictionMode.LL_EXACT_AMBIG_DETECTION);
      parser.file();
    }
    assertEquals(List.of(), reports);
  }
}
