package dev.nnc.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the last successful run generated, kept in {@code target/nnc-maven-plugin/<execution>.state}: for each model
 * file (relative to the source directory) the SHA-256 of its bytes and of each Java file it produced (relative to
 * the output directory), plus a fingerprint of everything else the output depends on (the nnc jar, the package
 * setting). Content hashes, not timestamps: a checkout or a copy that touches files without changing them
 * regenerates nothing, and a generated file changed by someone else is regenerated.
 *
 * <p>The format is lines of tab-separated fields, paths last; a file that cannot be read as such counts as no
 * state (everything is regenerated).
 */
record BuildState(String fingerprint, Map<String, Entry> sources) {
  private static final String HEADER = "# nnc-maven-plugin build state: delete it to regenerate every model";

  /** One model file: its hash and the files it generated (relative path → hash). */
  record Entry(String sourceHash, Map<String, String> outputs) {
    Entry {
      outputs = Collections.unmodifiableMap(new TreeMap<>(outputs));
    }
  }

  BuildState {
    sources = Collections.unmodifiableMap(new TreeMap<>(sources));
  }

  static BuildState empty() {
    return new BuildState("", Map.of());
  }

  static BuildState read(Path file) {
    if (!Files.isRegularFile(file)) return empty();
    try {
      String fingerprint = null;
      Map<String, String> hashes = new LinkedHashMap<>();
      Map<String, Map<String, String>> outputs = new LinkedHashMap<>();
      String current = null;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isEmpty() || line.startsWith("#")) continue;
        String[] f = line.split("\t", 3);
        if (f[0].equals("fingerprint") && f.length == 2) {
          fingerprint = f[1];
        } else if (f[0].equals("source") && f.length == 3) {
          current = f[2];
          hashes.put(current, f[1]);
          outputs.put(current, new TreeMap<>());
        } else if (f[0].equals("output") && f.length == 3 && current != null) {
          outputs.get(current).put(f[2], f[1]);
        } else {
          return empty();
        }
      }
      if (fingerprint == null) return empty();
      Map<String, Entry> sources = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : hashes.entrySet()) {
        sources.put(e.getKey(), new Entry(e.getValue(), outputs.get(e.getKey())));
      }
      return new BuildState(fingerprint, sources);
    } catch (IOException | RuntimeException unreadable) {
      return empty();
    }
  }

  void write(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    lines.add("fingerprint\t" + fingerprint);
    for (Map.Entry<String, Entry> e : sources.entrySet()) {
      lines.add("source\t" + e.getValue().sourceHash() + "\t" + e.getKey());
      for (Map.Entry<String, String> o : e.getValue().outputs().entrySet()) {
        lines.add("output\t" + o.getValue() + "\t" + o.getKey());
      }
    }
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temp, lines, StandardCharsets.UTF_8);
    Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
