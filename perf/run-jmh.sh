#!/usr/bin/env bash
# Builds perf/target/weft-perf.jar and runs the engine call-path benchmarks with the GC profiler.
#
#   perf/run-jmh.sh                 full run, bounded: 1 fork, 3 x 1 s warmup, 5 x 1 s measurement per benchmark
#   perf/run-jmh.sh --smoke         seconds-long check that every benchmark runs (numbers not meaningful)
#   perf/run-jmh.sh --no-build ...  reuse the jar already built
#   perf/run-jmh.sh -- 'engine$'    anything after -- goes to JMH (a benchmark regex, -p balancer=ring-hash, ...)
#
# JSON results go to perf/target/jmh-result.json (or $JMH_RESULT), the console log to
# perf/target/jmh-output.txt, and a Markdown table of the results is printed at the end.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/weft-perf.jar"
result="${JMH_RESULT:-$here/target/jmh-result.json}"
log="$here/target/jmh-output.txt"

build=1
timing=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) timing=(-f 1 -wi 1 -w 200ms -i 1 -r 200ms); shift ;;
    --no-build) build=0; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [[ $build -eq 1 ]]; then
  (cd "$root" && mvn -B -q -pl perf -am package -DskipTests ${MAVEN_ARGS_EXTRA:-})
fi
[[ -f "$jar" ]] || { echo "no $jar: build it first (drop --no-build)" >&2; exit 1; }
mkdir -p "$(dirname "$result")" "$(dirname "$log")"
# Run from a copy, so a build of the project during the run (mvn clean, verify) cannot pull the jar away
# from the forked benchmark JVMs.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp "$jar" "$tmp/weft-perf.jar"
jar="$tmp/weft-perf.jar"

echo "cores: $(nproc)"
java -version 2>&1 | head -n 3
cmd=(java -jar "$jar" "${timing[@]}" -prof gc -rf json -rff "$result" "${extra[@]}")
echo "running: java -jar perf/target/weft-perf.jar ${cmd[*]:3}"
"${cmd[@]}" 2>&1 | tee "$log"

echo
java -cp "$jar" io.weft.perf.ResultsTable "$result"
