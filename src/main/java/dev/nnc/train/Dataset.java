package dev.nnc.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A labelled data set held in memory: {@code size} items of {@code features} values each (row-major), and an
 * integer class label per item.
 *
 * @param features {@code size × featureCount} values; unsigned-byte images are scaled to [0, 1] (pixel / 255)
 * @param labels one class index per item, each in {@code [0, classCount)}
 */
public record Dataset(int size, int featureCount, double[] features, int[] labels, int classCount) {

  /**
   * Reads {@code PREFIX-images-idx3-ubyte[.gz]} and {@code PREFIX-labels-idx1-ubyte[.gz]} (the MNIST naming).
   * Images of any rank ≥ 2 are flattened per item; unsigned bytes are divided by 255.
   */
  public static Dataset loadIdx(String prefix) throws IOException {
    Path images = find(prefix, "-images-idx3-ubyte");
    Path labels = find(prefix, "-labels-idx1-ubyte");
    return fromIdx(images.toString(), Idx.read(images), labels.toString(), Idx.read(labels));
  }

  /** Whether {@code PREFIX-labels-idx1-ubyte[.gz]} exists (else the data set is unlabelled images). */
  public static boolean hasLabels(String prefix) {
    for (String ext : new String[] {".gz", ""}) {
      if (Files.isRegularFile(Path.of(prefix + "-labels-idx1-ubyte" + ext))) return true;
    }
    return false;
  }

  /**
   * Reads {@code PREFIX-images-idx3-ubyte[.gz]} alone, for prediction: the labels are all 0 and {@code classCount}
   * is the given one (the model's, since the data does not say).
   */
  public static Dataset loadIdxImages(String prefix, int classCount) throws IOException {
    Path images = find(prefix, "-images-idx3-ubyte");
    Idx.Array a = Idx.read(images);
    int n = a.rank() < 2 ? 0 : a.dims()[0];
    return fromIdx(images.toString(), a, "(no labels)", new Idx.Array(Idx.Type.UNSIGNED_BYTE, new int[] {n},
        new double[n]), classCount);
  }

  /** Feature rows without labels (a CSV file), for prediction; see {@link #loadIdxImages}. */
  public static Dataset unlabelled(CsvRows rows, int classCount) {
    return new Dataset(rows.rows(), rows.width(), rows.values(), new int[rows.rows()], classCount);
  }

  static Dataset fromIdx(String imagesName, Idx.Array images, String labelsName, Idx.Array labels, int classCount)
      throws Idx.IdxException {
    Dataset d = fromIdx(imagesName, images, labelsName, labels);
    return new Dataset(d.size(), d.featureCount(), d.features(), d.labels(), classCount);
  }

  static Dataset fromIdx(String imagesName, Idx.Array images, String labelsName, Idx.Array labels)
      throws Idx.IdxException {
    if (images.rank() < 2) {
      throw new Idx.IdxException(imagesName, "expected images (rank ≥ 2: count × pixels…), found shape "
          + images.shape());
    }
    if (labels.rank() != 1) {
      throw new Idx.IdxException(labelsName, "expected labels (rank 1), found shape " + labels.shape());
    }
    int n = images.dims()[0];
    if (labels.dims()[0] != n) {
      throw new Idx.IdxException(labelsName, labels.dims()[0] + " labels for " + n + " images in " + imagesName);
    }
    int[] classes = new int[n];
    int max = 0;
    for (int i = 0; i < n; i++) {
      double v = labels.values()[i];
      if (v < 0 || v != Math.rint(v) || v > 1 << 20) {
        throw new Idx.IdxException(labelsName, "label " + (i + 1) + " is " + v + ", not a class index");
      }
      classes[i] = (int) v;
      max = Math.max(max, classes[i]);
    }
    double[] x = images.values();
    if (images.type() == Idx.Type.UNSIGNED_BYTE) {
      for (int i = 0; i < x.length; i++) x[i] /= 255.0;
    }
    return new Dataset(n, images.itemSize(), x, classes, max + 1);
  }

  private static Path find(String prefix, String suffix) throws Idx.IdxException {
    List<Path> tried = new ArrayList<>();
    for (String ext : new String[] {".gz", ""}) {
      Path p = Path.of(prefix + suffix + ext);
      if (Files.isRegularFile(p)) return p;
      tried.add(p);
    }
    throw new Idx.IdxException(prefix, "no data file: tried " + tried.get(0) + " and " + tried.get(1));
  }

  /** The items at {@code indices[from..to)}, in that order, as a new data set. */
  public Dataset select(int[] indices, int from, int to) {
    int m = to - from;
    double[] x = new double[m * featureCount];
    int[] y = new int[m];
    for (int r = 0; r < m; r++) {
      int src = indices[from + r];
      System.arraycopy(features, src * featureCount, x, r * featureCount, featureCount);
      y[r] = labels[src];
    }
    return new Dataset(m, featureCount, x, y, classCount);
  }

  /** Writes one-hot rows for items {@code [from, from + rows)} into {@code out} ({@code rows × width}). */
  public void oneHot(int from, int rows, int width, double[] out) {
    java.util.Arrays.fill(out, 0, rows * width, 0.0);
    for (int r = 0; r < rows; r++) out[r * width + labels[from + r]] = 1.0;
  }
}
