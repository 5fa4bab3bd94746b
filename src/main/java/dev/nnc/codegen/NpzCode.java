package dev.nnc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.nnc.ir.Dim;
import dev.nnc.ir.ModelIR;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Saving and loading the params in NumPy's {@code .npz} format, written into the generated class so that it stays
 * JDK-only: a zip of one {@code NAME.npy} per param, named as in the model, stored (not deflated) as
 * {@code numpy.savez} writes it, with fixed entry times so the same params give the same bytes. Loading reads every
 * entry first, checks names, dtypes ({@code <f8}, or {@code <f4} widened) and shapes, and changes no param unless
 * all are right; each message names the param and what is wrong.
 *
 * <p>The per-param parts ({@code npzName}, {@code npzShape}) are switches on the param's index; the values go through
 * the flat views ({@code paramsTo}, {@code paramsFrom}); the format itself is a few private static methods, the same
 * in every class.
 */
final class NpzCode {
  /** Cases per switch method before it is split into parts (the JVM refuses methods over 64 KB of bytecode). */
  static final int SPLIT = 200;

  private static final ClassName IO_EXCEPTION = ClassName.get("java.io", "IOException");
  private static final ClassName INPUT = ClassName.get("java.io", "InputStream");
  private static final ClassName OUTPUT = ClassName.get("java.io", "OutputStream");
  private static final ClassName PATH = ClassName.get("java.nio.file", "Path");

  private final Plan p;
  private final List<MethodSpec> methods = new ArrayList<>();
  private final List<ModelIR.Leaf> params;

  private NpzCode(Plan p) {
    this.p = p;
    this.params = p.model.params();
  }

  static List<MethodSpec> methods(Plan p) {
    NpzCode c = new NpzCode(p);
    c.build();
    return c.methods;
  }

