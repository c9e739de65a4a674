#!/usr/bin/env bash
# What -javaagent:weft-agent.jar costs at JVM start-up, median of RUNS runs of each variant after one discarded
# warm-up run, the runs with and without the agent interleaved (config= a small mesh directory):
#   - hello world: the wall time of a main that prints and exits;
#   - hello + new HttpClient: the same main also builds a java.net.http.HttpClient, the first moment an instrumented
#     class is loaded (and so byte-buddy with it);
#   - Spring Boot web app: the sample shop (samples/spring-boot) with the Weft starter switched off
#     (--weft.enabled=false), so that it is a plain Boot app; the time from launch until /actuator/health answers.
# Prints a Markdown table.
#
#   perf/agent-startup.sh     # needs mesh-agent/target/weft-agent.jar and samples/spring-boot/target/weft-sample-spring-boot.jar
#                             # (mvn -B package -DskipTests -pl mesh-agent,samples/spring-boot -am)
#   RUNS=9 JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 perf/agent-startup.sh
#
# Machines are noisy (2 cores here): compare medians of one run of this script, not figures across runs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
agent="${AGENT_JAR:-$root/mesh-agent/target/weft-agent.jar}"
spring_jar="${SPRING_JAR:-$root/samples/spring-boot/target/weft-sample-spring-boot.jar}"
runs="${RUNS:-5}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
javac="${JAVA_HOME:+$JAVA_HOME/bin/}javac"

command -v curl >/dev/null || { echo "agent-startup.sh: needs curl (apt-get install curl)" >&2; exit 1; }
for f in "$agent" "$spring_jar"; do
  [[ -f "$f" ]] || { echo "agent-startup.sh: $f not found; build it: mvn -B package -DskipTests -pl mesh-agent,samples/spring-boot -am" >&2; exit 1; }
done

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

# Milliseconds from the launch of a server JVM until URL answers 2xx (polled every 10 ms); the JVM is then stopped.
serve_ms() {
    local url="$1"; shift
    local start end pid
    start=$(date +%s%N)
    "$java" "$@" > /dev/null 2>&1 &
    pid=$!
    until curl -sf -o /dev/null "$url"; do
        kill -0 "$pid" 2>/dev/null || { echo "agent-startup.sh: the server exited before answering $url" >&2; return 1; }
        sleep 0.01
    done
    end=$(date +%s%N)
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo $(( (end - start) / 1000000 ))
}

# Median of $runs runs of one command line (through TIMER: run_ms, or serve_ms URL), the runs of the two variants
# interleaved so that drift hits both; one Markdown row.
measure_pair() {
    local label="$1"; shift
    local -a timer=()
    while [[ "$1" != "--" ]]; do timer+=("$1"); shift; done
    shift
    local -a app=("$@")
    local -a with_agent=("-javaagent:$agent=config=$work/mesh" "${app[@]}")
    "${timer[@]}" "${app[@]}" > /dev/null
    "${timer[@]}" "${with_agent[@]}" > /dev/null
    local plain=() agent_ms=()
    for ((i = 0; i < runs; i++)); do
        plain+=("$("${timer[@]}" "${app[@]}")")
        agent_ms+=("$("${timer[@]}" "${with_agent[@]}")")
    done
    local p a
    p=$(printf '%s\n' "${plain[@]}" | median)
    a=$(printf '%s\n' "${agent_ms[@]}" | median)
    printf '| %s | %d | %d | %+d | %s | %s |\n' "$label" "$p" "$a" $((a - p)) "${plain[*]}" "${agent_ms[*]}"
}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
echo "java: $("$java" -version 2>&1 | head -1); agent: $agent; median of $runs runs"
echo
echo "| app | without agent ms | with agent ms | agent cost ms | runs without | runs with |"
echo "|---|---:|---:|---:|---|---|"
measure_pair "hello world" run_ms -- -cp "$work/classes" Hello
measure_pair "hello + new HttpClient" run_ms -- -cp "$work/classes" Hello http
measure_pair "Spring Boot web app, to first answer" serve_ms "http://127.0.0.1:$port/actuator/health" -- \
    -jar "$spring_jar" --weft.enabled=false --server.port="$port" --server.address=127.0.0.1
