#!/usr/bin/env python3
"""What javac costs per construct (issue 11): synthetic classes shaped like nnc's long classes, timed.

Each construct is a file of N statements (default 20,000) over 2·N double fields of one class, the statements in
methods of 60 inside inner classes of 10 methods, as nnc lays out a long model's parts (PartGroups). Every file is
compiled by `javac -J-XX:TieredStopAtLevel=1 -J-Xss64m --release 11` (the benchmark's javac), the constructs
interleaved, ROUNDS rounds; the CPU time printed is the child's user + system time.

    python3 bench/javac-constructs.py                 # every construct, 20,000 statements, 2 rounds
    python3 bench/javac-constructs.py 20000 3 op7 call7

On a shared machine compare CPU times within one round (interleaved), and quote the load average.
"""
import os
import resource
import subprocess
import sys
import tempfile
import time

PER_METHOD = 60
METHODS_PER_CLASS = 10

# name -> (statement for index i, or None for the multi-link forms, description)
CONSTRUCTS = {
    "assign": "a_i = b_{i-1} (no operation)",
    "op1": "a_i = a_{i-1} * b_{i-1} (1 operation)",
    "op2": "a_i = p1 * a_{i-1} + p2 (2 operations)",
    "op3": "a_i = a_{i-1} * (1.0 - b_{i-1} * b_{i-1}) (3 operations)",
    "sq": "a_i = a_{i-1} * (1.0 - sq(b_{i-1})) (2 operations and a call)",
    "op7": "a_i = (p0 * b + a * p1 + p2) * (1.0 - b * b) (7 operations, one jvp link)",
    "op7_loc": "op7 over locals of the method instead of fields",
    "op7_outer": "op7 in methods of the class itself instead of inner classes",
    "call1": "a_i = id(a_{i-1}) (a call, 1 argument)",
    "call3": "a_i = h3(a, b): op3's expression in a private static method",
    "call7": "a_i = h7(a, b, p1, b, p0, p2): op7's expression in a private static method",
    "tanh": "a_i = Math.tanh(p1 * a_{i-1} + p2)",
    "ftanh": "a_i = f3(p1, a_{i-1}, p2): tanh's statement in a private static method",
    "deep21": "N/3 statements of 21 operations (three op7 links nested, as nnc's jvp)",
    "call21": "deep21's expression in a private static method of 13 parameters",
}

HELPERS = """\
  private static double id(double x) { return x; }
  private static double sq(double x) { return x * x; }
  private static double h3(double d, double v) { return d * (1.0 - v * v); }
  private static double h7(double dv, double vp, double w, double v, double wd, double bd) {
    return (wd * vp + dv * w + bd) * (1.0 - v * v);
  }
  private static double f3(double w, double v, double b) { return Math.tanh(w * v + b); }
  private static double h21(double a, double b0, double b1, double b2, double p0, double p1, double p2, double p3,
      double p4, double p5, double p6, double p7, double p8) {
    return (p0 * b2 + (p1 * b1 + (p2 * b0 + a * p3 + p4) * (1.0 - b0 * b0) * p5 + p6) * (1.0 - b1 * b1) * p7 + p8)
        * (1.0 - b2 * b2);
  }
"""


def statement(c, i):
    a, b, ap, bp = f"a{i}", f"b{i}", f"a{i-1}", f"b{i-1}"
    return {
        "assign": f"{a} = {bp};",
        "op1": f"{a} = {ap} * {bp};",
        "op2": f"{a} = p1 * {ap} + p2;",
        "op3": f"{a} = {ap} * (1.0 - {bp} * {bp});",
        "sq": f"{a} = {ap} * (1.0 - sq({bp}));",
        "op7": f"{a} = (p0 * {bp} + {ap} * p1 + p2) * (1.0 - {bp} * {bp});",
        "call1": f"{a} = id({ap});",
        "call3": f"{a} = h3({ap}, {bp});",
        "call7": f"{a} = h7({ap}, {bp}, p1, {bp}, p0, p2);",
        "tanh": f"{a} = Math.tanh(p1 * {ap} + p2);",
        "ftanh": f"{a} = f3(p1, {ap}, p2);",
    }[c.split("_")[0]]


def link(prev, b):
    return f"(p0 * {b} + {prev} * p1 + p2) * (1.0 - {b} * {b})"


def source(c, n):
    out = ["final class S {"]
    locals_ = c.endswith("_loc")
    inner = not c.endswith("_outer")
    if not locals_:
        for i in range(n + 3):
            out.append(f"  double a{i}, b{i};")
    out.append("  double p0, p1, p2, p3, q;")
    out.append(HELPERS)
    methods = (n + PER_METHOD - 1) // PER_METHOD
    for first in range(0, methods, METHODS_PER_CLASS):
        if inner:
            out.append(f"  final class P{first} {{")
        for m in range(first, min(first + METHODS_PER_CLASS, methods)):
            lo, hi = m * PER_METHOD + 1, min((m + 1) * PER_METHOD, n) + 1
            out.append(f"    void part{m}() {{")
            if locals_:
                out.append("      double " + ", ".join(f"a{i} = q, b{i} = q" for i in range(lo - 1, hi + 2)) + ";")
            if c in ("deep21", "call21"):
                for i in range(lo, hi, 3):
                    if c == "deep21":
                        e = link(link(link(f"a{i-1}", f"b{i}"), f"b{i+1}"), f"b{i+2}")
                    else:
                        e = f"h21(a{i-1}, b{i}, b{i+1}, b{i+2}, p0, p1, p2, p3, q, b{i}, p1, p2, p0)"
                    out.append(f"      a{i+2} = {e};")
            else:
                for i in range(lo, hi):
                    out.append("      " + statement(c, i))
            if locals_:
                out.append(f"      q = a{hi-1};")
            out.append("    }")
        if inner:
            out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def main():
    args = sys.argv[1:]
    n = int(args[0]) if args else 20000
    rounds = int(args[1]) if len(args) > 1 else 2
    chosen = args[2:] or list(CONSTRUCTS)
    work = tempfile.mkdtemp(prefix="javac-constructs-")
    for c in chosen:
        os.makedirs(f"{work}/{c}/classes")
        with open(f"{work}/{c}/S.java", "w") as f:
            f.write(source(c, n))
    print(f"{n} statements per file; javac -J-XX:TieredStopAtLevel=1 -J-Xss64m --release 11; CPU = user + sys")
    for r in range(1, rounds + 1):
        for c in chosen:
            load = open("/proc/loadavg").read().split()[0]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.time()
            subprocess.run(["javac", "-J-XX:TieredStopAtLevel=1", "-J-Xss64m", "--release", "11",
                            "-d", f"{work}/{c}/classes", f"{work}/{c}/S.java"], check=True)
            wall = time.time() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            print(f"round {r}  load {load:>5}  {c:<10} wall {wall:5.2f} s  CPU {cpu:5.2f} s   {CONSTRUCTS[c]}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
