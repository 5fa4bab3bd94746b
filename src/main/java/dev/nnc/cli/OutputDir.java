package dev.nnc.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The {@code -d DIR} of {@code nnc compile}, checked before anything is created or written (issue 19 item 7:
 * {@code -d missing/../../out} used to create a folder, write nothing and say nothing useful).
 */
final class OutputDir {
  private OutputDir() {}

  /**
   * Why {@code dir} cannot hold the output, or null. Walks the path as the system will: {@code ..} after a folder that
   * does not exist cannot be followed (creating folders on the way would make {@code missing/..} exist and write
   * somewhere the user did not see coming), and every existing step must be a folder.
   */
  static String problem(Path dir) {
    Path prefix = dir.getRoot();
    for (Path part : dir) {
      Path next = prefix == null ? part : prefix.resolve(part);
      if (part.toString().equals("..") && prefix != null && !Files.isDirectory(prefix)) {
        return Files.exists(prefix) ? "'" + prefix + "' is a file, not a folder"
            : "'" + prefix + "' does not exist, so the '..' after it leads nowhere; create it first, or write the "
                + "path without '..'";
      }
      if (Files.exists(next) && !Files.isDirectory(next)) return "'" + next + "' is a file, not a folder";
      prefix = next;
    }
    return null;
  }

  /** A short reason for an I/O failure: Java's messages for these are often just the path. */
  static String reason(IOException e) {
    String other = e instanceof FileSystemException f && f.getOtherFile() != null ? " (" + f.getOtherFile() + ")" : "";
    if (e instanceof AccessDeniedException) return "permission denied" + other;
    if (e instanceof NoSuchFileException) return "a folder on the way does not exist" + other;
    if (e instanceof NotDirectoryException) return "a file is in the way of a folder" + other;
    if (e instanceof FileAlreadyExistsException) return "a file is in the way of a folder" + other;
    if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason() + other;
    return e.getMessage();
  }
}
