package dev.nnc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
  private static final String BUNDLED = "examples/data/mnist10k";

  @Test
  void bundledDigitsHaveTheDocumentedShapeCountsAndMean() throws IOException {
    Dataset d = Dataset.loadIdx(BUNDLED);
    assertEquals(10_000, d.size());
    assertEquals(784, d.featureCount());
    assertEquals(10, d.classCount());
    int[] counts = new int[10];
    for (int label : d.labels()) counts[label]++;
    assertArrayEquals(new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, counts);
    // The file is sorted by digit (documented in examples/data/README.md): zeros first, nines last.
    assertEquals(0, d.labels()[0]);
    assertEquals(9, d.labels()[9999]);
    double sum = 0;
    double max = 0;
    for (double v : d.features()) {
      sum += v;
      max = Math.max(max, v);
    }
    assertEquals(0.1311, sum / d.features().length, 5e-5);
    assertEquals(1.0, max); // pixels are scaled by 1/255, and 255 occurs
  }

  @Test
  void plainAndGzipFilesReadTheSame() throws IOException {
    byte[] plain = idx(0x08, new int[] {2, 3}, new byte[] {0, 1, 2, (byte) 253, (byte) 254, (byte) 255});
    Idx.Array a = Idx.parse("plain", plain);
    Idx.Array b = Idx.parse("gz", gzip(plain));
    assertArrayEquals(new int[] {2, 3}, a.dims());
    assertArrayEquals(new double[] {0, 1, 2, 253, 254, 255}, a.values());
    assertArrayEquals(a.values(), b.values());
    assertEquals(3, a.itemSize());
  }

  @Test
  void widerTypesAreBigEndian() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(body);
    out.writeInt(-7);
    out.writeInt(1 << 20);
    assertArrayEquals(new double[] {-7, 1 << 20}, Idx.parse("ints", idx(0x0C, new int[] {2}, body.toByteArray())).values());
    body.reset();
    out.writeDouble(0.25);
    assertArrayEquals(new double[] {0.25}, Idx.parse("doubles", idx(0x0E, new int[] {1}, body.toByteArray())).values());
  }

  @Test
  void malformedFilesGiveClearMessages() {
    assertMessage("x: not an IDX file: the magic number starts with 0x50 0x4b, expected 0x00 0x00",
        new byte[] {0x50, 0x4b, 3, 4, 0, 0, 0, 0});
    assertMessage("x: not an IDX file: shorter than the 4-byte magic number", new byte[] {0, 0});
    assertMessage("x: unknown IDX element type 0x07", new byte[] {0, 0, 7, 1, 0, 0, 0, 1, 5});
    assertMessage("x: IDX rank 0 is not supported", new byte[] {0, 0, 8, 0});
    assertMessage("x: IDX dimension 1 is -1, not positive", idx(0x08, new int[] {-1}, new byte[0]));
    assertMessage("x: truncated file", idx(0x08, new int[] {3}, new byte[] {1, 2}));
    assertMessage("x: 2 elements of shape [2] are followed by extra bytes", idx(0x08, new int[] {2}, new byte[] {1, 2, 3}));
  }

  @Test
  void truncatedGzipIsReportedAsSuch() throws IOException {
    byte[] gz = gzip(idx(0x08, new int[] {1000}, new byte[1000]));
    IOException e = assertThrows(IOException.class, () -> Idx.parse("x.gz", Arrays.copyOf(gz, gz.length / 2)));
    assertTrue(e.getMessage().startsWith("x.gz: "), e.getMessage());
    assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt"), e.getMessage());
  }

  @Test
  void missingFilesAndMismatchedPairsAreReported(@TempDir Path dir) throws IOException {
    String prefix = dir.resolve("d").toString();
    IOException missing = assertThrows(IOException.class, () -> Dataset.loadIdx(prefix));
    assertTrue(missing.getMessage().contains("no data file: tried " + prefix + "-images-idx3-ubyte.gz"), missing.getMessage());

    Files.write(Path.of(prefix + "-images-idx3-ubyte"), idx(0x08, new int[] {3, 2, 2}, new byte[12]));
    Files.write(Path.of(prefix + "-labels-idx1-ubyte.gz"), gzip(idx(0x08, new int[] {2}, new byte[] {0, 1})));
    IOException mismatch = assertThrows(IOException.class, () -> Dataset.loadIdx(prefix));
    assertTrue(mismatch.getMessage().endsWith("2 labels for 3 images in " + prefix + "-images-idx3-ubyte"),
        mismatch.getMessage());

    Files.write(Path.of(prefix + "-labels-idx1-ubyte.gz"), gzip(idx(0x08, new int[] {3}, new byte[] {0, 4, 1})));
    Dataset ok = Dataset.loadIdx(prefix);
    assertEquals(3, ok.size());
    assertEquals(4, ok.featureCount());
    assertEquals(5, ok.classCount());
  }

  private static void assertMessage(String prefix, byte[] bytes) {
    IOException e = assertThrows(IOException.class, () -> Idx.parse("x", bytes));
    assertTrue(e.getMessage().startsWith(prefix), () -> "got: " + e.getMessage());
  }

  static byte[] idx(int type, int[] dims, byte[] body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(new byte[] {0, 0, (byte) type, (byte) dims.length});
      for (int d : dims) out.writeInt(d);
      out.write(body);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }

  static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(plain);
    }
    return bytes.toByteArray();
  }
}
