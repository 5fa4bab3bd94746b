package dev.nnc.examples.spark;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The bundled MNIST digits (examples/data, IDX format, gzip): pixels scaled to [0, 1], labels 0–9. */
record Digits(double[][] pixels, int[] labels) {
  static final int PIXELS = 28 * 28;

  /** Reads {@code PREFIX-images-idx3-ubyte.gz} and {@code PREFIX-labels-idx1-ubyte.gz}. */
  static Digits read(String prefix) throws IOException {
    int[] labels;
    try (DataInputStream in = open(prefix + "-labels-idx1-ubyte.gz", 2049)) {
      labels = new int[in.readInt()];
      for (int i = 0; i < labels.length; i++) labels[i] = in.readUnsignedByte();
    }
    double[][] pixels;
    try (DataInputStream in = open(prefix + "-images-idx3-ubyte.gz", 2051)) {
      int n = in.readInt();
      if (in.readInt() * in.readInt() != PIXELS || n != labels.length) throw new IOException(prefix + ": not 28×28 digits with one label each");
      pixels = new double[n][PIXELS];
      byte[] row = new byte[PIXELS];
      for (double[] p : pixels) {
        in.readFully(row);
        for (int j = 0; j < PIXELS; j++) p[j] = (row[j] & 0xff) / 255.0;
      }
    }
    return new Digits(pixels, labels);
  }

  private static DataInputStream open(String file, int magic) throws IOException {
    InputStream raw = Files.newInputStream(Path.of(file));
    DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16));
    if (in.readInt() != magic) {
      in.close();
      throw new IOException(file + ": not an IDX file with magic number " + magic);
    }
    return in;
  }

  int size() {
    return labels.length;
  }
}
