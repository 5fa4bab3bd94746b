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
 *   <li>two output rows and four packed rows per pass (register blocking: each packed element loaded once for both
 *       rows, each accumulator loaded and stored once per four products). JDK 17's C2 vectorises that loop only
 *       when each accumulator is summed as a chain, {@code s[j] = s[j] + x0·b0[j] + x1·b1[j] + …} (with the
 *       products grouped, {@code s[j] += x0·b0[j] + …}, it stays scalar); the chain is also the textbook order, so
 *       every path of every kernel gives each element exactly the sum of the naive triple loop, term by term;
 *   <li>the shared dimension is walked in blocks of 32 packed rows (K_BLOCK), each used by a group of output
 *       rows (accumulator rows allocated by the constructor) while it is in cache;
 *   <li>a large product is shared between the caller and tasks of the common fork-join pool (task objects allocated
 *       once per model object): the packing and then the output rows are dealt in chunks from counters to whichever
 *       thread is free, so a task that starts late takes fewer chunks instead of holding the caller up; after a
 *       product the task stays on its worker for up to {@link #SPIN_NANOS} waiting for the next one, so that the
 *       products of a training step do not each pay a worker's wake-up. Each row is computed the same way whichever
 *       thread runs it, so results do not depend on the split.
 *   <li>an input batch that forward multiplies from the left and backward transposed (X·W1 and Xᵀ·∂L/∂A1) has its
 *       nonzeros gathered once, by forward's product, and kept for backward's ({@link #gatheredSupport}).
 * </ul>
 * Products are multiplied then added, never fused with {@code Math.fma}: tried with hardware-FMA detection, the
 * fused kernels were no faster on JDK 17 (C2 vectorises only short fused chains, 4 rows × 2 packed rows, which store
 * each accumulator twice as often) and 20–30 % slower at 1000×784×1024 (docs/performance.md).
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

  /** The kernels over {@code double} (see {@link #method(Kernel, Precision)}). */
  public static MethodSpec method(Kernel k) {
    return method(k, Precision.FLOAT64);
  }

  /**
   * A kernel over the class's element type. The bodies are written once, over {@code double}; a float class gets
   * them with {@code float} arrays, accumulators and zeros (float products vectorise twice as wide).
   */
  public static MethodSpec method(Kernel k, Precision real) {
    TypeName array = real.array();
    MethodSpec.Builder m = MethodSpec.methodBuilder(k.methodName).addModifiers(Modifier.PRIVATE);
    if (k == Kernel.DOT || k == Kernel.MATVEC || k == Kernel.MAT_T_VEC) m.addModifiers(Modifier.STATIC);
    switch (k) {
      case DOT -> m.addJavadoc("Σ a[p]·b[p] over p < n, in four independent partial sums (one would serialise on the add latency).\n")
          .returns(real.type())
          .addParameter(array, "a").addParameter(array, "b").addParameter(int.class, "n")
          .addCode(code(real, """
              double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
              int p = 0;
              for (; p + 3 < n; p += 4) {
                s0 += a[p] * b[p];
                s1 += a[p + 1] * b[p + 1];
                s2 += a[p + 2] * b[p + 2];
                s3 += a[p + 3] * b[p + 3];
              }
              for (; p < n; p++) s0 += a[p] * b[p];
              return (s0 + s1) + (s2 + s3);
              """));
      case MATVEC -> vector(m, real, "c[m] = a·v with a stored m×k: each c[i] a dot product of a contiguous row, four partial sums.")
          .addCode(code(real, """
              for (int i = 0; i < m; i++) {
                double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
                int ao = i * k;
                int p = 0;
                for (; p + 3 < k; p += 4) {
                  s0 += a[ao + p] * v[p];
                  s1 += a[ao + p + 1] * v[p + 1];
                  s2 += a[ao + p + 2] * v[p + 2];
                  s3 += a[ao + p + 3] * v[p + 3];
                }
                for (; p < k; p++) s0 += a[ao + p] * v[p];
                c[i] = (s0 + s1) + (s2 + s3);
              }
              """));
      case MAT_T_VEC -> vector(m, real, "c[m] = aᵀ·v with a stored k×m: rows of a scaled and added, four rows per pass.")
          .addCode(code(real, """
              for (int i = 0; i < m; i++) c[i] = 0.0;
              int p = 0;
              for (; p + 3 < k; p += 4) {
                double v0 = v[p], v1 = v[p + 1], v2 = v[p + 2], v3 = v[p + 3];
                int o0 = p * m, o1 = o0 + m, o2 = o1 + m, o3 = o2 + m;
                for (int i = 0; i < m; i++) c[i] += a[o0 + i] * v0 + a[o1 + i] * v1 + a[o2 + i] * v2 + a[o3 + i] * v3;
              }
              for (; p < k; p++) {
                double vp = v[p];
                int ao = p * m;
                for (int i = 0; i < m; i++) c[i] += a[ao + i] * vp;
              }
              """));
      case MATMUL_NN -> matrix(m, real, "c[m×n] = a·b, a stored m×k, b stored k×n.")
          .addCode(code(real, "product(a, k, 1, b, n, 1, c, m, k, n);\n"));
      case MATMUL_TN -> matrix(m, real, "c[m×n] = aᵀ·b, a stored k×m, b stored k×n.")
          .addCode(code(real, "product(a, 1, m, b, n, 1, c, m, k, n);\n"));
      case MATMUL_NT -> matrix(m, real, "c[m×n] = a·bᵀ, a stored m×k, b stored n×k.")
          .addCode(code(real, "product(a, k, 1, b, 1, k, c, m, k, n);\n"));
      case MATMUL_TT -> matrix(m, real, "c[m×n] = aᵀ·bᵀ, a stored k×m, b stored n×k.")
          .addCode(code(real, "product(a, 1, m, b, 1, k, c, m, k, n);\n"));
    }
    return m.build();
  }

  private static MethodSpec.Builder vector(MethodSpec.Builder m, Precision real, String doc) {
    TypeName array = real.array();
    return m.addJavadoc("$L\n", doc)
        .addParameter(array, "a").addParameter(array, "v").addParameter(array, "c")
        .addParameter(int.class, "m").addParameter(int.class, "k");
  }

  private static MethodSpec.Builder matrix(MethodSpec.Builder m, Precision real, String doc) {
    TypeName array = real.array();
    return m.addJavadoc("$L\n", doc)
        .addParameter(array, "a").addParameter(array, "b").addParameter(array, "c")
        .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n");
  }


  /** Products smaller than this many multiply-adds are not packed: plain loops beat the copy. */
  static final int SMALL_WORK = 4_096;
  /**
   * Products smaller than this many multiply-adds stay on the calling thread: a hand-off costs tens of microseconds.
   * At 200,000 the MNIST CNN's per-image convolution products (about 205,000) split, and its two-core step took 69 ms
   * against 44 ms on one core; at 1,000,000 both took 40 ms (docs/performance.md, final run).
   */
  static final int PARALLEL_WORK = 1_000_000;
  /**
   * An output narrower than this is computed transposed when it has more rows, so that the vectorised loop runs over
   * the longer side (short rows spend their time in the loop's scalar head and tail): 100×784×50 ran at 9–12 instead
   * of 8 GFLOP/s, 784ᵀ×100×50 at 13–16 instead of 11 on JDK 17; wider outputs are faster untransposed.
   */
  static final int NARROW = 64;
  /** A product with a shared dimension shorter than this is not computed transposed (see transposedProduct). */
  static final int DEEP = 8;
  /** At most this many elements of the left operand are read to estimate its share of zeros. */
  static final int SAMPLES = 1024;
  /**
   * The shared dimension is walked in blocks of this many packed rows, each block used by a group of output rows
   * while it is in the L1/L2 cache (the whole packed operand, 784 rows, is not): 100×784×50 ran 20–40 % faster.
   */
  static final int K_BLOCK = 32;
  /** A group of output rows accumulates in at most this many doubles of scratch rows (64 KB)... */
  static final int GROUP_DOUBLES = 8_192;
  /** ...and at most this many rows. */
  static final int GROUP_ROWS = 64;
  /** Rows of a transposed sparse left operand whose nonzero coefficients are gathered in one pass (see sparseRows). */
  static final int GATHER = 8;
  /**
   * Sparse output rows at least this wide gather their nonzero coefficients (sparseRows); narrower ones skip passes of
   * four zero coefficients (rows without pairs), and a mostly-zero right operand is left packed unless the output
   * has this many rows: on short rows the vectorised loop's scalar head and tail cost more than the zeros save (the
   * MNIST CNN's first convolution, 8 filters, took 20 % longer per step with its image patches as coefficients).
   */
  static final int GATHERED_WIDTH = 32;
  /**
   * A product split over the cores deals its rows in about this many chunks per part (see gemm): enough for a part
   * that starts late to leave its share to the others, few enough that each chunk still reuses each block of packed
   * rows over several output rows.
   */
  static final int CHUNKS = 4;
  /** How long a product's task stays on its fork-join worker after a product, waiting for the next (see taskType). */
  static final long SPIN_NANOS = 200_000;
  /** At most this many parts of one product run at once (the caller and PARTS − 1 fork-join tasks). */
  static final int MAX_PARTS = 8;

  /** The generated names of the kernels' state: fields of the model object and the nested task class. */
  public record Names(String rows, String accumulators, String tasks, String taskType) {}

  /**
   * The methods and the nested task type every class with a matrix product needs besides its kernels: the product
   * driver, packing, the micro-kernels and the constructor's allocation helpers.
   */
  public static java.util.List<MethodSpec> support(Names n) {
    return support(n, Precision.FLOAT64);
  }

  /** {@link #support(Names)} over the class's element type. */
  public static java.util.List<MethodSpec> support(Names n, Precision real) {
    TypeName array = real.array();
    TypeName rowsType = real.rows();
    MethodSpec product = MethodSpec.methodBuilder("product")
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc("$L", """
            c[m×n] (row-major) = A·B with A(i,p) = a[i·ai + p·ap] and B(p,j) = b[p·bp + j·bj]: every transposition
            case is a choice of strides. A narrow output with more rows than columns is computed as cᵀ = Bᵀ·Aᵀ, so that
            the vectorised inner loop runs along the longer side, unless A is mostly zeros: then its entries stay the
            coefficients, whose zeros skip work (each output row's nonzero coefficients gathered first). When B is
            mostly zeros and A is not, the product is computed as cᵀ = Bᵀ·Aᵀ whatever its shape (if the scratch fits),
            so that B's entries are the coefficients. All ways sum every element in the same order (the same bits).
            """)
        .addParameter(array, "a").addParameter(int.class, "ai").addParameter(int.class, "ap")
        .addParameter(array, "b").addParameter(int.class, "bp").addParameter(int.class, "bj")
        .addParameter(array, "c").addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n")
        .addCode(code(real, """
            int path = productPath(a, b, m, k, n);
            if (path == 2 || path == 5) {
              gemm(b, bj, bp, a, ap, ai, c, 1, n, n, k, m, path == 2 ? 0 : 2, null, null); // cᵀ = Bᵀ·Aᵀ
            } else {
              gemm(a, ai, ap, b, bp, bj, c, n, 1, m, k, n, path == 3 ? 1 : path == 4 ? 2 : 0, null, null);
            }
            """))
        .build();
    MethodSpec path = MethodSpec.methodBuilder("productPath")
        .addModifiers(Modifier.PRIVATE)
        .returns(int.class)
        .addJavadoc("$L", """
            How product computes an m×k×n product of a and b: 0 plain loops (a tiny product), 1 packed, 2 packed and
            transposed (a narrow output), 3 with a's zeros skipped in passes of four (rows narrower than
            GATHERED_WIDTH), 4 with a's nonzeros gathered, 5 transposed with b's nonzeros gathered (when cᵀ's rows
            are at least GATHERED_WIDTH long).
            """.replace("GATHERED_WIDTH", Integer.toString(GATHERED_WIDTH)))
        .addParameter(array, "a").addParameter(array, "b")
        .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n")
        .addCode(code(real, """
            if ((long) m * k * n < SMALL_WORK) return 0;
            // the scratch was sized for the dims at construction; a batch smaller than its capacity can make an
            // output narrow that was not, and then the scratch may be too short to compute it transposed
            double[][] r = ROWS, acc = ACC;
            boolean fits = r[k - 1].length >= m && acc[1].length >= m; // the scratch can hold cᵀ's rows
            // each part's gathering row (the last of its rows) holds GATHER rows' nonzeros
            boolean gathers = acc[acc.length / (TASKS.length + 1) - 1].length >= (2 * k + 1) * GATHER;
            if (m > 1 && sparse(a, m * k)) return n >= GATHERED_WIDTH && gathers ? 4 : 3;
            if (m >= GATHERED_WIDTH && fits && gathers && sparse(b, k * n)) return 5;
            return transposedProduct(m, k, n) && fits ? 2 : 1;
            """.replace("ROWS", n.rows()).replace("ACC", n.accumulators())
                .replace("SMALL_WORK", Integer.toString(SMALL_WORK))
                .replace("GATHERED_WIDTH", Integer.toString(GATHERED_WIDTH)).replace("TASKS", n.tasks())
                .replace("GATHER", Integer.toString(GATHER))))
        .build();
    MethodSpec transposed = MethodSpec.methodBuilder("transposedProduct")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(boolean.class)
        .addJavadoc("$L", """
            Whether an m×k×n product is computed transposed (see product); also sizes the packed rows. Not when k is
            small: then the transposed output's strided stores cost as much as the products.
            """)
        .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n")
        .addCode(code(real, "return n < NARROW && m > n && k >= DEEP;\n".replace("NARROW", Integer.toString(NARROW))
            .replace("DEEP", Integer.toString(DEEP))))
        .build();
    MethodSpec sparse = MethodSpec.methodBuilder("sparse")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(boolean.class)
        .addJavadoc("$L", """
            Whether at least 70 % of a sample of a[0..size) (at most SAMPLES evenly spaced elements) is zero: then a
            product keeps a as its coefficients, whose zeros skip work, one output row at a time. Images such as MNIST
            (80 % zeros) are; ReLU activations (about 50 %) are not: for them two rows per pass were faster.
            """.replace("SAMPLES", Integer.toString(SAMPLES)))
        .addParameter(array, "a").addParameter(int.class, "size")
        .addCode(code(real, """
            int step = Math.max(1, size / SAMPLES), zeros = 0, seen = 0;
            for (int q = 0; q < size; q += step, seen++) if (a[q] == 0.0) zeros++;
            return 10 * zeros >= 7 * seen;
            """.replace("SAMPLES", Integer.toString(SAMPLES))))
        .build();
    MethodSpec gemm = MethodSpec.methodBuilder("gemm")
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc("$L", """
            out(i,j) = Σ_p x[i·xi + p·xp]·y[p·yp + j·yj] into c[i·ci + j·cj], for i < m, j < n. Tiny products run plain
            loops. Otherwise y is packed into the rows r[0..k) (one array per row: C2 vectorises a loop only when every
            array in it is indexed by the bare loop variable), and the rows i are computed by the micro-kernel (mode 0:
            in pairs; 1: one at a time, for sparse coefficients; 2: sparse coefficients gathered, sparseRows; 3: the
            same, kept in form and index for a later product of xᵀ, gatheredRows; 4: from the columns of such a form,
            columnRows) in groups that fit the accumulator rows, split between the caller and fork-join tasks when the
            product is large.
            Every element is summed in the same order (p = 0, 1, …, as the naive triple loop) whichever thread, group
            and loop computes it, so the result does not depend on the machine.
            """)
        .addParameter(array, "x").addParameter(int.class, "xi").addParameter(int.class, "xp")
        .addParameter(array, "y").addParameter(int.class, "yp").addParameter(int.class, "yj")
        .addParameter(array, "c").addParameter(int.class, "ci").addParameter(int.class, "cj")
        .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n")
        .addParameter(int.class, "mode").addParameter(rowsType, "form").addParameter(int[][].class, "index")
        .addCode(code(real, """
            long work = (long) m * k * n;
            if (work < SMALL_WORK) {
              for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                  double s = 0.0;
                  for (int p = 0, q = i * xi, o = j * yj; p < k; p++, q += xp, o += yp) s += x[q] * y[o];
                  c[i * ci + j * cj] = s;
                }
              }
              return;
            }
            double[][] r = ROWS;
            double[][] acc = ACC;
            // each part's accumulator rows, then one row to gather a sparse output row's nonzero coefficients into
            int perPart = acc.length / (TASKS.length + 1) - 1;
            // the row of each part's rows that gathers sparse rows' nonzeros (modes 2 and 3), relative to the part's
            int list = perPart;
            // the accumulator rows of a group: as many as fit GROUP_DOUBLES, each at least n long (rows 0 and 1 of
            // every part are as long as the widest product)
            int group = Math.min(perPart, Math.max(2, Math.min(GROUP_ROWS, GROUP_DOUBLES / n))) & ~1;
            while (group > 2 && acc[group - 1].length < n) group -= 2;
            int parts = work < PARALLEL_WORK ? 1 : Math.min(TASKS.length + 1, m / 4);
            if (parts <= 1) {
              pack(y, yp, yj, r, n, 0, k);
              partRows(mode, x, xi, xp, r, c, ci, cj, k, n, 0, m, m, acc, 0, group, list, form, index);
              return;
            }
            // The packing and then the rows are dealt in chunks from counters to whoever is free (the caller and the
            // parts' tasks), so a task that starts late (a core busy elsewhere, a worker waking up) takes fewer chunks
            // instead of holding the caller up; every row is computed the same way whoever takes it.
            int chunk = Math.max(2, (m + CHUNKS * parts - 1) / (CHUNKS * parts) + 1 & ~1);
            // a kept form's capacity is shared out in proportion to the rows of a chunk, which must hold a whole row
            // whatever its zeros: one chunk per part, as the form was sized
            if (mode == 3) chunk = (m + parts - 1) / parts;
            int packChunk = Math.max(1, (k + CHUNKS * parts - 1) / (CHUNKS * parts));
            TASK_TYPE deal = TASKS[0];
            deal.packCursor.set(0);
            deal.packed.set(0);
            deal.cursor.set(0);
            for (int t = 1; t < parts; t++) {
              TASKS[t - 1].post(x, xi, xp, y, yp, yj, r, c, ci, cj, m, k, n, chunk, packChunk, deal, acc,
                  t * (perPart + 1), group, list, mode, form, index);
            }
            share(x, xi, xp, y, yp, yj, r, c, ci, cj, m, k, n, chunk, packChunk, deal, acc, 0, group, list, mode, form,
                index);
            for (int t = 1; t < parts; t++) TASKS[t - 1].await();
            """.replace("SMALL_WORK", Integer.toString(SMALL_WORK))
                .replace("PARALLEL_WORK", Integer.toString(PARALLEL_WORK)).replace("CHUNKS", Integer.toString(CHUNKS))
                .replace("GROUP_DOUBLES", Integer.toString(GROUP_DOUBLES))
                .replace("GROUP_ROWS", Integer.toString(GROUP_ROWS))
                .replace("TASK_TYPE", n.taskType()).replace("TASKS", n.tasks())
                .replace("ROWS", n.rows()).replace("ACC", n.accumulators())))
        .build();
    MethodSpec pack = MethodSpec.methodBuilder("pack")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("The packed rows r[p][j] = y[p·yp + j·yj], j < n, for p in [from, to) (see gemm).\n")
        .addParameter(array, "y").addParameter(int.class, "yp").addParameter(int.class, "yj")
        .addParameter(rowsType, "r").addParameter(int.class, "n").addParameter(int.class, "from")
        .addParameter(int.class, "to")
        .addCode(code(real, """
            for (int p = from; p < to; p++) {
              double[] row = r[p];
              if (yj == 1) {
                System.arraycopy(y, p * yp, row, 0, n);
              } else {
                for (int j = 0, o = p * yp; j < n; j++, o += yj) row[j] = y[o];
              }
            }
            """))
        .build();
    MethodSpec share = MethodSpec.methodBuilder("share")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L", """
            One part's share of a product split over the cores (see gemm), on the caller or a task: chunks of the
            packing dealt by deal's packCursor, a wait until every packed row is there, then chunks of the output rows
            dealt by deal's cursor, computed with the part's accumulator rows acc[base ...) (mode: see gemm).
            """)
        .addParameter(array, "x").addParameter(int.class, "xi").addParameter(int.class, "xp")
        .addParameter(array, "y").addParameter(int.class, "yp").addParameter(int.class, "yj")
        .addParameter(rowsType, "r").addParameter(array, "c").addParameter(int.class, "ci").addParameter(int.class, "cj")
        .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n")
        .addParameter(int.class, "chunk").addParameter(int.class, "packChunk")
        .addParameter(com.palantir.javapoet.ClassName.get("", n.taskType()), "deal")
        .addParameter(rowsType, "acc").addParameter(int.class, "base").addParameter(int.class, "group")
        .addParameter(int.class, "list")
        .addParameter(int.class, "mode").addParameter(rowsType, "form").addParameter(int[][].class, "index")
        .addCode(code(real, """
            for (int p; (p = deal.packCursor.getAndAdd(packChunk)) < k; ) {
              int to = Math.min(k, p + packChunk);
              pack(y, yp, yj, r, n, p, to);
              deal.packed.getAndAdd(to - p);
            }
            for (int spin = 0; deal.packed.get() < k; spin++) { // the others' last chunks of packing
              if (spin < 256) java.lang.Thread.onSpinWait();
              else java.lang.Thread.yield();
            }
            for (int i; (i = deal.cursor.getAndAdd(chunk)) < m; ) {
              partRows(mode, x, xi, xp, r, c, ci, cj, k, n, i, Math.min(m, i + chunk), m, acc, base, group, list, form,
                  index);
            }
            """))
        .build();
    MethodSpec rows = MethodSpec.methodBuilder("rows")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L", """
            Rows [from, to) of out = x·r (see gemm), in groups of `group` rows accumulated in acc[base..base + group):
            for each block of K_BLOCK packed rows (kept in cache while the whole group uses it), two output rows and
            four packed rows per pass (register blocking: each b[j] loaded once for both rows, each accumulator once
            per four products). Each accumulator is written as a chain, s[j] = s[j] + x0·b0[j] + x1·b1[j] + …: JDK 17's
            C2 vectorises that form of the loop (not s[j] += x0·b0[j] + …), and it adds the products in the naive
            order, block after block. A pass whose coefficients are all zero is skipped, as reference BLAS dgemm does:
            one compare on dense data, most of the work on sparse inputs such as images (80 % of MNIST's pixels are 0);
            adding 0·b[j] would not change the sum (for finite b). Without pairs, one row per pass: for sparse
            coefficients, whose passes are all zero more often for one row than for two. All ways sum in the same order.
            """.replace("K_BLOCK", Integer.toString(K_BLOCK)))
        .addParameter(array, "x").addParameter(int.class, "xi").addParameter(int.class, "xp")
        .addParameter(rowsType, "r").addParameter(array, "c").addParameter(int.class, "ci").addParameter(int.class, "cj")
        .addParameter(int.class, "k").addParameter(int.class, "n")
        .addParameter(int.class, "from").addParameter(int.class, "to")
        .addParameter(rowsType, "acc").addParameter(int.class, "base").addParameter(int.class, "group")
        .addParameter(boolean.class, "pairs")
        .addCode(code(real, """
            for (int g0 = from; g0 < to; g0 += group) {
              int g1 = Math.min(to, g0 + group);
              for (int p0 = 0; p0 < k; p0 += K_BLOCK) {
                int p1 = Math.min(k, p0 + K_BLOCK);
                int i = g0;
                for (; pairs && i + 1 < g1; i += 2) {
                  double[] s = acc[base + i - g0], u = acc[base + i - g0 + 1];
                  if (p0 == 0) {
                    for (int j = 0; j < n; j++) {
                      s[j] = 0.0;
                      u[j] = 0.0;
                    }
                  }
                  int q = i * xi + p0 * xp, w = q + xi;
                  int p = p0;
                  for (; p + 3 < p1; p += 4, q += 4 * xp, w += 4 * xp) {
                    double x0 = x[q], x1 = x[q + xp], x2 = x[q + 2 * xp], x3 = x[q + 3 * xp];
                    double z0 = x[w], z1 = x[w + xp], z2 = x[w + 2 * xp], z3 = x[w + 3 * xp];
                    if (x0 == 0.0 && x1 == 0.0 && x2 == 0.0 && x3 == 0.0 && z0 == 0.0 && z1 == 0.0 && z2 == 0.0
                        && z3 == 0.0) continue; // adds nothing (as in BLAS dgemm)
                    double[] b0 = r[p], b1 = r[p + 1], b2 = r[p + 2], b3 = r[p + 3];
                    for (int j = 0; j < n; j++) {
                      double v0 = b0[j], v1 = b1[j], v2 = b2[j], v3 = b3[j];
                      s[j] = s[j] + x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3;
                      u[j] = u[j] + z0 * v0 + z1 * v1 + z2 * v2 + z3 * v3;
                    }
                  }
                  for (; p < p1; p++, q += xp, w += xp) {
                    double x0 = x[q], z0 = x[w];
                    if (x0 == 0.0 && z0 == 0.0) continue;
                    double[] b0 = r[p];
                    for (int j = 0; j < n; j++) {
                      double v0 = b0[j];
                      s[j] = s[j] + x0 * v0;
                      u[j] = u[j] + z0 * v0;
                    }
                  }
                }
                for (; i < g1; i++) {
                  double[] s = acc[base + i - g0];
                  if (p0 == 0) {
                    for (int j = 0; j < n; j++) s[j] = 0.0;
                  }
                  int q = i * xi + p0 * xp;
                  int p = p0;
                  for (; p + 3 < p1; p += 4, q += 4 * xp) {
                    double x0 = x[q], x1 = x[q + xp], x2 = x[q + 2 * xp], x3 = x[q + 3 * xp];
                    if (x0 == 0.0 && x1 == 0.0 && x2 == 0.0 && x3 == 0.0) continue;
                    double[] b0 = r[p], b1 = r[p + 1], b2 = r[p + 2], b3 = r[p + 3];
                    for (int j = 0; j < n; j++) s[j] = s[j] + x0 * b0[j] + x1 * b1[j] + x2 * b2[j] + x3 * b3[j];
                  }
                  for (; p < p1; p++, q += xp) {
                    double x0 = x[q];
                    if (x0 == 0.0) continue;
                    double[] b0 = r[p];
                    for (int j = 0; j < n; j++) s[j] = s[j] + x0 * b0[j];
                  }
                }
              }
              for (int i = g0; i < g1; i++) store(acc[base + i - g0], c, i * ci, cj, n);
            }
            """.replace("K_BLOCK", Integer.toString(K_BLOCK))))
        .build();
    MethodSpec sparseRows = MethodSpec.methodBuilder("sparseRows")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L", """
            Rows [from, to) of out = x·r (see gemm) for mostly-zero coefficients x, into acc[base]: each row's nonzero
            coefficients are first gathered into acc[list] (gather), then added in the order of p (sparseRow). When the
            coefficients of neighbouring rows are neighbours in x (xi = 1: a transposed left operand, read down its
            columns), GATHER rows are gathered before any is computed, so that each cache line of x read for the first
            is still there for the next ones (computing a row reads the packed rows, which would evict it).
            """.replace("GATHER", Integer.toString(GATHER)))
        .addParameter(array, "x").addParameter(int.class, "xi").addParameter(int.class, "xp")
        .addParameter(rowsType, "r").addParameter(array, "c").addParameter(int.class, "ci").addParameter(int.class, "cj")
        .addParameter(int.class, "k").addParameter(int.class, "n")
        .addParameter(int.class, "from").addParameter(int.class, "to")
        .addParameter(rowsType, "acc").addParameter(int.class, "base").addParameter(int.class, "list")
        .addCode(code(real, """
            double[] s = acc[base], g = acc[list];
            int block = xi == 1 && xp != 1 ? GATHER : 1;
            // g[t] counts the nonzeros of row i + t, gathered at g[GATHER + 2·k·t ...)
            for (int i = from; i < to; i += block) {
              int rows = Math.min(block, to - i);
              for (int t = 0; t < rows; t++) g[t] = gather(x, (i + t) * xi, xp, k, g, GATHER + 2 * k * t, k);
              for (int t = 0; t < rows; t++) {
                sparseRow(s, r, g, GATHER + 2 * k * t, k, (int) g[t], n);
                store(s, c, (i + t) * ci, cj, n);
              }
            }
            """.replace("GATHER", Integer.toString(GATHER))))
        .build();
    MethodSpec partRows = MethodSpec.methodBuilder("partRows")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L", """
            Rows [from, to) of out = x·r in gemm's mode (see gemm), with one part's rows of acc from base: rows (modes 0
            and 1: in pairs or one at a time), sparseRows (2), gatheredRows (3: kept in form and index) or columnRows
            (4: from form's columns); m is the product's row count, list the part's gathering row (relative to base).
            """)
        .addParameter(int.class, "mode")
        .addParameter(array, "x").addParameter(int.class, "xi").addParameter(int.class, "xp")
        .addParameter(rowsType, "r").addParameter(array, "c").addParameter(int.class, "ci").addParameter(int.class, "cj")
        .addParameter(int.class, "k").addParameter(int.class, "n")
        .addParameter(int.class, "from").addParameter(int.class, "to").addParameter(int.class, "m")
        .addParameter(rowsType, "acc").addParameter(int.class, "base").addParameter(int.class, "group")
        .addParameter(int.class, "list")
        .addParameter(rowsType, "form").addParameter(int[][].class, "index")
        .addCode(code(real, """
            if (mode == 3) gatheredRows(x, xi, xp, r, c, ci, cj, k, n, from, to, m, acc, base, base + list, form, index);
            else if (mode == 4) columnRows(r, c, ci, cj, n, from, to, acc[base], form, index);
            else if (mode == 2) sparseRows(x, xi, xp, r, c, ci, cj, k, n, from, to, acc, base, base + list);
            else rows(x, xi, xp, r, c, ci, cj, k, n, from, to, acc, base, group, mode == 0);
            """))
        .build();
    MethodSpec gatheredRows = MethodSpec.methodBuilder("gatheredRows")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L", """
            Rows [from, to) of out = x·r (see gemm, mode 3), each row's nonzero coefficients gathered (gather) into the
            kept form (row i's values at form[0][start ...), positions at form[0][cap + start ...), start = index[0][i],
            count = index[1][i]), then added in the order of p (sparseRow). A part fills its share of form[0]'s capacity
            cap, in proportion to its rows; a part whose rows hold more nonzeros than that (a batch denser than the form
            was sized for) marks the form unusable (index[3][1] = 1) and computes its other rows as sparseRows does.
            """)
        .addParameter(array, "x").addParameter(int.class, "xi").addParameter(int.class, "xp")
        .addParameter(rowsType, "r").addParameter(array, "c").addParameter(int.class, "ci").addParameter(int.class, "cj")
        .addParameter(int.class, "k").addParameter(int.class, "n")
        .addParameter(int.class, "from").addParameter(int.class, "to").addParameter(int.class, "m")
        .addParameter(rowsType, "acc").addParameter(int.class, "base").addParameter(int.class, "list")
        .addParameter(rowsType, "form").addParameter(int[][].class, "index")
        .addCode(code(real, """
            double[] g = form[0], s = acc[base];
            int[] start = index[0], count = index[1];
            int cap = g.length / 2;
            int o = (int) ((long) cap * from / m), end = (int) ((long) cap * to / m);
            for (int i = from; i < to; i++) {
              if (o + k > end) {
                index[3][1] = 1;
                sparseRows(x, xi, xp, r, c, ci, cj, k, n, i, to, acc, base, list);
                return;
              }
              int nonzeros = gather(x, i * xi, xp, k, g, o, cap);
              start[i] = o;
              count[i] = nonzeros;
              sparseRow(s, r, g, o, cap, nonzeros, n);
              store(s, c, i * ci, cj, n);
              o += nonzeros;
            }
            """))
        .build();
    MethodSpec columnRows = MethodSpec.methodBuilder("columnRows")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L", """
            Rows [from, to) of out = xᵀ·r (see gemm, mode 4) from the columns of x's kept form (gatheredColumns): row i
            adds column i's nonzeros, in the order of their rows (sparseRow), in s.
            """)
        .addParameter(rowsType, "r").addParameter(array, "c").addParameter(int.class, "ci").addParameter(int.class, "cj")
        .addParameter(int.class, "n").addParameter(int.class, "from").addParameter(int.class, "to")
        .addParameter(array, "s").addParameter(rowsType, "form").addParameter(int[][].class, "index")
        .addCode(code(real, """
            double[] h = form[1];
            int[] column = index[2];
            int cap = h.length / 2;
            for (int i = from; i < to; i++) {
              sparseRow(s, r, h, column[i], cap, column[i + 1] - column[i], n);
              store(s, c, i * ci, cj, n);
            }
            """))
        .build();
    MethodSpec gather = MethodSpec.methodBuilder("gather")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(int.class)
        .addJavadoc("$L", """
            Gathers the nonzero x[q + p·xp], p < k, into g[o ...) and their positions p into g[o + span ...), in
            increasing p; returns how many. Four are tested at a time: on images most runs of four are all zero.
            """)
        .addParameter(array, "x").addParameter(int.class, "q").addParameter(int.class, "xp")
        .addParameter(int.class, "k").addParameter(array, "g").addParameter(int.class, "o")
        .addParameter(int.class, "span")
        .addCode(code(real, """
            int count = o, p = 0;
            for (; p + 3 < k; p += 4, q += 4 * xp) {
              double x0 = x[q], x1 = x[q + xp], x2 = x[q + 2 * xp], x3 = x[q + 3 * xp];
              if (x0 == 0.0 && x1 == 0.0 && x2 == 0.0 && x3 == 0.0) continue;
              if (x0 != 0.0) {
                g[count] = x0;
                g[span + count++] = p;
              }
              if (x1 != 0.0) {
                g[count] = x1;
                g[span + count++] = p + 1;
              }
              if (x2 != 0.0) {
                g[count] = x2;
                g[span + count++] = p + 2;
              }
              if (x3 != 0.0) {
                g[count] = x3;
                g[span + count++] = p + 3;
              }
            }
            for (; p < k; p++, q += xp) {
              double x0 = x[q];
              if (x0 != 0.0) {
                g[count] = x0;
                g[span + count++] = p;
              }
            }
            return count - o;
            """))
        .build();
    MethodSpec sparseRow = MethodSpec.methodBuilder("sparseRow")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L", """
            s[0..n) = Σ_t g[o + t]·r[g[o + k + t]] over t < count: a row's gathered nonzero coefficients and their
            positions p, in increasing p, added four per pass, s[j] = s[j] + x0·b0[j] + x1·b1[j] + …: the naive order
            with the zero terms left out, which add nothing (for finite b). Skipping single zeros did about a third less
            work on MNIST images than skipping passes of four zeros (19 % of the pixels are nonzero, 29 % of the runs
            of four); one row at a time, since two rows rarely share their zeros.
            """)
        .addParameter(array, "s").addParameter(rowsType, "r").addParameter(array, "g").addParameter(int.class, "o")
        .addParameter(int.class, "k").addParameter(int.class, "count").addParameter(int.class, "n")
        .addCode(code(real, """
            for (int j = 0; j < n; j++) s[j] = 0.0;
            int t = o, end = o + count;
            for (; t + 3 < end; t += 4) {
              double x0 = g[t], x1 = g[t + 1], x2 = g[t + 2], x3 = g[t + 3];
              double[] b0 = r[(int) g[k + t]], b1 = r[(int) g[k + t + 1]], b2 = r[(int) g[k + t + 2]],
                  b3 = r[(int) g[k + t + 3]];
              for (int j = 0; j < n; j++) s[j] = s[j] + x0 * b0[j] + x1 * b1[j] + x2 * b2[j] + x3 * b3[j];
            }
            for (; t < end; t++) {
              double x0 = g[t];
              double[] b0 = r[(int) g[k + t]];
              for (int j = 0; j < n; j++) s[j] = s[j] + x0 * b0[j];
            }
            """))
        .build();
    MethodSpec store = MethodSpec.methodBuilder("store")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("c[o + j·cj] = s[j] for j < n (a transposed product writes a column).\n")
        .addParameter(array, "s").addParameter(array, "c").addParameter(int.class, "o").addParameter(int.class, "cj")
        .addParameter(int.class, "n")
        .addCode(code(real, """
            if (cj == 1) {
              System.arraycopy(s, 0, c, o, n);
            } else {
              for (int j = 0; j < n; j++, o += cj) c[o] = s[j];
            }
            """))
        .build();
    MethodSpec scratch = MethodSpec.methodBuilder("kernelScratch")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(rowsType)
        .addJavadoc("$L", """
            The products' packed rows, allocated once by the constructor: row p as long as the widest product with more
            than p rows to pack.
            """)
        .addParameter(int[].class, "ms").addParameter(int[].class, "ks").addParameter(int[].class, "ns")
        .addCode(code(real, """
            int rowsNeeded = 0;
            for (int s = 0; s < ms.length; s++) rowsNeeded = Math.max(rowsNeeded, ks[s]);
            double[][] r = new double[rowsNeeded][];
            for (int p = 0; p < rowsNeeded; p++) {
              int w = 0;
              for (int s = 0; s < ms.length; s++) if (ks[s] > p) w = Math.max(w, width(ms[s], ks[s], ns[s]));
              r[p] = new double[w];
            }
            return r;
            """))
        .build();
    MethodSpec accumulators = MethodSpec.methodBuilder("kernelAccumulators")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(rowsType)
        .addJavadoc("$L", """
            The products' accumulator rows, allocated once by the constructor: the same rows for each of the parts, row
            t as long as the widest product whose group (at most GROUP_DOUBLES doubles, GROUP_ROWS rows, 2 at least)
            has more than t rows; after them, each part's row for the gathered nonzero coefficients of sparse output
            rows (GATHER rows of twice the longest shared dimension, and their counts).
            """.replace("GROUP_DOUBLES", Integer.toString(GROUP_DOUBLES)).replace("GROUP_ROWS", Integer.toString(GROUP_ROWS))
                .replace("GATHER", Integer.toString(GATHER)))
        .addParameter(int[].class, "ms").addParameter(int[].class, "ks").addParameter(int[].class, "ns")
        .addParameter(int.class, "parts")
        .addCode(code(real, """
            int[] widths = new int[ms.length], groups = new int[ms.length];
            int perPart = 2;
            for (int s = 0; s < ms.length; s++) {
              widths[s] = width(ms[s], ks[s], ns[s]);
              groups[s] = Math.max(2, Math.min(GROUP_ROWS, GROUP_DOUBLES / Math.max(1, widths[s])));
              perPart = Math.max(perPart, groups[s]);
            }
            int longest = 0;
            for (int s = 0; s < ms.length; s++) longest = Math.max(longest, ks[s]);
            double[][] acc = new double[(perPart + 1) * parts][];
            for (int t = 0; t < perPart; t++) {
              int w = 0;
              for (int s = 0; s < ms.length; s++) if (groups[s] > t) w = Math.max(w, widths[s]);
              for (int part = 0; part < parts; part++) acc[part * (perPart + 1) + t] = new double[w];
            }
            for (int part = 0; part < parts; part++) acc[part * (perPart + 1) + perPart] = new double[(2 * longest + 1) * GATHER];
            return acc;
            """.replace("GROUP_DOUBLES", Integer.toString(GROUP_DOUBLES)).replace("GROUP_ROWS", Integer.toString(GROUP_ROWS))
                .replace("GATHER", Integer.toString(GATHER))))
        .build();
    MethodSpec width = MethodSpec.methodBuilder("width")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(int.class)
        .addJavadoc("The length of the packed and accumulator rows an m×k×n product uses (see transposedProduct).\n")
        .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n")
        .addCode(code(real, "return transposedProduct(m, k, n) ? m : n;\n"))
        .build();
    MethodSpec tasks = MethodSpec.methodBuilder("kernelTasks")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(com.palantir.javapoet.ArrayTypeName.of(com.palantir.javapoet.ClassName.get("", n.taskType())))
        .addJavadoc("$L", """
            One reusable task per core beyond the caller's (at most MAX_PARTS parts), allocated once by the
            constructor, so a product allocates nothing.
            """.replace("MAX_PARTS", Integer.toString(MAX_PARTS)))
        .addCode(code(real, """
            int parts = Math.max(1, Math.min(MAX_PARTS, Runtime.getRuntime().availableProcessors()));
            TASK_TYPE[] tasks = new TASK_TYPE[parts - 1];
            for (int t = 0; t < tasks.length; t++) tasks[t] = new TASK_TYPE();
            return tasks;
            """.replace("MAX_PARTS", Integer.toString(MAX_PARTS)).replace("TASK_TYPE", n.taskType())))
        .build();
    return java.util.List.of(product, path, transposed, sparse, gemm, pack, share, rows, sparseRows, partRows,
        gatheredRows, columnRows, gather, sparseRow, store, scratch, accumulators, width, tasks);
  }

  /**
   * The methods of a class that keeps an input batch's nonzeros between {@code forward} and {@code backward}
   * (Bodies decides which inputs): {@code matmulGathered}, which computes x·b and keeps x's nonzero coefficients and
   * their positions, row by row, when x is mostly zeros (the same test as productPath's), and {@code matmulGatheredT},
   * which computes xᵀ·b from them — in columns, rebuilt once from the rows (gatheredColumns) — instead of reading x
   * again down its columns: at batch 100, x (100 × 784 MNIST pixels, 627 KB) is not in the L2 cache, and gathering
   * its nonzeros cost about as much as the products' arithmetic. Both sum every element in the triple loop's order
   * (the gathered rows in increasing p, the columns in increasing row), so the bits are those of product.
   */
  public static java.util.List<MethodSpec> gatheredSupport(Precision real) {
    TypeName array = real.array();
    TypeName rowsType = real.rows();
    MethodSpec forward = MethodSpec.methodBuilder("matmulGathered")
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc("$L", """
            c[m×n] = x·b, x stored m×k (an input batch), b stored k×n. When x is mostly zeros (productPath 4), its
            nonzeros are gathered into form (form[0]: values, then positions; index[0], index[1]: each row's start and
            count) and kept: index[3] = {m, 0, k, 0} and form[2] = x say for which x, until the next call; otherwise the
            form is marked unusable (also when a batch is denser than its capacity, a quarter of x's capacity and a row).
            """)
        .addParameter(array, "x").addParameter(array, "b").addParameter(array, "c")
        .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n")
        .addParameter(rowsType, "form").addParameter(int[][].class, "index")
        .addCode(code(real, """
            int[] state = index[3];
            state[0] = 0;
            state[1] = 0;
            state[2] = 0;
            state[3] = 0;
            form[2] = null;
            if (m > index[0].length || productPath(x, b, m, k, n) != 4) {
              product(x, k, 1, b, n, 1, c, m, k, n);
              return;
            }
            gemm(x, k, 1, b, n, 1, c, n, 1, m, k, n, 3, form, index);
            if (state[1] == 0) {
              state[0] = m;
              state[2] = k;
              form[2] = x;
            }
            """))
        .build();
    MethodSpec backward = MethodSpec.methodBuilder("matmulGatheredT")
        .addModifiers(Modifier.PRIVATE)
        .addJavadoc("$L", """
            c[m×n] = xᵀ·b, x stored k×m, b stored k×n: from the nonzeros of x that the last matmulGathered kept, if it
            kept them for this x and these dims (the caller must not have changed x's elements since: the memory
            contract); otherwise as product computes it. Same bits either way.
            """)
        .addParameter(array, "x").addParameter(array, "b").addParameter(array, "c")
        .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n")
        .addParameter(rowsType, "form").addParameter(int[][].class, "index")
        .addCode(code(real, """
            int[] state = index[3];
            if (form[2] != x || state[0] != k || state[2] != m) {
              product(x, 1, m, b, n, 1, c, m, k, n);
              return;
            }
            if (state[3] == 0) {
              gatheredColumns(form, index, k, m);
              state[3] = 1;
            }
            gemm(x, 1, m, b, n, 1, c, n, 1, m, k, n, 4, form, index);
            """))
        .build();
    MethodSpec columns = MethodSpec.methodBuilder("gatheredColumns")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("$L", """
            The kept nonzeros of a rows × cols input (form[0], by rows) by columns into form[1]: column p's values at
            form[1][index[2][p] ... index[2][p + 1]), their rows at cap further, in increasing row (a counting sort).
            """)
        .addParameter(rowsType, "form").addParameter(int[][].class, "index")
        .addParameter(int.class, "rows").addParameter(int.class, "cols")
        .addCode(code(real, """
            double[] g = form[0], h = form[1];
            int[] start = index[0], count = index[1], column = index[2];
            int cap = g.length / 2;
            for (int p = 0; p <= cols; p++) column[p] = 0;
            for (int i = 0; i < rows; i++) {
              for (int t = start[i], end = t + count[i]; t < end; t++) column[(int) g[cap + t] + 1]++;
            }
            for (int p = 0; p < cols; p++) column[p + 1] += column[p];
            for (int i = 0; i < rows; i++) {
              for (int t = start[i], end = t + count[i]; t < end; t++) {
                int o = column[(int) g[cap + t]]++;
                h[o] = g[t];
                h[cap + o] = i;
              }
            }
            for (int p = cols; p > 0; p--) column[p] = column[p - 1];
            column[0] = 0;
            """))
        .build();
    return java.util.List.of(forward, backward, columns);
  }

  /**
   * The constructor's statements allocating the kept form of an input batch of {@code rows} × {@code cols} (Java
   * expressions over the dims, at capacity): room for a quarter of its entries and one row more, by rows and by
   * columns, each value with its position; the rows' starts and counts, the columns' starts, and the state.
   */
  public static java.util.List<String> gatheredAllocations(String form, String index, String rows, String cols,
      Precision real) {
    String cap = "(" + rows + ") * (" + cols + ") / 4 + " + cols;
    return java.util.List.of(
        real.retype("this." + form + " = new double[][] {new double[2 * (" + cap + ")], new double[2 * (" + cap
            + ")], null};"),
        "this." + index + " = new int[][] {new int[" + rows + "], new int[" + rows + "], new int[" + cols
            + " + 1], new int[4]};");
  }

  /** The nested class of the reusable tasks that compute a large product's rows beyond the caller's part. */
  public static com.palantir.javapoet.TypeSpec taskType(String taskType) {
    return taskType(taskType, Precision.FLOAT64);
  }

  /** {@link #taskType(String)} over the class's element type. */
  public static com.palantir.javapoet.TypeSpec taskType(String taskType, Precision real) {
    TypeName array = real.array();
    TypeName rowsType = real.rows();
    com.palantir.javapoet.ClassName atomic = com.palantir.javapoet.ClassName.get(java.util.concurrent.atomic.AtomicInteger.class);
    com.palantir.javapoet.ClassName self = com.palantir.javapoet.ClassName.get("", taskType);
    com.palantir.javapoet.TypeSpec.Builder t = com.palantir.javapoet.TypeSpec.classBuilder(taskType)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .superclass(java.util.concurrent.RecursiveAction.class)
        .addJavadoc("$L", """
            A core beyond the caller's, for large products: reused, so products allocate nothing. The caller posts a
            product (post) and takes chunks of its rows from a shared counter while this task does the same on a
            fork-join worker; await waits for the task's last chunk. After a product the task stays on its worker for
            up to SPIN_MICROS µs (spinning, then yielding the core to any other thread), waiting for the next product:
            a parked worker takes tens of microseconds to wake, as long as a small product. A product posted while the
            task is idle forks it again; a product no worker took by the time the caller has dealt all the rows is
            withdrawn (the caller did its rows).
            """.replace("SPIN_MICROS", Long.toString(SPIN_NANOS / 1000)))
        .addField(com.palantir.javapoet.FieldSpec.builder(long.class, "serialVersionUID",
            Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer("1L").build())
        .addField(com.palantir.javapoet.FieldSpec.builder(int.class, "IDLE", Modifier.PRIVATE, Modifier.STATIC,
            Modifier.FINAL).initializer("0").addJavadoc("Not running: a product must fork the task.\n").build())
        .addField(com.palantir.javapoet.FieldSpec.builder(int.class, "WAITING", Modifier.PRIVATE, Modifier.STATIC,
            Modifier.FINAL).initializer("1").addJavadoc("Forked, waiting for a product.\n").build())
        .addField(com.palantir.javapoet.FieldSpec.builder(int.class, "POSTED", Modifier.PRIVATE, Modifier.STATIC,
            Modifier.FINAL).initializer("2").addJavadoc("A product posted, not yet taken.\n").build())
        .addField(com.palantir.javapoet.FieldSpec.builder(int.class, "RUNNING", Modifier.PRIVATE, Modifier.STATIC,
            Modifier.FINAL).initializer("3").addJavadoc("Computing a product's rows.\n").build())
        .addField(com.palantir.javapoet.FieldSpec.builder(atomic, "packCursor", Modifier.FINAL)
            .initializer("new $T()", atomic)
            .addJavadoc("The next row of a product's right operand to pack (the first task's counters serve a product).\n")
            .build())
        .addField(com.palantir.javapoet.FieldSpec.builder(atomic, "packed", Modifier.FINAL)
            .initializer("new $T()", atomic).addJavadoc("How many rows are packed.\n").build())
        .addField(com.palantir.javapoet.FieldSpec.builder(atomic, "cursor", Modifier.FINAL)
            .initializer("new $T()", atomic).addJavadoc("The next output row to deal.\n").build())
        .addField(com.palantir.javapoet.FieldSpec.builder(atomic, "state", Modifier.PRIVATE, Modifier.FINAL)
            .initializer("new $T()", atomic).build())
        .addField(com.palantir.javapoet.FieldSpec.builder(int.class, "done", Modifier.PRIVATE, Modifier.VOLATILE)
            .addJavadoc("The number of the last product this task finished.\n").build())
        .addField(int.class, "job", Modifier.PRIVATE)
        .addField(boolean.class, "forked", Modifier.PRIVATE)
        .addField(Throwable.class, "failure", Modifier.PRIVATE)
        .addField(array, "x", Modifier.PRIVATE)
        .addField(int.class, "xi", Modifier.PRIVATE)
        .addField(int.class, "xp", Modifier.PRIVATE)
        .addField(array, "y", Modifier.PRIVATE)
        .addField(int.class, "yp", Modifier.PRIVATE)
        .addField(int.class, "yj", Modifier.PRIVATE)
        .addField(rowsType, "r", Modifier.PRIVATE)
        .addField(array, "c", Modifier.PRIVATE)
        .addField(int.class, "ci", Modifier.PRIVATE)
        .addField(int.class, "cj", Modifier.PRIVATE)
        .addField(int.class, "m", Modifier.PRIVATE)
        .addField(int.class, "k", Modifier.PRIVATE)
        .addField(int.class, "n", Modifier.PRIVATE)
        .addField(int.class, "chunk", Modifier.PRIVATE)
        .addField(int.class, "packChunk", Modifier.PRIVATE)
        .addField(self, "deal", Modifier.PRIVATE)
        .addField(rowsType, "acc", Modifier.PRIVATE)
        .addField(int.class, "base", Modifier.PRIVATE)
        .addField(int.class, "group", Modifier.PRIVATE)
        .addField(int.class, "list", Modifier.PRIVATE)
        .addField(int.class, "mode", Modifier.PRIVATE)
        .addField(rowsType, "form", Modifier.PRIVATE)
        .addField(int[][].class, "index", Modifier.PRIVATE);
    t.addMethod(MethodSpec.methodBuilder("post")
        .addJavadoc("Posts a product whose packing and rows are dealt by {@code deal} in chunks (see share).\n")
        .addParameter(array, "x").addParameter(int.class, "xi").addParameter(int.class, "xp")
        .addParameter(array, "y").addParameter(int.class, "yp").addParameter(int.class, "yj")
        .addParameter(rowsType, "r").addParameter(array, "c").addParameter(int.class, "ci").addParameter(int.class, "cj")
        .addParameter(int.class, "m").addParameter(int.class, "k").addParameter(int.class, "n")
        .addParameter(int.class, "chunk").addParameter(int.class, "packChunk").addParameter(self, "deal")
        .addParameter(rowsType, "acc").addParameter(int.class, "base").addParameter(int.class, "group")
        .addParameter(int.class, "list")
        .addParameter(int.class, "mode").addParameter(rowsType, "form").addParameter(int[][].class, "index")
        .addCode(code(real, """
            this.x = x;
            this.xi = xi;
            this.xp = xp;
            this.y = y;
            this.yp = yp;
            this.yj = yj;
            this.r = r;
            this.c = c;
            this.ci = ci;
            this.cj = cj;
            this.m = m;
            this.k = k;
            this.n = n;
            this.chunk = chunk;
            this.packChunk = packChunk;
            this.deal = deal;
            this.acc = acc;
            this.base = base;
            this.group = group;
            this.list = list;
            this.mode = mode;
            this.form = form;
            this.index = index;
            this.job++;
            while (true) {
              if (state.get() == WAITING) {
                if (state.compareAndSet(WAITING, POSTED)) return; // the fields above are published by the CAS
              } else { // IDLE: no run of the task under way, or the last one returning
                while (forked && !isDone()) java.lang.Thread.onSpinWait();
                state.set(POSTED);
                reinitialize();
                java.util.concurrent.ForkJoinPool.commonPool().execute(this);
                forked = true;
                return;
              }
            }
            """))
        .build());
    t.addMethod(MethodSpec.methodBuilder("await")
        .addJavadoc("$L", """
            Waits until this task has finished its chunks of the posted product, without parking (JDK 17's join()
            parks the caller on a wait node it allocates): spinning, then yielding. A product no worker has taken yet
            is withdrawn: the caller has dealt all its rows.
            """)
        .addCode(code(real, """
            for (int spin = 0; done != job; spin++) {
              if (state.get() == POSTED && state.compareAndSet(POSTED, WAITING)) {
                release();
                return;
              }
              if (spin < 256) java.lang.Thread.onSpinWait();
              else java.lang.Thread.yield();
            }
            Throwable f = failure;
            if (f != null) {
              failure = null;
              if (f instanceof RuntimeException) throw (RuntimeException) f;
              if (f instanceof Error) throw (Error) f;
              throw new IllegalStateException(f);
            }
            """))
        .build());
    t.addMethod(MethodSpec.methodBuilder("release").addModifiers(Modifier.PRIVATE)
        .addJavadoc("Does not keep the caller's arrays reachable between products.\n")
        .addCode(code(real, """
            x = null;
            y = null;
            r = null;
            c = null;
            acc = null;
            deal = null;
            form = null;
            index = null;
            """))
        .build());
    t.addMethod(MethodSpec.methodBuilder("compute")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED)
        .addCode(code(real, """
            long since = System.nanoTime();
            for (int spin = 0;; spin++) {
              if (state.get() == POSTED) {
                if (state.compareAndSet(POSTED, RUNNING)) {
                  try {
                    share(x, xi, xp, y, yp, yj, r, c, ci, cj, m, k, n, chunk, packChunk, deal, acc, base, group, list,
                        mode, form, index);
                  } catch (Throwable e) {
                    failure = e;
                  }
                  release();
                  state.set(WAITING);
                  done = job; // publishes the rows and the fields' release to the caller
                  since = System.nanoTime();
                  spin = 0;
                }
              } else if (spin < 64) {
                java.lang.Thread.onSpinWait();
              } else if (System.nanoTime() - since < SPIN_NANOS) {
                java.lang.Thread.yield();
              } else if (state.compareAndSet(WAITING, IDLE)) {
                return;
              }
            }
            """.replace("SPIN_NANOS", Long.toString(SPIN_NANOS) + "L")))
        .build());
    return t.build();
  }

  /**
   * The constructor's statements allocating the kernels' state (tasks, packed rows, accumulator rows) for the given
   * call sites, each {m, k, n} as Java expressions over the dims.
   */
  public static java.util.List<String> allocations(Names n, java.util.List<String[]> sites) {
    StringBuilder ms = new StringBuilder(), ks = new StringBuilder(), ns = new StringBuilder();
    for (String[] site : sites) {
      String sep = ms.length() == 0 ? "" : ", ";
      ms.append(sep).append(site[0]);
      ks.append(sep).append(site[1]);
      ns.append(sep).append(site[2]);
    }
    String dims = "new int[] {" + ms + "}, new int[] {" + ks + "}, new int[] {" + ns + "}";
    return java.util.List.of("this." + n.tasks() + " = kernelTasks();",
        "this." + n.rows() + " = kernelScratch(" + dims + ");",
        "this." + n.accumulators() + " = kernelAccumulators(" + dims + ", this." + n.tasks() + ".length + 1);");
  }

  /** A body written over double, in the class's element type ({@link Precision#retype}). */
  private static CodeBlock code(Precision real, String text) {
    return CodeBlock.of("$L", real.retype(text));
  }
}
