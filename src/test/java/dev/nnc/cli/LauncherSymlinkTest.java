package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: {@code ./nnc} run through a symlink looked for its jar next to the link and failed to build. The real
 * launcher script is copied into a throwaway repository whose jar is a stand-in that echoes its arguments (and is
 * newer than the sources, so the launcher does not build), then run through a relative symlink and a chain of two.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class LauncherSymlinkTest {
  @Test
  void theLauncherFindsItsRepositoryThroughSymlinks(@TempDir Path dir) throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo.resolve("grammar"));
    Files.createDirectories(repo.resolve("src/main"));
    Files.writeString(repo.resolve("pom.xml"), "<project/>\n");
    Path script = repo.resolve("nnc");
    Files.copy(Path.of("nnc"), script);
    script.toFile().setExecutable(true);
    Path jar = repo.resolve("target/nnc-0.1.0-SNAPSHOT.jar");
    echoJar(dir.resolve("classes"), jar);
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
    for (Path p : new Path[] {repo.resolve("pom.xml"), repo.resolve("grammar"), repo.resolve("src/main")}) {
      Files.setLastModifiedTime(p, old);
    }
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("nnc"), Path.of("../repo/nnc"));
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.createSymbolicLink(other.resolve("n"), bin.resolve("nnc"));

    assertEquals("echo: check m.nn\n", run(script, dir));
    assertEquals("echo: check m.nn\n", run(bin.resolve("nnc"), dir));
    assertEquals("echo: check m.nn\n", run(other.resolve("n"), other));
    assertEquals(false, Files.exists(bin.resolve("target")), "nothing built next to the link");
  }

  private static String run(Path launcher, Path workDir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(launcher.toString(), "check", "m.nn").directory(workDir.toFile())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  /** A jar whose main class prints "echo:" and its arguments: enough to see which jar the launcher started. */
  private static void echoJar(Path classes, Path jar) throws IOException {
    Path src = Files.createDirectories(classes).resolve("Echo.java");
    Files.writeString(src, "public class Echo { public static void main(String[] a) {"
        + " System.out.println(\"echo: \" + String.join(\" \", a)); } }\n");
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString());
    assertEquals(0, status);
    Files.createDirectories(jar.getParent());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Echo");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry("Echo.class"));
      out.write(Files.readAllBytes(classes.resolve("Echo.class")));
      out.closeEntry();
    }
  }
}
