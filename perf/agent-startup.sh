#!/usr/bin/env bash
# What -javaagent:weft-agent.jar costs at JVM start-up: the wall time of a main that prints and exits, with and
# without the agent (config= a small mesh directory), median of RUNS runs each after one discarded warm-up run.
# A second pair does the same with a main that also builds a java.net.http.HttpClient, the first moment an
# instrumented class is loaded (and so byte-buddy with it).
#
#   perf/agent-startup.sh                 # needs mesh-agent/target/weft-agent.jar (mvn -B install -DskipTests)
#   RUNS=9 JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 perf/agent-startup.sh
#
# Machines are noisy (2 cores here): compare medians of one run of this script, not figures across runs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
agent="${AGENT_JAR:-$root/mesh-agent/target/weft-agent.jar}"
runs="${RUNS:-5}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
javac="${JAVA_HOME:+$JAVA_HOME/bin/}javac"

[[ -f "$agent" ]] || { echo "agent-startup.sh: $agent not found; build it: mvn -B install -DskipTests -pl mesh-api,mesh-runtime,mesh-control-plane,mesh-agent" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/classes" "$work/mesh"
cat > "$work/Hello.java" <<'EOF'
public class Hello {
    public static void main(String[] args) {
        if (args.length > 0) {
            java.net.http.HttpClient.newHttpClient();
        }
        System.out.println("hello");
    }
}
EOF
"$javac" -d "$work/classes" "$work/Hello.java"
printf 'service: orders\nendpoints: [ { address: 127.0.0.1:9 } ]\n' > "$work/mesh/orders.yaml"

# Wall time of one run in milliseconds.
run_ms() {
    local start end
    start=$(date +%s%N)
    "$java" "$@" > /dev/null 2>&1
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
}

median() {
    sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

# Median of $runs runs of one command line, the runs of the two variants interleaved so that drift hits both.
measure_pair() {
    local label="$1"; shift
    local -a app=("$@")
    local -a with_agent=("-javaagent:$agent=config=$work/mesh" "${app[@]}")
    run_ms "${app[@]}" > /dev/null
    run_ms "${with_agent[@]}" > /dev/null
    local plain=() agent_ms=()
    for ((i = 0; i < runs; i++)); do
        plain+=("$(run_ms "${app[@]}")")
        agent_ms+=("$(run_ms "${with_agent[@]}")")
    done
    local p a
    p=$(printf '%s\n' "${plain[@]}" | median)
    a=$(printf '%s\n' "${agent_ms[@]}" | median)
    printf '%-28s without agent %5d ms   with agent %5d ms   difference %+5d ms   (runs: %s | %s)\n' \
        "$label" "$p" "$a" $((a - p)) "${plain[*]}" "${agent_ms[*]}"
}

echo "java: $("$java" -version 2>&1 | head -1); agent: $agent; median of $runs runs"
measure_pair "hello world" -cp "$work/classes" Hello
measure_pair "hello + new HttpClient" -cp "$work/classes" Hello http