  private void build() {
    int n = params.size();
    String names = names();
    Precision real = p.precision;
    methods.add(MethodSpec.methodBuilder("saveNpz").addModifiers(Modifier.PUBLIC)
        .addParameter(OUTPUT, "out").addException(IO_EXCEPTION)
        .addJavadoc("$L", "Writes every param to {@code out} as a NumPy {@code .npz} file: one {@code " + real.npyDescr()
            + "} array per "
            + "param, named as in\nthe model (" + JavaText.javadocLine(names) + "), with the param's shape; "
            + "{@code numpy.load} reads it. The stream is\nfinished but not closed.\n"
            + "@param out where the file's bytes go\n@throws IOException if writing fails\n")
        .addCode("$L", "java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out);\n"
            + real.java() + "[] flat = new " + real.java() + "[paramCount()];\n"
            + "paramsTo(flat);\n"
            + "for (int k = 0, offset = 0; k < " + n + "; k++) {\n"
            + "  int[] shape = npzShape(k);\n"
            + "  byte[] bytes = npyBytes(shape, flat, offset);\n"
            + "  offset += npySize(shape);\n"
            + "  java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry(npzName(k) + \".npy\");\n"
            + "  entry.setMethod(java.util.zip.ZipEntry.STORED);\n"
            + "  entry.setSize(bytes.length);\n"
            + "  entry.setCompressedSize(bytes.length);\n"
            + "  java.util.zip.CRC32 crc = new java.util.zip.CRC32();\n"
            + "  crc.update(bytes, 0, bytes.length);\n"
            + "  entry.setCrc(crc.getValue());\n"
            + "  entry.setTimeLocal(java.time.LocalDateTime.of(1980, 1, 1, 0, 0)); // fixed: same params, same bytes\n"
            + "  zip.putNextEntry(entry);\n"
            + "  zip.write(bytes);\n"
            + "  zip.closeEntry();\n"
            + "}\n"
            + "zip.finish();\n")
        .build());
    methods.add(MethodSpec.methodBuilder("saveNpz").addModifiers(Modifier.PUBLIC)
        .addParameter(PATH, "file").addException(IO_EXCEPTION)
        .addJavadoc("$L", "Writes every param to a NumPy {@code .npz} file (see {@link #saveNpz(java.io.OutputStream)}).\n"
            + "@param file the file, created or replaced\n@throws IOException if writing fails\n")
        .addCode("$L", "try (java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file))) {\n"
            + "  saveNpz(out);\n}\n")
        .build());
    methods.add(MethodSpec.methodBuilder("loadNpz").addModifiers(Modifier.PUBLIC)
        .addParameter(INPUT, "in").addException(IO_EXCEPTION)
        .addJavadoc("$L", "Sets every param from a NumPy {@code .npz} file (as {@code numpy.savez} writes it): it must "
            + "hold exactly one\narray per param, named as in the model (" + JavaText.javadocLine(names) + "), "
            + "C-ordered, of the param's shape and of dtype\nfloat64 ({@code <f8}"
            + (real.isFloat() ? ", rounded to the nearest float" : "") + ") or float32 ({@code <f4}"
            + (real.isFloat() ? "" : ", widened exactly") + "). Nothing changes unless every array is right.\n"
            + "@param in the file's bytes (read to the end, not closed)\n"
            + "@throws IOException naming the param and what is wrong (missing, unknown, shape, dtype, order), or if "
            + "reading fails\n")
        .addCode("$L", "java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(in);\n"
            + "byte[][] raw = new byte[" + n + "][];\n"
            + "for (java.util.zip.ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {\n"
            + "  String name = e.getName();\n"
            + "  if (name.endsWith(\".npy\")) name = name.substring(0, name.length() - 4);\n"
            + "  int k = " + n + " - 1;\n"
            + "  while (k >= 0 && !npzName(k).equals(name)) k--;\n"
            + "  if (k < 0) {\n"
            + "    throw new java.io.IOException(\"the .npz file has an array '\" + name + \"' that is not a param of "
            + "this model (its params: \" + " + JavaText.string(names) + " + \")\");\n"
            + "  }\n"
            + "  if (raw[k] != null) throw new java.io.IOException(\"the .npz file has param '\" + name + \"' twice\");\n"
            + "  raw[k] = zip.readAllBytes();\n"
            + "}\n"
            + real.java() + "[][] values = new " + real.java() + "[" + n + "][];\n"
            + "for (int k = 0; k < " + n + "; k++) {\n"
            + "  if (raw[k] == null) {\n"
            + "    throw new java.io.IOException(\"the .npz file has no array for param '\" + npzName(k) + \"' (\" + "
            + "npzName(k) + \".npy)\");\n"
            + "  }\n"
            + "  values[k] = npyValues(raw[k], npzName(k), npzShape(k));\n"
            + "}\n"
            + real.java() + "[] flat = new " + real.java() + "[paramCount()];\n"
            + "for (int k = 0, offset = 0; k < " + n + "; k++) {\n"
            + "  System.arraycopy(values[k], 0, flat, offset, values[k].length);\n"
            + "  offset += values[k].length;\n"
            + "}\n"
            + "paramsFrom(flat);\n")
        .build());
    methods.add(MethodSpec.methodBuilder("loadNpz").addModifiers(Modifier.PUBLIC)
        .addParameter(PATH, "file").addException(IO_EXCEPTION)
        .addJavadoc("$L", "Sets every param from a NumPy {@code .npz} file (see {@link #loadNpz(java.io.InputStream)}).\n"
            + "@param file the file\n@throws IOException naming the param and what is wrong, or if reading fails\n")
        .addCode("$L", "try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {\n"
            + "  loadNpz(new java.io.BufferedInputStream(in));\n}\n")
        .build());

    List<String> nameCases = new ArrayList<>();
    List<String> shapeCases = new ArrayList<>();
    for (ModelIR.Leaf l : params) {
      nameCases.add("return " + JavaText.string(l.name()) + ";");
      List<String> dims = new ArrayList<>();
      for (Dim d : l.var().shape().dims()) dims.add(p.dim(d));
      shapeCases.add("return new int[] {" + String.join(", ", dims) + "};");
    }
    switchMethod("npzName", TypeName.get(String.class), "", "The model name of param k.\n", nameCases, true);
    switchMethod("npzShape", TypeName.get(int[].class), "", "The shape of param k.\n", shapeCases, false);
    methods.addAll(format(real));
  }

  private String names() {
    List<String> out = new ArrayList<>();
    for (ModelIR.Leaf l : params) out.add(l.name());
    String all = String.join(", ", out);
    return all.length() > 300 ? all.substring(0, 300) + "…" : all;
  }

