#!/usr/bin/env bash
# An OkHttp app with no Weft dependency, put in the mesh by one JVM flag. Builds the agent and the app, starts three
# named backends of the orders service on 127.0.0.1 (ports 28081-28083, as in mesh/orders.yaml), runs the app with
#   -javaagent:weft-agent.jar=config=mesh
# and stops the backends. Works from any directory.
#   MVN_FLAGS=-o     extra Maven flags (here: an offline build)
#   BASE_PORT=N      use ports N, N+1, N+2 instead (the config is then rewritten into target/mesh)
# Arguments go to the app: the number of calls, 9 by default.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

command -v mvn >/dev/null || { echo "run.sh: Maven (mvn) is needed on the PATH" >&2; exit 127; }
command -v java >/dev/null || { echo "run.sh: Java 17+ (java) is needed on the PATH" >&2; exit 127; }

# shellcheck disable=SC2086 # MVN_FLAGS is a list of flags on purpose
(cd "$root" && mvn -B -q -Dstyle.color=never ${MVN_FLAGS:-} -pl mesh-agent,samples/agent-okhttp -am package -DskipTests)

agent="$root/mesh-agent/target/weft-agent.jar"
app="$here/target/agent-okhttp.jar"
mesh="$here/mesh"
base="${BASE_PORT:-28081}"
if [[ "$base" != 28081 ]]; then
    mesh="$here/target/mesh"
    mkdir -p "$mesh"
    sed -e "s/127.0.0.1:28081/127.0.0.1:$base/" -e "s/127.0.0.1:28082/127.0.0.1:$((base + 1))/" \
        -e "s/127.0.0.1:28083/127.0.0.1:$((base + 2))/" "$here/mesh/orders.yaml" > "$mesh/orders.yaml"
fi

pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

names=(orders-a orders-b orders-c)
for i in 0 1 2; do
    port=$((base + i))
    if port_open "$port"; then
        echo "run.sh: port $port is taken; free it or pick others with BASE_PORT=N" >&2
        exit 1
    fi
    java -jar "$app" backend "$port" "${names[$i]}" > "$here/target/backend-${names[$i]}.log" 2>&1 &
    pids+=("$!")
done
for i in 0 1 2; do
    port=$((base + i))
    for _ in $(seq 100); do
        port_open "$port" && break
        sleep 0.1
    done
    port_open "$port" || { echo "run.sh: backend on port $port did not start (see target/backend-*.log)" >&2; exit 1; }
done

# From the repository root, so that the command line reads as it would anywhere else.
cd "$root"
agent="${agent#"$root"/}"
app="${app#"$root"/}"
mesh="${mesh#"$root"/}"
echo "+ java -javaagent:$agent=config=$mesh -jar $app $*"
java -javaagent:"$agent=config=$mesh" -jar "$app" "$@"
