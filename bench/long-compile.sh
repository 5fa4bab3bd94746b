#!/usr/bin/env bash
# End-to-end compile time of a long model (issue 11): `./nnc compile` of an N-statement model, then javac of its Java,
# each timed by /usr/bin/time (wall, user and system CPU, peak RSS), with the load average before each run.
#
#   bench/long-compile.sh                 # 10,000 statements, 3 timed runs
#   bench/long-compile.sh 5000 5          # 5,000 statements, 5 runs
#   bench/long-compile.sh --print-model 10000   # only print the model (TenThousandStatementsTest checks it is its own)
#
# The model is TenThousandStatementsTest.model(n): v_k = tanh(w_{k mod 50} v_{k−1} + b), 51 params, a squared-error loss.
# One untimed run first builds the jar if the sources changed and writes the launcher's class-data archive, as a
# user's first compile would. javac runs as the launcher runs nnc's compiling commands: C1 only (a batch run of a few
# seconds spends less CPU, and on a busy machine less time, without the optimising JIT), and with its own classes
# mapped from a class-data-sharing archive that the untimed run writes (javac -J-XX:ArchiveClassesAtExit=…, as a build
# that runs javac often can keep one per JDK; the JVM ignores an archive that does not match it). JAVAC_OPTS overrides
# the options (JAVAC_OPTS="-J-XX:TieredStopAtLevel=1 -J-Xss64m" for javac without the archive).
# On a shared machine the wall times count the time other processes hold the cores: read them with the load average
# and the CPU times (user + sys).
set -euo pipefail

model() {
  local n=$1
  awk -v n="$n" 'BEGIN {
    printf "model Long {\n  input x, y\n  param b"
    for (i = 0; i < 50; i++) printf ", w%d", i
    printf "\n  v1 = tanh(w1 x + b)\n"
    for (k = 2; k < n; k++) printf "  v%d = tanh(w%d v%d + b)\n", k, k % 50, k - 1
    printf "  L = (v%d \342\210\222 y)\302\262\n}\n", n - 1
  }'
}

if [ "${1:-}" = "--print-model" ]; then
  model "${2:-10000}"
  exit 0
fi

n=${1:-10000}
runs=${2:-3}
here="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
javac_opts=(${JAVAC_OPTS:--J-XX:TieredStopAtLevel=1 -J-Xss64m -J-XX:SharedArchiveFile=$work/javac.jsa -J-Xlog:disable})
fmt='%e %U %S %M'

model "$n" > "$work/long.nn"
echo "model: $n statements ($(wc -c < "$work/long.nn") bytes); $(nproc) cores; java: $(java -version 2>&1 | head -1)"
echo "javac options: ${javac_opts[*]/$work/\$work} --release 11"
"$here/nnc" compile "$work/long.nn" -d "$work/warm" > /dev/null   # builds the jar / class-data archive if needed
mkdir -p "$work/warm-classes"   # javac's class-data archive, written at the exit of one untimed javac run
javac -J-XX:TieredStopAtLevel=1 -J-Xss64m -J-XX:ArchiveClassesAtExit="$work/javac.jsa" -J-Xlog:disable --release 11 \
  -d "$work/warm-classes" "$work"/warm/*.java

printf '%-3s %-7s | %-33s | %-33s | %s\n' run load "nnc compile: wall user sys RSS" "javac: wall user sys RSS" "end to end: wall, CPU"
for r in $(seq 1 "$runs"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  rm -rf "$work/out" "$work/classes" && mkdir -p "$work/classes"
  /usr/bin/time -f "$fmt" -o "$work/nnc.time" "$here/nnc" compile "$work/long.nn" -d "$work/out" > /dev/null
  java_file=$(ls "$work"/out/*.java)
  /usr/bin/time -f "$fmt" -o "$work/javac.time" javac "${javac_opts[@]}" --release 11 -d "$work/classes" "$java_file"
  read -r nw nu ns nm < "$work/nnc.time"
  read -r jw ju js jm < "$work/javac.time"
  printf '%-3s %-7s | %6.2f s %6.2f s %5.2f s %5d MB | %6.2f s %6.2f s %5.2f s %5d MB | %6.2f s, %6.2f s\n' \
    "$r" "$load" "$nw" "$nu" "$ns" $((nm / 1024)) "$jw" "$ju" "$js" $((jm / 1024)) \
    "$(echo "$nw + $jw" | bc)" "$(echo "$nu + $ns + $ju + $js" | bc)"
done
# scalar fields: one per declaration, or several (a long class declares its temporaries ten to a line)
echo "generated: $(wc -c < "$java_file") bytes of Java, $(grep '^  \(public\|private\) double [^=(]*;$' "$java_file" \
  | awk -F, '{n += NF} END {print n}') scalar fields"
