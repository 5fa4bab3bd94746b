package dev.nnc.maven;

/** Where {@link ModelGenerator} reports: Maven's log in the plugin, a list in tests. One call per line. */
interface Reporter {
  void info(String line);

  void warn(String line);

  void error(String line);
}
