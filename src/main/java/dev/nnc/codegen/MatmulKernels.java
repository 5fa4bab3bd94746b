package dev.nnc.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import javax.lang.model.element.Modifier;

/**
 * The one place that knows how products are computed: the private static kernels a generated class calls for
 * {@code ·} between tensors. Generated code calls them by {@link #name}; their bodies can be replaced (register
 * blocking, tiling) without touching the rest of the generator. All matrices are flat row-major {@code double[]};
 * every kernel overwrites its output and allocates nothing.
 *
 * <ul>
 *   <li>{@code dot(a, b, n)} = Σ a[p]·b[p];
 *   <li>{@code matvec(a, v, c, m, k)}: c[m] = a[m×k]·v[k]; {@code matTvec(a, v, c, m, k)}: c[m] = aᵀ·v with a stored k×m;
 *   <li>{@code matmulNN/TN/NT/TT(a, b, c, m, k, n)}: c[m×n] = op(a)·op(b), where op transposes (T) an operand stored
 *       k×m (for a) or n×k (for b), and leaves it (N) stored m×k or k×n.
 * </ul>
 */
public final class MatmulKernels {
  /** The kernels; a generated class gets only those it calls, in this order. */
  public enum Kernel {
    DOT("dot"),
    MATVEC("matvec"),
    MAT_T_VEC("matTvec"),
    MATMUL_NN("matmulNN"),
    MATMUL_TN("matmulTN"),
    MATMUL_NT("matmulNT"),
    MATMUL_TT("matmulTT");

    final String methodName;

    Kernel(String methodName) {
      this.methodName = methodName;
    }
  }

  private MatmulKernels() {}

  public static String name(Kernel k) {
    return k.methodName;
  }

  public static Kernel matmul(boolean transA, boolean transB) {
    if (transA) return transB ? Kernel.MATMUL_TT : Kernel.MATMUL_TN;
    return transB ? Kernel.MATMUL_NT : Kernel.MATMUL_NN;
  }

  private static final TypeName ARRAY = TypeName.get(double[].class);