  /** {@code switch (k)} over the params' cases, split into parts of {@link #SPLIT} cases for large models. */
  private void switchMethod(String name, TypeName type, String extraParam, String doc, List<String> cases,
      boolean isStatic) {
    String params = "int k" + (extraParam.isEmpty() ? "" : ", " + extraParam);
    String args = "k" + (extraParam.isEmpty() ? "" : ", " + extraParam.substring(extraParam.lastIndexOf(' ') + 1));
    String ret = type.equals(TypeName.VOID) ? "" : "return ";
    if (cases.size() <= SPLIT) {
      methods.add(method(name, type, params, doc, switchBody(cases, 0), isStatic));
      return;
    }
    StringBuilder body = new StringBuilder();
    for (int from = 0, part = 1; from < cases.size(); from += SPLIT, part++) {
      int to = Math.min(cases.size(), from + SPLIT);
      body.append("if (k < ").append(to).append(") {\n  ").append(ret).append(name).append("Part").append(part)
          .append('(').append(args).append(");\n").append(ret.isEmpty() ? "  return;\n" : "").append("}\n");
      methods.add(method(name + "Part" + part, type, params, "Cases " + from + " to " + (to - 1) + " of " + name + ".\n",
          switchBody(cases.subList(from, to), from), isStatic));
    }
    body.append("throw new IllegalArgumentException(\"no param \" + k);\n");
    methods.add(method(name, type, params, doc, body.toString(), isStatic));
  }

  private static String switchBody(List<String> cases, int first) {
    StringBuilder b = new StringBuilder("switch (k) {\n");
    for (int k = 0; k < cases.size(); k++) {
      b.append("  case ").append(first + k).append(":\n");
      for (String line : cases.get(k).split("\n")) b.append("    ").append(line).append('\n');
    }
    b.append("  default:\n    throw new IllegalArgumentException(\"no param \" + k);\n}\n");
    return b.toString();
  }

