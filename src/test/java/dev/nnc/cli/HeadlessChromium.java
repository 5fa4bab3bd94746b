package dev.nnc.cli;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A headless Chromium driven over the DevTools protocol with the JDK's own WebSocket client (no driver library):
 * one page, JavaScript evaluation, real mouse clicks, screenshots of a region, and every console error, uncaught
 * exception and error log entry the page produced. Test code only.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 60;

  private final Process process;
  private final WebSocket socket;
  private final String session;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();
  private final List<String> errors = new ArrayList<>();
  private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

  /** The Chromium binary: {@code -Dnnc.chromium=PATH}, else the first of the usual names on the PATH; or null. */
  static Path binary() {
    String given = System.getProperty("nnc.chromium");
    if (given != null && !given.isBlank()) return Files.isExecutable(Path.of(given)) ? Path.of(given) : null;
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
      for (String dir : path.split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) return p;
      }
    }
    return null;
  }

  /** Starts Chromium with a fresh profile in {@code profile} and attaches to one blank page of the given size. */
  static HeadlessChromium start(Path binary, Path profile, int width, int height) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-port=0",
        "--window-size=" + width + "," + height, "about:blank");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process = pb.start();
    CompletableFuture<String> endpoint = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          int at = line.indexOf("ws://");
          if (line.startsWith("DevTools listening on") && at >= 0) endpoint.complete(line.substring(at).strip());
        }
        endpoint.completeExceptionally(new IOException("Chromium exited without a DevTools endpoint"));
      } catch (IOException e) {
        endpoint.completeExceptionally(e);
      }
    }, "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    try {
      String ws = endpoint.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new HeadlessChromium(process, ws, width, height);
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private HeadlessChromium(Process process, String browserEndpoint, int width, int height) throws Exception {
    this.process = process;
    this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create(browserEndpoint), new Listener()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Object target = call(null, "Target.createTarget", "{\"url\":\"about:blank\"}");
    String targetId = (String) Json.get(target, "targetId");
    Object attached = call(null, "Target.attachToTarget", "{\"targetId\":" + Json.quote(targetId) + ",\"flatten\":true}");
    this.session = (String) Json.get(attached, "sessionId");
    send("Runtime.enable", "{}");
    send("Log.enable", "{}");
    send("Page.enable", "{}");
    send("Emulation.setDeviceMetricsOverride", "{\"width\":" + width + ",\"height\":" + height
        + ",\"deviceScaleFactor\":1,\"mobile\":false}");
  }

  /** Loads {@code url} and waits for its load event. */
  void navigate(String url) throws Exception {
    loaded = new CompletableFuture<>();
    Object r = send("Page.navigate", "{\"url\":" + Json.quote(url) + "}");
    if (Json.get(r, "errorText") != null) throw new IOException("cannot load " + url + ": " + Json.get(r, "errorText"));
    loaded.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** The value of a JavaScript expression (JSON-like values only). */
  Object eval(String expression) throws Exception {
    Object r = send("Runtime.evaluate", "{\"expression\":" + Json.quote(expression)
        + ",\"returnByValue\":true,\"awaitPromise\":true}");
    if (Json.get(r, "exceptionDetails") != null) {
      throw new IllegalStateException("script failed: " + Json.get(r, "exceptionDetails", "exception", "description"));
    }
    return Json.get(r, "result", "value");
  }

  /** A real left click (mouse pressed and released) at viewport coordinates. */
  void click(double x, double y) throws Exception {
    String at = String.format(Locale.ROOT, "\"x\":%.1f,\"y\":%.1f,\"button\":\"left\",\"clickCount\":1", x, y);
    send("Input.dispatchMouseEvent", "{\"type\":\"mouseMoved\"," + at + "}");
    send("Input.dispatchMouseEvent", "{\"type\":\"mousePressed\"," + at + "}");
    send("Input.dispatchMouseEvent", "{\"type\":\"mouseReleased\"," + at + "}");
  }

  /** A screenshot of a region of the document (CSS pixels, document coordinates), as drawn. */
  BufferedImage screenshot(double x, double y, double width, double height) throws Exception {
    String clip = String.format(Locale.ROOT, "{\"x\":%.1f,\"y\":%.1f,\"width\":%.1f,\"height\":%.1f,\"scale\":1}", x, y,
        width, height);
    Object r = send("Page.captureScreenshot", "{\"format\":\"png\",\"captureBeyondViewport\":true,\"clip\":" + clip
        + "}");
    byte[] png = Base64.getDecoder().decode((String) Json.get(r, "data"));
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  /** The whole page, as drawn, for a picture in the docs. */
  byte[] screenshotPng() throws Exception {
    Object r = send("Page.captureScreenshot", "{\"format\":\"png\"}");
    return Base64.getDecoder().decode((String) Json.get(r, "data"));
  }

  /** Console errors, uncaught exceptions and error log entries so far. */
  synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  synchronized void clearErrors() {
    errors.clear();
  }

  private Object send(String method, String params) throws Exception {
    return call(session, method, params);
  }

  private Object call(String sessionId, String method, String params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<Object> reply = new CompletableFuture<>();
    pending.put(id, reply);
    String message = "{\"id\":" + id + (sessionId == null ? "" : ",\"sessionId\":" + Json.quote(sessionId))
        + ",\"method\":" + Json.quote(method) + ",\"params\":" + params + "}";
    synchronized (socket) {
      socket.sendText(message, true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    return reply.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private void onMessage(String text) {
    Object m = Json.parse(text);
    Object id = Json.get(m, "id");
    if (id instanceof Double d) {
      CompletableFuture<Object> reply = pending.remove(d.intValue());
      if (reply == null) return;
      if (Json.get(m, "error") != null) reply.completeExceptionally(new IOException("DevTools: " + Json.get(m, "error")));
      else reply.complete(Json.get(m, "result"));
      return;
    }
    String method = (String) Json.get(m, "method");
    if (method == null) return;
    synchronized (this) {
      switch (method) {
        case "Page.loadEventFired" -> loaded.complete(null);
        case "Runtime.exceptionThrown" -> errors.add("exception: "
            + Json.get(m, "params", "exceptionDetails", "exception", "description"));
        case "Runtime.consoleAPICalled" -> {
          Object type = Json.get(m, "params", "type");
          if ("error".equals(type) || "assert".equals(type)) errors.add("console." + type + ": " + Json.get(m, "params", "args"));
        }
        case "Log.entryAdded" -> {
          if ("error".equals(Json.get(m, "params", "entry", "level"))) {
            errors.add("log: " + Json.get(m, "params", "entry", "text") + " " + Json.get(m, "params", "entry", "url"));
          }
        }
        default -> { }
      }
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        onMessage(message);
      }
      webSocket.request(1);
      return null;
    }
  }

  @Override
  public void close() throws Exception {
    try {
      call(null, "Browser.close", "{}");
    } catch (Exception e) {
      // already gone: destroyed below
    }
    socket.abort();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