  public static MethodSpec method(Kernel k) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(k.methodName).addModifiers(Modifier.PRIVATE, Modifier.STATIC);
    switch (k) {
      case DOT -> m.addJavadoc("Σ a[p]·b[p] over p < n.\n")
          .returns(double.class)
          .addParameter(ARRAY, "a").addParameter(ARRAY, "b").addParameter(int.class, "n")
          .addCode(code("""
              double s = 0.0;
              for (int p = 0; p < n; p++) s += a[p] * b[p];
              return s;
              """));
      case MATVEC -> vector(m, "c[m] = a·v with a stored m×k (each c[i] a dot product of a contiguous row).")
          .addCode(code("""
              for (int i = 0; i < m; i++) {
                double s = 0.0;
                int ao = i * k;
                for (int p = 0; p < k; p++) s += a[ao + p] * v[p];
                c[i] = s;
              }
              """));
      case MAT_T_VEC -> vector(m, "c[m] = aᵀ·v with a stored k×m (rows of a scaled and added: contiguous inner loop).")
          .addCode(code("""
              for (int i = 0; i < m; i++) c[i] = 0.0;
              for (int p = 0; p < k; p++) {
                double vp = v[p];
                int ao = p * m;
                for (int i = 0; i < m; i++) c[i] += a[ao + i] * vp;
              }
              """));
      case MATMUL_NN -> matrix(m, "c[m×n] = a·b, a stored m×k, b stored k×n.")
          .addCode(code(PACK_N + rowLoop("i * k + p", "1")));
      case MATMUL_TN -> matrix(m, "c[m×n] = aᵀ·b, a stored k×m, b stored k×n.")
          .addCode(code(PACK_N + rowLoop("p * m + i", "m")));
      case MATMUL_NT -> matrix(m, "c[m×n] = a·bᵀ, a stored m×k, b stored n×k.")
          .addCode(code(PACK_T + rowLoop("i * k + p", "1")));
      case MATMUL_TT -> matrix(m, "c[m×n] = aᵀ·bᵀ, a stored k×m, b stored n×k.")
          .addCode(code(PACK_T + rowLoop("p * m + i", "m")));
    }
    return m.build();
  }

  private static MethodSpec.Builder vector(MethodSpec.Builder m, String doc) {
    return m.addJavadoc("$L\n", doc)
        .addParameter(ARRAY, "a").addParameter(ARRAY, "v").addParameter(ARRAY, "c")
        .addParameter(int.class, "m").addParameter(int.class, "k");
  }

  private static MethodSpec.Builder matrix(MethodSpec.Builder m, String doc) {
    return m.addJavadoc("$L\n", doc + " The product walks b as k packed rows of {@code r} and accumulates each row of c\n"
            + "in {@code r[k]}: every array in the inner loop is indexed by the bare loop variable, the shape the JIT\n"
            + "vectorises; four rows of b per pass quarter the accumulator's loads and stores.")
        .addParameter(ARRAY, "a").addParameter(ARRAY, "b").addParameter(ARRAY, "c")
        .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n")
        .addParameter(ROWS, "r");
  }

  private static final TypeName ROWS = TypeName.get(double[][].class);

  /** b (k×n) copied into rows r[0..k). */
  private static final String PACK_N = """
      for (int p = 0; p < k; p++) System.arraycopy(b, p * n, r[p], 0, n);
      """;

  /** bᵀ, b stored n×k, copied into rows r[0..k). */
  private static final String PACK_T = """
      for (int j = 0; j < n; j++) {
        int bo = j * k;
        for (int p = 0; p < k; p++) r[p][j] = b[bo + p];
      }
      """;

  /**
   * c[i,:] = Σ_p α(i,p)·r[p][:], with α(i,p) = a[{@code alpha}] and {@code step} the distance in a from α(i,p) to
   * α(i,p+1).
   */
  private static String rowLoop(String alpha, String step) {
    String q1 = step.equals("1") ? "q + 1" : "q + " + step;
    String q2 = step.equals("1") ? "q + 2" : "q + 2 * " + step;
    String q3 = step.equals("1") ? "q + 3" : "q + 3 * " + step;
    return """
        double[] s = r[k];
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) s[j] = 0.0;
          int p = 0;
          for (; p + 3 < k; p += 4) {
            int q = ALPHA;
            double x0 = a[q], x1 = a[Q1], x2 = a[Q2], x3 = a[Q3];
            double[] b0 = r[p], b1 = r[p + 1], b2 = r[p + 2], b3 = r[p + 3];
            for (int j = 0; j < n; j++) s[j] += x0 * b0[j] + x1 * b1[j] + x2 * b2[j] + x3 * b3[j];
          }
          for (; p < k; p++) {
            double x0 = a[ALPHA];
            double[] b0 = r[p];
            for (int j = 0; j < n; j++) s[j] += x0 * b0[j];
          }
          System.arraycopy(s, 0, c, i * n, n);
        }
        """.replace("ALPHA", alpha).replace("Q1", q1).replace("Q2", q2).replace("Q3", q3);
  }

  /**
   * The allocation of the kernels' row scratch for the given call sites, each {k, n} as Java expressions over the
   * dims: max k + 1 rows (b's packed rows and one accumulator) of max n.
   */
  public static String scratchAllocation(java.util.List<String[]> sites) {
    java.util.Set<String> ks = new java.util.LinkedHashSet<>();
    java.util.Set<String> ns = new java.util.LinkedHashSet<>();
    for (String[] site : sites) {
      ks.add(site[0]);
      ns.add(site[1]);
    }
    return "new double[" + max(ks) + " + 1][" + max(ns) + "]";
  }

  private static String max(java.util.Set<String> exprs) {
    String out = null;
    for (String e : exprs) out = out == null ? e : "Math.max(" + out + ", " + e + ")";
    return out;
  }

  private static CodeBlock code(String text) {
    return CodeBlock.of("$L", text);
  }
}
