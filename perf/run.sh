#!/usr/bin/env bash
# Every performance scenario, in one run, bounded in time, each against its baseline measured in the same run:
#
#   1. engine call path (JMH, GC profiler)                         perf/run-jmh.sh
#   2. in-process load: raw clients vs library adapters vs agent   perf/run-load.sh
#   3. sidecars: direct vs Weft sidecar vs HAProxy vs nginx        perf/run-proxies.sh (apt-get installs the peers)
#   4. agent start-up                                              perf/agent-startup.sh
#   5. config propagation to 100 and 1000 long-polling clients     io.weft.perf.propagation.PropagationBench
#
#   perf/run.sh            full run (about 20 minutes on 2 cores)
#   perf/run.sh --smoke    every scenario for seconds, to show the harness works (figures not meaningful)
#
# Writes perf/target/RESULTS-run.md: the machine, the commit, the commands and every table. perf/RESULTS.md holds
# the figures of the last full run, copied from there, with what they mean.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
smoke=()
clients=100,1000 changes=5 runs=9
if [[ "${1:-}" == "--smoke" ]]; then
  smoke=(--smoke) clients=50 changes=2 runs=2
fi

(cd "$root" && mvn -B -q -pl perf,mesh-agent,mesh-sidecar,samples/spring-boot -am package -DskipTests)
report="$here/target/RESULTS-run.md"
mkdir -p "$here/target"
{
  echo "# Weft performance run"
  echo
  echo "- commit: $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -n 1)"
  echo "- command: perf/run.sh ${smoke[*]}"
  echo
  echo "## 1. Engine call path (JMH)"
  "$here/run-jmh.sh" --no-build "${smoke[@]}" | sed -n '/^| benchmark/,$p'
  echo
  echo "## 2. In-process load"
  "$here/run-load.sh" --no-build "${smoke[@]}" > /dev/null
  cat "$here/target/load.md"
  echo
  echo "## 3. Sidecars"
  "$here/run-proxies.sh" --no-build "${smoke[@]}" > /dev/null
  cat "$here/target/proxies.md"
  echo
  echo "## 4. Agent start-up"
  RUNS=$runs "$here/agent-startup.sh" | sed -n '/^|/,$p'
  echo
  echo "## 5. Config propagation"
  java -cp "$here/target/weft-perf.jar" io.weft.perf.propagation.PropagationBench --clients "$clients" --changes "$changes"
} | tee "$report"
echo "written: $report"
# A step that printed no table has rotted (CI runs --smoke to find out).
awk '/^## /{ if (sec != "" && rows == 0) { print "perf/run.sh: no table in " sec > "/dev/stderr"; bad = 1 } sec = $0; rows = 0 }
     /^\| /{ rows++ }
     END { if (sec != "" && rows == 0) { print "perf/run.sh: no table in " sec > "/dev/stderr"; bad = 1 } exit bad }' "$report"
