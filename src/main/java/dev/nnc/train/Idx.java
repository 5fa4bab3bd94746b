package dev.nnc.train;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader for Yann LeCun's IDX format (the MNIST files): two zero bytes, a type byte, a rank byte, one big-endian
 * int per dimension, then the elements big-endian in row-major order. Gzip-compressed files are recognised by
 * their own magic bytes (not by the file name), so {@code .gz} and plain files both work.
 *
 * <p>Every way a file can be wrong ends in an {@link IdxException} whose message names the file and what was
 * expected, never in an index-out-of-bounds or a silent truncation.
 */
public final class Idx {
  /** Element types by their IDX type byte. */
  public enum Type {
    UNSIGNED_BYTE(0x08, 1),
    SIGNED_BYTE(0x09, 1),
    SHORT(0x0B, 2),
    INT(0x0C, 4),
    FLOAT(0x0D, 4),
    DOUBLE(0x0E, 8);

    final int code;
    final int bytes;

    Type(int code, int bytes) {
      this.code = code;
      this.bytes = bytes;
    }

    static Type of(int code) {
      for (Type t : values()) if (t.code == code) return t;
      return null;
    }
  }

  /** A file's content: element type, dimensions, and the elements as doubles (row-major, unscaled). */
  public record Array(Type type, int[] dims, double[] values) {
    public int rank() {
      return dims.length;
    }

    /** Number of elements per item: the product of all dimensions but the first. */
    public int itemSize() {
      int n = 1;
      for (int i = 1; i < dims.length; i++) n *= dims[i];
      return n;
    }

    public String shape() {
      return Arrays.toString(dims);
    }
  }

  /** A malformed IDX file; the message starts with the file name. */
  public static final class IdxException extends IOException {
    private final String file;
    private final String detail;

    public IdxException(String file, String detail) {
      super(file + ": " + detail);
      this.file = file;
      this.detail = detail;
    }

    /** The file (or data prefix) at fault, as the user named it. */
    public String file() {
      return file;
    }

    /** What is wrong with it, without the file name. */
    public String detail() {
      return detail;
    }
  }

  private static final int MAX_RANK = 8; // IDX allows 255; MNIST uses 1 and 3. Guards absurd headers.

  private Idx() {}

  /** Reads a whole IDX file (gzip or plain). */
  public static Array read(Path file) throws IOException {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IdxException(file.toString(), "no such file");
    } catch (IOException e) {
      throw new IdxException(file.toString(), "cannot read: " + e.getMessage());
    }
    return parse(file.toString(), raw);
  }

  /** Parses the bytes of an IDX file (gzip or plain); {@code name} is used in messages. */
  public static Array parse(String name, byte[] raw) throws IOException {
    boolean gzip = raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
    InputStream in = new ByteArrayInputStream(raw);
    if (gzip) {
      try {
        in = new GZIPInputStream(in, 1 << 16);
      } catch (ZipException e) {
        throw new IdxException(name, "corrupt gzip data: " + e.getMessage());
      }
    }
    try (DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16))) {
      return parse(name, data);
    } catch (ZipException e) {
      throw new IdxException(name, "corrupt gzip data: " + e.getMessage());
    } catch (EOFException e) {
      throw new IdxException(name, "truncated" + (gzip ? " gzip stream" : " file"));
    }
  }

  private static Array parse(String name, DataInputStream in) throws IOException {
    int[] magic = new int[4];
    for (int i = 0; i < 4; i++) {
      int b = in.read();
      if (b < 0) throw new IdxException(name, "not an IDX file: shorter than the 4-byte magic number");
      magic[i] = b;
    }
    if (magic[0] != 0 || magic[1] != 0) {
      throw new IdxException(name, String.format(
          "not an IDX file: the magic number starts with 0x%02x 0x%02x, expected 0x00 0x00", magic[0], magic[1]));
    }
    Type type = Type.of(magic[2]);
    if (type == null) {
      throw new IdxException(name, String.format(
          "unknown IDX element type 0x%02x (expected 0x08 unsigned byte, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)", magic[2]));
    }
    int rank = magic[3];
    if (rank < 1 || rank > MAX_RANK) {
      throw new IdxException(name, "IDX rank " + rank + " is not supported (1 to " + MAX_RANK + ")");
    }
    int[] dims = new int[rank];
    long count = 1;
    for (int i = 0; i < rank; i++) {
      dims[i] = in.readInt();
      if (dims[i] <= 0) throw new IdxException(name, "IDX dimension " + (i + 1) + " is " + dims[i] + ", not positive");
      count *= dims[i];
      if (count > Integer.MAX_VALUE - 16) {
        throw new IdxException(name, "IDX shape " + Arrays.toString(Arrays.copyOf(dims, i + 1)) + "… is too large");
      }
    }
    double[] values = new double[(int) count];
    readValues(in, type, values);
    if (in.read() >= 0) {
      throw new IdxException(name, count + " elements of shape " + Arrays.toString(dims)
          + " are followed by extra bytes");
    }
    return new Array(type, dims, values);
  }

  private static void readValues(DataInputStream in, Type type, double[] values) throws IOException {
    switch (type) {
      case UNSIGNED_BYTE -> {
        byte[] buf = new byte[values.length];
        in.readFully(buf);
        for (int i = 0; i < buf.length; i++) values[i] = buf[i] & 0xff;
      }
      case SIGNED_BYTE -> {
        byte[] buf = new byte[values.length];
        in.readFully(buf);
        for (int i = 0; i < buf.length; i++) values[i] = buf[i];
      }
      case SHORT -> {
        for (int i = 0; i < values.length; i++) values[i] = in.readShort();
      }
      case INT -> {
        for (int i = 0; i < values.length; i++) values[i] = in.readInt();
      }
      case FLOAT -> {
        for (int i = 0; i < values.length; i++) values[i] = in.readFloat();
      }
      case DOUBLE -> {
        for (int i = 0; i < values.length; i++) values[i] = in.readDouble();
      }
    }
  }
}
