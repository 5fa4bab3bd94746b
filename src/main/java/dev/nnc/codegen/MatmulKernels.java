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
      case MATMUL_NN -> matrix(m, "c[m×n] = a·b, a stored m×k, b stored k×n; i-k-j order (contiguous inner loop).")
          .addCode(code("""
              for (int i = 0; i < m; i++) {
                int co = i * n;
                for (int j = 0; j < n; j++) c[co + j] = 0.0;
                for (int p = 0; p < k; p++) {
                  double aip = a[i * k + p];
                  int bo = p * n;
                  for (int j = 0; j < n; j++) c[co + j] += aip * b[bo + j];
                }
              }
              """));
      case MATMUL_TN -> matrix(m, "c[m×n] = aᵀ·b, a stored k×m, b stored k×n; k-i-j order (contiguous inner loop).")
          .addCode(code("""
              for (int q = 0; q < m * n; q++) c[q] = 0.0;
              for (int p = 0; p < k; p++) {
                int bo = p * n;
                for (int i = 0; i < m; i++) {
                  double api = a[p * m + i];
                  int co = i * n;
                  for (int j = 0; j < n; j++) c[co + j] += api * b[bo + j];
                }
              }
              """));
      case MATMUL_NT -> matrix(m, "c[m×n] = a·bᵀ, a stored m×k, b stored n×k; each c[i][j] a dot product of two rows.")
          .addCode(code("""
              for (int i = 0; i < m; i++) {
                int ao = i * k;
                for (int j = 0; j < n; j++) {
                  int bo = j * k;
                  double s = 0.0;
                  for (int p = 0; p < k; p++) s += a[ao + p] * b[bo + p];
                  c[i * n + j] = s;
                }
              }
              """));
      case MATMUL_TT -> matrix(m, "c[m×n] = aᵀ·bᵀ, a stored k×m, b stored n×k.")
          .addCode(code("""
              for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                  int bo = j * k;
                  double s = 0.0;
                  for (int p = 0; p < k; p++) s += a[p * m + i] * b[bo + p];
                  c[i * n + j] = s;
                }
              }
              """));
    }
    return m.build();
  }

  private static MethodSpec.Builder vector(MethodSpec.Builder m, String doc) {
    return m.addJavadoc("$L\n", doc)
        .addParameter(ARRAY, "a").addParameter(ARRAY, "v").addParameter(ARRAY, "c")
        .addParameter(int.class, "m").addParameter(int.class, "k");
  }

  private static MethodSpec.Builder matrix(MethodSpec.Builder m, String doc) {
    return m.addJavadoc("$L\n", doc)
        .addParameter(ARRAY, "a").addParameter(ARRAY, "b").addParameter(ARRAY, "c")
        .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n");
  }

  private static CodeBlock code(String text) {
    return CodeBlock.of("$L", text);
  }
}
