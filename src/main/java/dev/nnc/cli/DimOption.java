package dev.nnc.cli;

import dev.nnc.ir.ModelIR;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The {@code --dim NAME=SIZE} option of every command that sizes free dims (eval, trace, gradcheck, graph,
 * explain and compile --report), mixed into each with {@code @Mixin}: one parser and one set of checks. The
 * arguments are kept as written and checked here rather than by a picocli converter, so that each problem is a
 * diagnostic naming the argument given, with exit status 1 like every other bad value, not a usage error.
 */
final class DimOption {
  @Option(names = "--dim", paramLabel = "NAME=SIZE",
      description = "the size of a free dim of the model, e.g. --dim B=4 (one --dim per dim)")
  List<String> given = new ArrayList<>();

  /**
   * One bad {@code --dim} argument; the message starts with the argument as given ({@code --dim B=0: …}). A bad value
   * like any other for eval, trace, gradcheck, graph and explain (E0902); compile --report reports it as E0921.
   */
  static final class BadDim extends ModelValues.BadValue {
    BadDim(String argument, String problem) {
      super("--dim " + argument + ": " + problem);
    }
  }

  boolean isEmpty() {
    return given.isEmpty();
  }

  /** The first argument as given (for a diagnostic about the option as a whole). */
  String first() {
    return given.get(0);
  }

  /**
   * The sizes by dim name, in the order given, after checking every argument's form and that it names a free dim of
   * one of {@code models}.
   */
  Map<String, Integer> sizes(List<ModelIR> models) throws BadDim {
    Map<String, Integer> sizes = parse(given);
    Set<String> free = new LinkedHashSet<>();
    Map<String, Integer> fixed = new LinkedHashMap<>();
    for (ModelIR m : models) {
      for (ModelIR.DimInfo d : m.dims()) {
        if (d.isFree()) free.add(d.name());
        else fixed.putIfAbsent(d.name(), d.size());
      }
    }
    int k = 0;
    for (String name : sizes.keySet()) {
      String argument = given.get(k++);
      if (free.contains(name)) continue;
      if (fixed.containsKey(name)) {
        throw new BadDim(argument, name + " is fixed by its declaration (dim " + name + " = " + fixed.get(name)
            + "); only free dims take a size");
      }
      String where = models.size() > 1 ? "no model has a free dim " : models.get(0).name() == null
          ? "the model has no free dim " : models.get(0).name() + " has no free dim ";
      String list = free.isEmpty() ? " (its dims are all fixed)" : " (free dims: " + String.join(", ", free) + ")";
      throw new BadDim(argument, where + name + list + hint(name, free));
    }
    return sizes;
  }

  /** Parses every argument's form: a name, {@code =}, a positive whole number, each name once. */
  static Map<String, Integer> parse(List<String> arguments) throws BadDim {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    for (String argument : arguments) {
      int eq = argument.indexOf('=');
      if (eq < 0) throw new BadDim(argument, "expected NAME=SIZE, e.g. --dim " + example(argument.trim()) + "=4");
      String name = ModelValues.normalise(argument.substring(0, eq).trim());
      String value = argument.substring(eq + 1).trim();
      if (name.isEmpty()) throw new BadDim(argument, "no dim name before '=': expected NAME=SIZE, e.g. --dim B=4");
      if (value.isEmpty()) throw new BadDim(argument, "no size after '=': expected NAME=SIZE, e.g. --dim " + name + "=4");
      if (!value.matches("[+-]?[0-9]+")) throw new BadDim(argument, "the size '" + value + "' is not a whole number");
      BigInteger n = new BigInteger(value);
      if (n.signum() <= 0) throw new BadDim(argument, "a size is a positive whole number");
      if (n.bitLength() > 31) {
        throw new BadDim(argument, "the size " + value + " is too large (at most " + Integer.MAX_VALUE + ")");
      }
      Integer before = sizes.put(name, n.intValue());
      if (before != null) {
        throw new BadDim(argument, name + " is given twice (--dim " + name + "=" + before + " before it)");
      }
    }
    return sizes;
  }

  /** A name for the usage example: the argument itself when it looks like a dim name, else B. */
  private static String example(String argument) {
    return !argument.isEmpty() && argument.codePoints().allMatch(Character::isLetterOrDigit)
        && Character.isLetter(argument.codePointAt(0)) ? argument : "B";
  }

  /** "; did you mean B?" for a free dim spelled with another case, else nothing. */
  private static String hint(String name, Set<String> free) {
    for (String f : free) {
      if (f.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) return "; did you mean " + f + "?";
    }
    return "";
  }
}