  private static MethodSpec method(String name, TypeName type, String params, String doc, String body,
      boolean isStatic) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE).returns(type)
        .addJavadoc("$L", doc).addCode("$L", body);
    if (isStatic) m.addModifiers(Modifier.STATIC);
    for (String param : params.split(", ")) {
      String[] parts = param.split(" ");
      m.addParameter(parts[0].equals("int") ? TypeName.INT : TypeName.get(parts[0].startsWith("float") ? float[].class
          : double[].class), parts[1]);
    }
    return m.build();
  }

  /** The .npy format (version 1.0 written; 1.0, 2.0 and 3.0 read), the same in every generated class. */
  private static List<MethodSpec> format(Precision real) {
    String t = real.java();
    List<MethodSpec> out = new ArrayList<>();
    out.add(MethodSpec.methodBuilder("npyBytes").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(byte[].class).addParameter(int[].class, "shape").addParameter(real.array(), "data")
        .addParameter(int.class, "from")
        .addJavadoc("$L", "One .npy file, version 1.0: magic, header length, a Python dict padded with spaces so the "
            + "data starts at a\nmultiple of 64 bytes, then data[from …] little-endian, as many values as the shape "
            + "holds.\n")
        .addCode("$L", "String header = \"{'descr': '" + real.npyDescr() + "', 'fortran_order': False, 'shape': \" + shapeText(shape) "
            + "+ \", }\";\n"
            + "int pad = 64 - (10 + header.length() + 1) % 64;\n"
            + "if (pad == 64) pad = 0;\n"
            + "StringBuilder h = new StringBuilder(header);\n"
            + "for (int i = 0; i < pad; i++) h.append(' ');\n"
            + "h.append('\\n');\n"
            + "byte[] text = h.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);\n"
            + "int n = npySize(shape);\n"
            + "java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + text.length + " + real.bytes() + " * n)\n"
            + "    .order(java.nio.ByteOrder.LITTLE_ENDIAN);\n"
            + "b.put((byte) 0x93).put((byte) 'N').put((byte) 'U').put((byte) 'M').put((byte) 'P').put((byte) 'Y');\n"
            + "b.put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);\n"
            + "for (int i = 0; i < n; i++) b." + (real.isFloat() ? "putFloat" : "putDouble") + "(data[from + i]);\n"
            + "return b.array();\n")
        .build());
    out.add(MethodSpec.methodBuilder("npySize").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(int.class).addParameter(int[].class, "shape")
        .addJavadoc("$L", "The number of values of an array of this shape (1 for a scalar).\n")
        .addCode("$L", "int n = 1;\nfor (int d : shape) n *= d;\nreturn n;\n")
        .build());
    out.add(MethodSpec.methodBuilder("shapeText").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(String.class).addParameter(int[].class, "shape")
        .addJavadoc("$L", "A shape as Python writes a tuple: {@code ()}, {@code (3,)}, {@code (3, 4)}.\n")
        .addCode("$L", "StringBuilder s = new StringBuilder(\"(\");\n"
            + "for (int i = 0; i < shape.length; i++) s.append(i == 0 ? \"\" : \", \").append(shape[i]);\n"
            + "return s.append(shape.length == 1 ? \",)\" : \")\").toString();\n")
        .build());
    out.add(MethodSpec.methodBuilder("npyField").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(String.class).addParameter(String.class, "header").addParameter(String.class, "key")
        .addJavadoc("$L", "The text of one value of a .npy header dict ({@code '<f8'} → {@code <f8}, "
            + "{@code (3, 4)} → {@code (3, 4)}), or null.\n")
        .addCode("$L", "int at = header.indexOf(\"'\" + key + \"'\");\n"
            + "if (at < 0) return null;\n"
            + "int from = header.indexOf(':', at) + 1;\n"
            + "while (from < header.length() && header.charAt(from) == ' ') from++;\n"
            + "if (from >= header.length()) return null;\n"
            + "char c = header.charAt(from);\n"
            + "if (c == '\\'' || c == '\"') {\n"
            + "  int end = header.indexOf(c, from + 1);\n"
            + "  return end < 0 ? null : header.substring(from + 1, end);\n"
            + "}\n"
            + "int end = c == '(' ? header.indexOf(')', from) + 1 : from;\n"
            + "if (c != '(') while (end < header.length() && header.charAt(end) != ',' && header.charAt(end) != '}') end++;\n"
            + "return end <= from ? null : header.substring(from, end).trim();\n")
        .build());
    out.add(MethodSpec.methodBuilder("npyValues").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(real.array()).addParameter(byte[].class, "raw").addParameter(String.class, "name")
        .addParameter(int[].class, "shape").addException(IO_EXCEPTION)
        .addJavadoc("$L", "The values of one .npy file, checked against the param's name and shape.\n")
        .addCode("$L", "String what = \"param '\" + name + \"' (\" + name + \".npy): \";\n"
            + "if (raw.length < 10 || raw[0] != (byte) 0x93 || raw[1] != 'N' || raw[2] != 'U' || raw[3] != 'M'\n"
            + "    || raw[4] != 'P' || raw[5] != 'Y') {\n"
            + "  throw new java.io.IOException(what + \"not a NumPy .npy array\");\n"
            + "}\n"
            + "int start = raw[6] == 1 ? 10 : 12;\n"
            + "if (raw[6] < 1 || raw[6] > 3 || raw.length < start) {\n"
            + "  throw new java.io.IOException(what + \"unsupported .npy version \" + raw[6]);\n"
            + "}\n"
            + "java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);\n"
            + "long headerLength = raw[6] == 1 ? (b.getShort(8) & 0xffff) : (b.getInt(8) & 0xffffffffL);\n"
            + "if (start + headerLength > raw.length) throw new java.io.IOException(what + \"truncated header\");\n"
            + "String header = new String(raw, start, (int) headerLength, raw[6] == 3\n"
            + "    ? java.nio.charset.StandardCharsets.UTF_8 : java.nio.charset.StandardCharsets.ISO_8859_1);\n"
            + "String descr = npyField(header, \"descr\");\n"
            + "int size = \"<f8\".equals(descr) ? 8 : \"<f4\".equals(descr) ? 4 : 0;\n"
            + "if (size == 0) {\n"
            + "  throw new java.io.IOException(what + \"dtype \" + descr + \" in the file; a param loads from float64 "
            + "('<f8') or float32 ('<f4')\");\n"
            + "}\n"
            + "String fileShape = npyField(header, \"shape\");\n"
            + "if (!shapeText(shape).equals(fileShape == null ? null : fileShape.replace(\" \", \"\").replace(\",\", \", \")"
            + ".replace(\", )\", \",)\"))) {\n"
            + "  throw new java.io.IOException(what + \"shape \" + fileShape + \" in the file, the model needs \" + "
            + "shapeText(shape));\n"
            + "}\n"
            + "int n = npySize(shape);\n"
            + "if (\"True\".equals(npyField(header, \"fortran_order\")) && shape.length > 1) {\n"
            + "  throw new java.io.IOException(what + \"stored in Fortran (column-major) order; save a C-ordered "
            + "array (numpy.ascontiguousarray)\");\n"
            + "}\n"
            + "int data = start + (int) headerLength;\n"
            + "if ((long) raw.length - data < (long) n * size) {\n"
            + "  throw new java.io.IOException(what + \"the file holds \" + (raw.length - data) / size + \" of its \" + n"
            + " + \" values\");\n"
            + "}\n"
            + t + "[] v = new " + t + "[n];\n"
            + "for (int i = 0; i < n; i++) v[i] = size == 8 ? " + (real.isFloat() ? "(float) " : "")
            + "b.getDouble(data + 8 * i) : b.getFloat(data + 4 * i);\n"
            + "return v;\n")
        .build());
    return out;
  }
}
