package dev.nnc.codegen;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import dev.nnc.ir.ModelIR;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * A generated method that visits every param in declaration order with a running offset into a flat buffer (the
 * layout of {@code paramsTo}): the body is some checks, {@code int offset = 0}, each param's lines, then a return.
 * Past {@link #SPLIT} params the param lines move to private parts {@code name + "Part" + k(params…, offset)} that
 * return the new offset (the JVM refuses methods over 64 KB of bytecode); the parts go to {@code sink}.
 */
final class ParamWalk {
  /** Params per method before the walk is split into private parts. */
  static final int SPLIT = 250;

  /** What one param contributes: its lines, given its Java name, gradient name and whether it is a scalar. */
  interface Step {
    List<String> lines(String param, String grad, boolean scalar);
  }

  private final Plan p;
  private final String offset;
  private final List<MethodSpec> sink;

  ParamWalk(Plan p, String offset, List<MethodSpec> sink) {
    this.p = p;
    this.offset = offset;
    this.sink = sink;
  }

  /**
   * The method {@code m} with the walk as its body. {@code partParams} are what the param lines read besides the
   * fields (the parts take them as parameters); {@code prelude} runs first, {@code ret} last.
   */
  MethodSpec build(MethodSpec.Builder m, List<ParameterSpec> partParams, List<String> prelude, String ret, Step step) {
    String name = m.build().name();
    List<List<String>> groups = new ArrayList<>();
    for (ModelIR.Leaf l : p.model.params()) {
      groups.add(step.lines(p.javaName(l.name()), p.gradName(l.name()), l.var().shape().isScalar()));
    }
    StringBuilder body = new StringBuilder();
    for (String c : prelude) body.append(c).append('\n');
    boolean usesOffset = groups.stream().flatMap(List::stream).anyMatch(s -> s.contains(offset));
    if (usesOffset || ret.contains(offset) || groups.size() > SPLIT) body.append("int ").append(offset).append(" = 0;\n");
    if (groups.size() <= SPLIT) {
      for (List<String> g : groups) for (String s : g) body.append(s).append('\n');
    } else {
      StringBuilder args = new StringBuilder();
      for (ParameterSpec ps : partParams) args.append(ps.name()).append(", ");
      for (int from = 0, k = 1; from < groups.size(); from += SPLIT, k++) {
        MethodSpec.Builder part = MethodSpec.methodBuilder(name + "Part" + k).addModifiers(Modifier.PRIVATE)
            .addParameters(partParams).addParameter(int.class, offset).returns(int.class)
            .addJavadoc("$L", "Params " + (from + 1) + " to " + Math.min(groups.size(), from + SPLIT) + " of {@link #"
                + name + "}.\n");
        StringBuilder pb = new StringBuilder();
        for (List<String> g : groups.subList(from, Math.min(groups.size(), from + SPLIT))) {
          for (String s : g) pb.append(s).append('\n');
        }
        pb.append("return ").append(offset).append(";\n");
        sink.add(part.addCode("$L", pb.toString()).build());
        body.append(offset).append(" = ").append(name).append("Part").append(k).append('(').append(args).append(offset)
            .append(");\n");
      }
    }
    if (!ret.isEmpty()) body.append(ret).append('\n');
    return m.addCode("$L", body.toString()).build();
  }
}
