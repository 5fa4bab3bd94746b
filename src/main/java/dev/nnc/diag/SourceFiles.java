package dev.nnc.diag;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a .nn file for every front end (the CLI, the annotation processor, the Maven plugin), refusing what would
 * otherwise hang or exhaust the heap before a diagnostic could be printed: anything but a regular file
 * ({@code /dev/zero}, a FIFO, a directory) and files over {@link #MAX_BYTES}.
 */
public final class SourceFiles {
  /** 16 MiB: a 20,000-statement model is about 0.5 MB; the compiler's own limits are reached long before this. */
  public static final long MAX_BYTES = 16L << 20;

  private SourceFiles() {}

  /** A file refused before reading, with its diagnostic code; the message reads after "file: ". */
  public static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Code code;

    Refused(Code code, String message) {
      super(message);
      this.code = code;
    }

    public Code code() {
      return code;
    }
  }

  /**
   * The file's bytes; {@link Refused} ({@link Code#NOT_A_REGULAR_FILE}, {@link Code#FILE_TOO_LARGE}) before reading
   * anything that is not a regular file or is over {@link #MAX_BYTES}, and if it grows past the cap while being read.
   */
  public static byte[] read(Path file) throws IOException {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new Refused(Code.NOT_A_REGULAR_FILE, Files.isDirectory(file)
          ? "is a directory, not a .nn file" : "is not a regular file (a device, a pipe or a socket); nnc reads only files");
    }
    long size = Files.size(file); // NoSuchFileException when missing
    if (size > MAX_BYTES) throw tooLarge(size);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) throw tooLarge(bytes.length);
      return bytes;
    }
  }

  private static Refused tooLarge(long size) {
    return new Refused(Code.FILE_TOO_LARGE, "is " + mib(size) + ", over the " + mib(MAX_BYTES)
        + " a .nn file may have; split the model into several files");
  }

  private static String mib(long bytes) {
    return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : String.format(java.util.Locale.ROOT, "%,d bytes", bytes);
  }
}
