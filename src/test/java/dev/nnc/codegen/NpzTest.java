package dev.nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.Result;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Params in and out as NumPy .npz: files written by numpy.savez (src/test/resources/realuse/make_npz.py, recorded)
 * load into the generated class; files the class writes are read back by an independent reader here (and were
 * checked with numpy.load when this test was written: see docs/codegen.md); wrong files are refused with a message
 * naming the param and the fault, and change nothing.
 */
class NpzTest {
  static final Path DIR = Path.of("src/test/resources/realuse");
  static Class<?> small;
  static Class<?> logistic;

  @BeforeAll
  static void generate() throws Exception {
    Result s = Pipeline.compile(DIR.resolve("small_net.nn"), "");
    Result l = Pipeline.compile(Path.of("examples/logistic_regression.nn"), "");
    ClassLoader loader = Javac.compile(List.of(s.files().get(0), l.files().get(0)));
    small = loader.loadClass("SmallNet");
    logistic = loader.loadClass("LogisticRegression");
  }

  /** What make_npz.py stores: sin(0.37·(k + 1) + offset) at flat index k. */
  static double[] values(int n, double offset) {
    double[] v = new double[n];
    for (int k = 0; k < n; k++) v[k] = Math.sin(0.37 * (k + 1) + offset);
    return v;
  }

  static double[] field(Object o, String name) throws Exception {
    return (double[]) o.getClass().getField(name).get(o);
  }

  static Object smallNet() throws Exception {
    return small.getConstructor(int.class).newInstance(2);
  }

  static void load(Object model, Path file) throws Throwable {
    try {
      model.getClass().getMethod("loadNpz", Path.class).invoke(model, file);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @ParameterizedTest
  @CsvSource({"small_net_f8.npz, 1e-300", "small_net_f8_compressed.npz, 1e-300", "small_net_f4.npz, 1e-7"})
  void numpyWrittenParamsLoad(String file, double tolerance) throws Throwable {
    Object m = smallNet();
    load(m, DIR.resolve(file));
    assertArrayEquals(values(30, 0), field(m, "W1"), tolerance);
    assertArrayEquals(values(5, 1), field(m, "b1"), tolerance);
    assertArrayEquals(values(15, 2), field(m, "W2"), tolerance);
    assertArrayEquals(values(3, 3), field(m, "b2"), tolerance);
    if (tolerance > 1e-300) {
      // float32 widened exactly: every value is a float, and the nearest float to the double.
      for (double v : field(m, "W1")) assertEquals(v, (double) (float) v, 0.0);
      assertEquals((double) (float) values(30, 0)[7], field(m, "W1")[7], 0.0);
    }
  }

  @Test
  void aScalarParamLoadsFromAZeroDimensionalArray() throws Throwable {
    Object m = logistic.getConstructor(int.class).newInstance(4);
    load(m, DIR.resolve("logistic_regression_f8.npz"));
    assertArrayEquals(values(4, 0.5), field(m, "w"), 0.0);
    assertEquals(0.25, logistic.getField("b").getDouble(m), 0.0);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "bad_shape.npz | param 'W1' (W1.npy): shape (5, 6) in the file, the model needs (6, 5)",
      "bad_dtype.npz | param 'b2' (b2.npy): dtype <i8 in the file; a param loads from float64 ('<f8') or float32 ('<f4')",
      "bad_fortran.npz | param 'W2' (W2.npy): stored in Fortran (column-major) order; save a C-ordered array"
          + " (numpy.ascontiguousarray)",
      "bad_extra.npz | the .npz file has an array 'W3' that is not a param of this model (its params: W1, b1, W2, b2)",
      "bad_missing.npz | the .npz file has no array for param 'b1' (b1.npy)"})
  void wrongFilesAreRefusedNamingTheParamAndChangeNothing(String file, String message) throws Throwable {
    Object m = smallNet();
    small.getMethod("initialize", long.class).invoke(m, 1L);
    double[] before = field(m, "W1").clone();
    IOException e = assertThrows(IOException.class, () -> load(m, DIR.resolve(file)));
    assertEquals(message, e.getMessage());
    assertArrayEquals(before, field(m, "W1"), 0.0);
  }

  @Test
  void savedParamsReadBackWithAnIndependentReaderAndAreDeterministic() throws Exception {
    Object m = smallNet();
    small.getMethod("initialize", long.class).invoke(m, 9L);
    byte[] bytes = save(m);
    assertArrayEquals(bytes, save(m), "the same params give the same bytes");
    Map<String, Npy> arrays = read(new ByteArrayInputStream(bytes));
    assertEquals(List.of("W1", "b1", "W2", "b2"), List.copyOf(arrays.keySet()));
    assertEquals("(6, 5)", arrays.get("W1").shape);
    assertEquals("(5,)", arrays.get("b1").shape);
    assertEquals("(3,)", arrays.get("b2").shape);
    for (String p : arrays.keySet()) assertArrayEquals(field(m, p), arrays.get(p).values, 0.0);

    Object scalar = logistic.getConstructor(int.class).newInstance(3);
    logistic.getField("b").setDouble(scalar, -1.5);
    Map<String, Npy> lr = read(new ByteArrayInputStream(save(scalar)));
    assertEquals("()", lr.get("b").shape);
    assertArrayEquals(new double[] {-1.5}, lr.get("b").values, 0.0);

    // And the class reads what it wrote.
    Object copy = smallNet();
    copy.getClass().getMethod("loadNpz", InputStream.class).invoke(copy, new ByteArrayInputStream(bytes));
    for (String p : arrays.keySet()) assertArrayEquals(field(m, p), field(copy, p), 0.0);
  }

  @Test
  void savingToAFileWritesTheSameBytes(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Object m = smallNet();
    small.getMethod("initialize", long.class).invoke(m, 9L);
    Path file = tmp.resolve("w.npz");
    small.getMethod("saveNpz", Path.class).invoke(m, file);
    assertArrayEquals(save(m), Files.readAllBytes(file));
  }

  static byte[] save(Object m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.getClass().getMethod("saveNpz", java.io.OutputStream.class).invoke(m, out);
    return out.toByteArray();
  }

  record Npy(String shape, double[] values) {}

  /** A reader written from the .npy spec (numpy.lib.format), separately from the generated one. */
  static Map<String, Npy> read(InputStream in) throws IOException {
    Map<String, Npy> out = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        assertEquals(ZipEntry.STORED, e.getMethod(), "stored, as numpy.savez writes");
        byte[] b = zip.readAllBytes();
        assertEquals("\u0093NUMPY", new String(b, 0, 6, StandardCharsets.ISO_8859_1));
        assertEquals(1, b[6]);
        int len = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + len) % 64, "data aligned to 64 bytes");
        String header = new String(b, 10, len, StandardCharsets.ISO_8859_1);
        assertTrue(header.endsWith("\n"));
        Matcher descr = Pattern.compile("'descr': '([^']*)'").matcher(header);
        Matcher shape = Pattern.compile("'shape': (\\([^)]*\\))").matcher(header);
        assertTrue(descr.find() && shape.find(), header);
        assertEquals("<f8", descr.group(1));
        assertTrue(header.contains("'fortran_order': False"));
        ByteBuffer data = ByteBuffer.wrap(b, 10 + len, b.length - 10 - len).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[(b.length - 10 - len) / 8];
        for (int k = 0; k < v.length; k++) v[k] = data.getDouble();
        String name = e.getName();
        assertTrue(name.endsWith(".npy"));
        out.put(name.substring(0, name.length() - 4), new Npy(shape.group(1), v));
      }
    }
    return out;
  }
}
