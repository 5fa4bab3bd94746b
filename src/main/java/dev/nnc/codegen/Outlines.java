package dev.nnc.codegen;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Repeated expression shapes of a long class, written once as private static methods that the statements call.
 *
 * <p>javac's time on a long generated class is per operation it attributes (each binary operator is resolved as an
 * overload, with several look-ups of the box types), not per character: measured with javac 17 ({@code --release
 * 11}, C1), an operation costs about as much as a call, and a call with k arguments far less than the k-operation
 * expression it replaces (docs/performance.md, issue 11). A long model repeats a few shapes thousands of times —
 * {@code t = dv * (1.0 - v * v)} for each tanh of a chain, the same 21-operation tangent for every third link of jvp —
 * so in a class with more than {@link #LONG_PASS} statements in one method (forward, backward or jvp: where its parts
 * already live in inner classes) every scalar statement whose right side has at least {@link #MIN_OPERATIONS}
 * operations and whose shape (the expression with its fields and locals as parameters {@code p0}, {@code p1}, …, in
 * order of first appearance) occurs at least {@link #MIN_USES} times becomes a call: {@code t30057 =
 * expr2(dv9999, v9999);} with {@code private static double expr2(double p0, double p1) { return p0 * (1.0 - p1 *
 * p1); }}. The statement keeps its line and its comments (the chain-rule step it implements); the method's body is the
 * text the statement had, with the same operations in the same order on the same values, so the results are the same
 * bits (Java's floating point is strict: a value passed and returned is the value computed inline). Small classes,
 * and so every example a learner reads, are written as before.
 */
final class Outlines {
  /** Statements in one method of the class (forward, backward or jvp) past which its shapes are outlined. */
  static final int LONG_PASS = PartGroups.PARTS_PER_CLASS * Plan.CHUNK;
  /** Occurrences of a shape before it gets a method (one method per shape used a few times would cost javac more). */
  static final int MIN_USES = 8;
  /** Operations (operators and calls) a right side needs before a call is cheaper for javac than the expression. */
  static final int MIN_OPERATIONS = 2;
  /** Parameters of an outlined method at most (a double takes two of the JVM's 255 parameter slots). */
  static final int MAX_PARAMETERS = 100;

  /**
   * A statement that may become a call: line {@code index} of {@code lines} is {@code text} = {@code prefix} + the
   * right side + ";" (prefix: the target and its operator, a declaration's type included).
   */
  private record Site(List<String> lines, int index, String text, String prefix, List<String> args, boolean isDouble,
      boolean compound) {}

  /** A shape: its method's body (the right side over {@code p0}, {@code p1}, …) and the statements that have it. */
  private static final class Shape {
    final String body;
    final int parameters;
    final boolean isDouble;
    final List<Site> sites = new ArrayList<>();
    String method;

    Shape(String body, int parameters, boolean isDouble) {
      this.body = body;
      this.parameters = parameters;
      this.isDouble = isDouble;
    }
  }

  private final Plan p;
  /** {@link #MIN_USES}, or (in a test) more: every statement offered, none rewritten. */
  private final int minUses;
  private final Map<String, Shape> shapes = new LinkedHashMap<>();
  private final List<MethodSpec> methods = new ArrayList<>();
  private boolean applied;

  private Outlines(Plan p, int minUses) {
    this.p = p;
    this.minUses = minUses;
  }

  /** The outliner of a long class, or null for a class written statement by statement as before. */
  static Outlines of(Plan p) {
    return of(p, MIN_USES);
  }

  /** As {@link #of(Plan)}, a shape outlined from {@code minUses} occurrences (a test's choice). */
  static Outlines of(Plan p, int minUses) {
    return isLong(p) ? new Outlines(p, minUses) : null;
  }

  /** A long class: one of its passes has more than {@link #LONG_PASS} statements (so it is written in parts). */
  static boolean isLong(Plan p) {
    for (Plan.Pass pass : Plan.Pass.values()) {
      if (pass == Plan.Pass.JVP && p.tangents == null) continue;
      if (p.statements(pass).size() > LONG_PASS) return true;
    }
    return false;
  }

  /**
   * Offers line {@code index} of {@code lines}, a scalar statement {@code prefix + rightSide + ";"} whose right side
   * has the shape {@code body} over {@code args} (its leaves, {@code p0} = {@code args[0]}, …) with {@code operations}
   * operations; {@code isDouble}: the right side is a double in a float class (it is narrowed where it is stored).
   */
  void offer(List<String> lines, int index, String prefix, String body, List<String> args, int operations,
      boolean isDouble, boolean compound) {
    if (applied || operations < MIN_OPERATIONS || args.size() > MAX_PARAMETERS) return;
    Shape s = shapes.computeIfAbsent(body, b -> new Shape(b, args.size(), isDouble));
    s.sites.add(new Site(lines, index, lines.get(index), prefix, List.copyOf(args), isDouble, compound));
  }

  /**
   * Rewrites every offered statement whose shape occurs {@link #MIN_USES} times or more into a call of that shape's
   * method (named in order of first occurrence, {@code expr1}, {@code expr2}, …), and returns the methods.
   */
  List<MethodSpec> apply() {
    if (applied) return methods;
    applied = true;
    TypeName real = p.precision.type();
    for (Shape s : shapes.values()) {
      if (s.sites.size() < minUses) continue;
      s.method = p.names.fresh("expr" + (methods.size() + 1));
      MethodSpec.Builder m = MethodSpec.methodBuilder(s.method).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .returns(s.isDouble ? TypeName.DOUBLE : real)
          .addJavadoc("$L", "The right side of " + s.sites.size() + " statements, written once: javac's time on a long"
              + " class is per operation it compiles.\n");
      for (int k = 0; k < s.parameters; k++) m.addParameter(real, "p" + k);
      methods.add(m.addStatement("return $L", s.body).build());
      for (Site site : s.sites) {
        // the line is rewritten only where it still is what was offered (a caller that copied its lines elsewhere,
        // such as a loop around them, keeps the expression written out: same value, no call)
        if (site.index >= site.lines.size() || site.lines.get(site.index) != site.text) continue;
        String call = s.method + "(" + String.join(", ", site.args) + ")";
        site.lines.set(site.index, site.prefix + (site.compound ? call : p.precision.narrow(call, site.isDouble)) + ";");
      }
    }
    return methods;
  }
}
