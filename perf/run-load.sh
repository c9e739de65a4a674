#!/usr/bin/env bash
# In-process load scenarios against one Netty backend, in one run: raw clients (the floor) and the same clients
# meshed by Weft's library adapters and by the agent.
#
#   perf/run-load.sh              full run: 1,000 and 5,000 req/s fixed rate, then flat out; ~15 s per point
#   perf/run-load.sh --smoke      seconds per point, to check that every scenario runs (figures not meaningful)
#   perf/run-load.sh --no-build   reuse perf/target/weft-perf.jar and mesh-agent/target/weft-agent.jar
#
# The backend runs on CPU 0 and the client JVM on CPU 1 (taskset), so they do not take each other's core at
# random. JSON lines go to perf/target/load.jsonl, the Markdown tables to perf/target/load.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build=1
rates=1000,5000 warmup=5s duration=10s concurrency=64
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) rates=500 warmup=1s duration=2s concurrency=16; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [[ $build -eq 1 ]]; then
  (cd "$root" && mvn -B -q -pl perf,mesh-agent -am package -DskipTests)
fi
perf_jar="$here/target/weft-perf.jar"
agent_jar="$root/mesh-agent/target/weft-agent.jar"
for f in "$perf_jar" "$agent_jar"; do
  [[ -f "$f" ]] || { echo "missing $f: build first (drop --no-build)" >&2; exit 1; }
done

work="$(mktemp -d)"
backend_pid=""
cleanup() { [[ -n "$backend_pid" ]] && kill "$backend_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cp "$perf_jar" "$work/weft-perf.jar"
cp "$agent_jar" "$work/weft-agent.jar"

if [[ "$(nproc)" -ge 2 ]]; then
  pin_backend=(taskset -c 0) pin_client=(taskset -c 1)
else
  pin_backend=() pin_client=()
fi
jvm=(java -Xms512m -Xmx512m -XX:+UseParallelGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

"${pin_backend[@]}" "${jvm[@]}" -cp "$work/weft-perf.jar" io.weft.perf.backend.FastBackend 0 1 > "$work/backend.out" 2>&1 &
backend_pid=$!
for _ in $(seq 1 100); do
  grep -q '^READY ' "$work/backend.out" 2>/dev/null && break
  sleep 0.1
done
port="$(awk '/^READY /{print $2}' "$work/backend.out")"
[[ -n "$port" ]] || { echo "backend did not start:" >&2; cat "$work/backend.out" >&2; exit 1; }
backend="127.0.0.1:$port"
# The backend is a JVM: warm it up once, so that the first scenario does not pay for its JIT.
if command -v wrk >/dev/null; then
  "${pin_backend[@]}" wrk -t1 -c32 -d5s "http://$backend/hello" > /dev/null
fi
printf 'service: backend\nendpoints: [ { address: %s } ]\npolicy: { loadBalancer: round-robin }\n' "$backend" > "$work/mesh.yaml"

out="$here/target/load.jsonl"
mkdir -p "$here/target"
: > "$out"
echo "cores: $(nproc); backend on $backend; rates $rates; warmup $warmup; measure $duration; closed loop $concurrency"
java -version 2>&1 | head -n 1

run() {
  local name="$1"; shift
  echo "== $name"
  "${pin_client[@]}" "${jvm[@]}" "$@" --scenario "$name" --backend "$backend" --rates "$rates" \
    --warmup "$warmup" --duration "$duration" --concurrency "$concurrency" --out "$out" > "$work/$name.out" 2>&1 \
    || { cat "$work/$name.out" >&2; exit 1; }
}
main=(-cp "$work/weft-perf.jar" io.weft.perf.load.LoadMain)
agent=(-javaagent:"$work/weft-agent.jar=config=$work/mesh.yaml")
run okhttp-raw   "${main[@]}" --client okhttp --mesh none
run okhttp-mesh  "${main[@]}" --client okhttp --mesh library
run okhttp-agent "${agent[@]}" "${main[@]}" --client okhttp --mesh none --url http://backend/hello
run meshclient   "${main[@]}" --client meshclient --mesh library
run jdk-raw      "${main[@]}" --client jdk --mesh none
run jdk-mesh     "${main[@]}" --client jdk --mesh library
run jdk-agent    "${agent[@]}" "${main[@]}" --client jdk --mesh none --url http://backend/hello

java -cp "$work/weft-perf.jar" io.weft.perf.load.LoadReport "$out" okhttp-raw \
  jdk-raw=jdk-raw jdk-mesh=jdk-raw jdk-agent=jdk-raw > "$here/target/load.md"
cat "$here/target/load.md"
