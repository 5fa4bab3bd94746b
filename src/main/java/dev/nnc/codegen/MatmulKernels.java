package dev.nnc.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import javax.lang.model.element.Modifier;

/**
 * The one place that knows how products are computed: the private kernels a generated class calls for
 * {@code ·} between tensors. Generated code calls them by {@link #name}; their bodies can be replaced without touching
 * the rest of the generator. All matrices are flat row-major {@code double[]}; every kernel overwrites its output and
 * allocates nothing.
 *
 * <p>How the matrix products are fast (measured with JMH and thread CPU time on JDK 17 and 25; docs/performance.md):
 * <ul>
 *   <li>C2 vectorises {@code s[j] += x * b[j]} only when every array in the loop is indexed by the bare loop variable.
 *       With flat arrays the operands sit at different offsets of arrays C2 cannot prove distinct, and it does not
 *       vectorise at all (2.5–3× slower). So the right operand is packed into one array per row (the scratch rows
 *       {@code r}, allocated by the constructor) and each output row is accumulated in a scratch row;
 *   <li>four packed rows per pass ({@code s[j] += x0·b0[j] + x1·b1[j] + x2·b2[j] + x3·b3[j]}) quarter the
 *       accumulator's loads and stores; 1, 2 and 8 per pass, and 2 or 4 output rows per pass, were slower;
 *   <li>a large product splits its output rows between the caller and one task of the common fork-join pool (a
 *       task object allocated once per model object and reinitialised for each product); each row is computed the
 *       same way whichever thread runs it, so results do not depend on the split.
 * </ul>
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
    MethodSpec.Builder m = MethodSpec.methodBuilder(k.methodName).addModifiers(Modifier.PRIVATE);
    if (k == Kernel.DOT || k == Kernel.MATVEC || k == Kernel.MAT_T_VEC) m.addModifiers(Modifier.STATIC);
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
          .addCode(code(PACK_N + "productRows(a, k, 1, r, c, m, k, n);\n"));
      case MATMUL_TN -> matrix(m, "c[m×n] = aᵀ·b, a stored k×m, b stored k×n.")
          .addCode(code(PACK_N + "productRows(a, 1, m, r, c, m, k, n);\n"));
      case MATMUL_NT -> matrix(m, "c[m×n] = a·bᵀ, a stored m×k, b stored n×k.")
          .addCode(code(PACK_T + "productRows(a, k, 1, r, c, m, k, n);\n"));
      case MATMUL_TT -> matrix(m, "c[m×n] = aᵀ·bᵀ, a stored k×m, b stored n×k.")
          .addCode(code(PACK_T + "productRows(a, 1, m, r, c, m, k, n);\n"));
    }
    return m.build();
  }

  private static MethodSpec.Builder vector(MethodSpec.Builder m, String doc) {
    return m.addJavadoc("$L\n", doc)
        .addParameter(ARRAY, "a").addParameter(ARRAY, "v").addParameter(ARRAY, "c")
        .addParameter(int.class, "m").addParameter(int.class, "k");
  }

  private static MethodSpec.Builder matrix(MethodSpec.Builder m, String doc) {
    return m.addJavadoc("$L\n", doc + " b is packed into the rows r[0..k) first (see productRows).")
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

  /** Products smaller than this many multiply-adds stay on the calling thread: a hand-off costs microseconds. */
  static final int PARALLEL_WORK = 200_000;

  /**
   * The methods and the nested task type every class with a matrix product needs besides its kernels.
   *
   * @param task the name of the model object's task field
   * @param taskType the name of the nested task class
   */
  public static java.util.List<MethodSpec> support(String task, String taskType) {
    MethodSpec split = MethodSpec.methodBuilder("productRows")
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc("$L", """
            c[i,:] = Σ_p α(i,p)·r[p][:] for every row i < m, with α(i,p) = a[i·si + p·sp]. A large product gives the
            second half of its rows to the common fork-join pool and computes the first half here; the accumulator rows
            are r[k] (this thread) and r[k + 1] (the task).
            """)
        .addParameter(ARRAY, "a").addParameter(int.class, "si").addParameter(int.class, "sp")
        .addParameter(ROWS, "r").addParameter(ARRAY, "c")
        .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n")
        .addCode(code("""
            if (m < 2 || (long) m * k * n < PARALLEL_WORK) {
              rows(a, si, sp, r, c, k, n, 0, m, r[k]);
              return;
            }
            int half = m / 2;
            TASK.reinitialize();
            TASK.set(a, si, sp, r, c, k, n, half, m);
            java.util.concurrent.ForkJoinPool.commonPool().execute(TASK);
            rows(a, si, sp, r, c, k, n, 0, half, r[k]);
            TASK.join();
            """.replace("TASK", task).replace("PARALLEL_WORK", Integer.toString(PARALLEL_WORK))))
        .build();
    MethodSpec rows = MethodSpec.methodBuilder("rows")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L", """
            Rows [from, to) of c = α·r, accumulating each in s: every array of the inner loops is indexed by the bare
            loop variable (the shape C2 vectorises), and four rows of r per pass. A pass whose coefficients are all
            zero is skipped, as reference BLAS dgemm does: one compare on dense data, most of the work on sparse
            inputs such as images (80 % of MNIST's pixels are 0).
            """)
        .addParameter(ARRAY, "a").addParameter(int.class, "si").addParameter(int.class, "sp")
        .addParameter(ROWS, "r").addParameter(ARRAY, "c")
        .addParameter(int.class, "k").addParameter(int.class, "n")
        .addParameter(int.class, "from").addParameter(int.class, "to").addParameter(ARRAY, "s")
        .addCode(code("""
            for (int i = from; i < to; i++) {
              for (int j = 0; j < n; j++) s[j] = 0.0;
              int q = i * si;
              int p = 0;
              for (; p + 3 < k; p += 4, q += 4 * sp) {
                double x0 = a[q], x1 = a[q + sp], x2 = a[q + 2 * sp], x3 = a[q + 3 * sp];
                if (x0 == 0.0 && x1 == 0.0 && x2 == 0.0 && x3 == 0.0) continue; // adds nothing (as in BLAS dgemm)
                double[] b0 = r[p], b1 = r[p + 1], b2 = r[p + 2], b3 = r[p + 3];
                for (int j = 0; j < n; j++) s[j] += x0 * b0[j] + x1 * b1[j] + x2 * b2[j] + x3 * b3[j];
              }
              for (; p < k; p++, q += sp) {
                double x0 = a[q];
                if (x0 == 0.0) continue;
                double[] b0 = r[p];
                for (int j = 0; j < n; j++) s[j] += x0 * b0[j];
              }
              System.arraycopy(s, 0, c, i * n, n);
            }
            """))
        .build();
    return java.util.List.of(split, rows);
  }

  /** The nested class of the one reusable task per model object that computes the second half of a product. */
  public static com.palantir.javapoet.TypeSpec taskType(String taskType) {
    return com.palantir.javapoet.TypeSpec.classBuilder(taskType)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .superclass(java.util.concurrent.RecursiveAction.class)
        .addJavadoc("$L", "The second half of a large product's rows; reinitialised and reused, so products allocate nothing.\n")
        .addField(com.palantir.javapoet.FieldSpec.builder(long.class, "serialVersionUID",
            Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer("1L").build())
        .addField(ARRAY, "a", Modifier.PRIVATE)
        .addField(ROWS, "r", Modifier.PRIVATE)
        .addField(ARRAY, "c", Modifier.PRIVATE)
        .addField(int.class, "si", Modifier.PRIVATE)
        .addField(int.class, "sp", Modifier.PRIVATE)
        .addField(int.class, "k", Modifier.PRIVATE)
        .addField(int.class, "n", Modifier.PRIVATE)
        .addField(int.class, "from", Modifier.PRIVATE)
        .addField(int.class, "to", Modifier.PRIVATE)
        .addMethod(MethodSpec.methodBuilder("set")
            .addParameter(ARRAY, "a").addParameter(int.class, "si").addParameter(int.class, "sp")
            .addParameter(ROWS, "r").addParameter(ARRAY, "c")
            .addParameter(int.class, "k").addParameter(int.class, "n")
            .addParameter(int.class, "from").addParameter(int.class, "to")
            .addCode(code("""
                this.a = a;
                this.si = si;
                this.sp = sp;
                this.r = r;
                this.c = c;
                this.k = k;
                this.n = n;
                this.from = from;
                this.to = to;
                """))
            .build())
        .addMethod(MethodSpec.methodBuilder("compute")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PROTECTED)
            .addCode(code("""
                rows(a, si, sp, r, c, k, n, from, to, r[k + 1]);
                a = null; // do not keep the caller's arrays reachable between products
                r = null;
                c = null;
                """))
            .build())
        .build();
  }

  /**
   * The allocation of the kernels' row scratch for the given call sites, each {k, n} as Java expressions over the
   * dims: max k + 2 rows (b's packed rows and an accumulator per thread) of max n.
   */
  public static String scratchAllocation(java.util.List<String[]> sites) {
    java.util.Set<String> ks = new java.util.LinkedHashSet<>();
    java.util.Set<String> ns = new java.util.LinkedHashSet<>();
    for (String[] site : sites) {
      ks.add(site[0]);
      ns.add(site[1]);
    }
    return "new double[" + max(ks) + " + 2][" + max(ns) + "]";
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
