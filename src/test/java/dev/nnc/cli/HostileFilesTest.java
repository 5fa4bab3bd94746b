package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.CompileCommandTest.Run;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 items 7 and 8: hostile input paths and output folders. {@code nnc check /dev/zero} ended in an
 * OutOfMemoryError stack trace; {@code compile -d missing/../../out} created a folder and wrote nothing. Each is now
 * one diagnostic with a code, exit status 1 or 2, and nothing created.
 */
class HostileFilesTest {
  private static Run nnc(String... args) {
    return CompileCommandTest.nnc(args);
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void devZeroIsRefusedBeforeReading() {
    long before = System.nanoTime();
    Run r = nnc("check", "/dev/zero");
    assertEquals(1, r.status(), r.err());
    assertEquals("/dev/zero: error: [E0926] is not a regular file (a device, a pipe or a socket); nnc reads only files\n",
        r.err());
    assertTrue(System.nanoTime() - before < 60_000_000_000L, "answered without reading the device");
  }

  @Test
  void aDirectoryIsRefused(@TempDir Path dir) {
    Run r = nnc("check", dir.toString());
    assertEquals(1, r.status());
    assertEquals(dir + ": error: [E0926] is a directory, not a .nn file\n", r.err());
  }

  @Test
  void aFileOverTheCapIsRefusedBeforeReading(@TempDir Path dir) throws IOException {
    Path big = dir.resolve("big.nn");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(2L << 30); // 2 GiB, sparse: reading it whole would exhaust the test JVM's heap
    }
    Run r = nnc("compile", big.toString(), "-d", dir.resolve("out").toString());
    assertEquals(1, r.status());
    assertEquals(big + ": error: [E0925] is 2048 MiB, over the 16 MiB a .nn file may have; split the model into several "
        + "files\n", r.err());
    assertFalse(Files.exists(dir.resolve("out")));
    Path justOver = dir.resolve("over.nn");
    try (RandomAccessFile f = new RandomAccessFile(justOver.toFile(), "rw")) {
      f.setLength((16L << 20) + 1);
    }
    assertTrue(nnc("check", justOver.toString()).err().contains("[E0925] is 16,777,217 bytes, over the 16 MiB"));
  }

  @Test
  void dotDotAfterAMissingFolderIsRefusedAndNothingIsCreated(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("m.nn");
    Files.writeString(model, "input x\nparam w\nL = (w x)²\n", StandardCharsets.UTF_8);
    Path base = dir.resolve("a/b");
    Files.createDirectories(base);
    String out = base.resolve("missing/../../out").toString();
    Run r = nnc("compile", model.toString(), "-d", out);
    assertEquals(2, r.status(), r.out());
    assertTrue(r.err().startsWith("error: [E0927] -d " + out + ": '" + base.resolve("missing")
        + "' does not exist, so the '..' after it leads nowhere"), r.err());
    assertFalse(Files.exists(base.resolve("missing")));
    assertFalse(Files.exists(dir.resolve("a/out")));
    assertEquals("", r.out());
  }

  @Test
  void aFileInTheWayOfTheOutputFolderIsRefused(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("m.nn");
    Files.writeString(model, "input x\nparam w\nL = (w x)²\n", StandardCharsets.UTF_8);
    Run r = nnc("compile", model.toString(), "-d", model.resolve("sub").toString());
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("error: [E0927] -d " + model.resolve("sub") + ": '" + model + "' is a file, not a folder"),
        r.err());
    // An existing folder with '..' in the path still works.
    Files.createDirectories(dir.resolve("x"));
    Run ok = nnc("compile", model.toString(), "-d", dir.resolve("x/../y").toString());
    assertEquals(0, ok.status(), ok.err());
    assertTrue(Files.exists(dir.resolve("y/M.java")));
  }
}
