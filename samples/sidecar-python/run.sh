#!/usr/bin/env bash
# Python services in the mesh with the Weft sidecar. Builds the control plane and the sidecar, then on 127.0.0.1:
#   control plane                 :25010  (config: mesh/, no auth: a local demo)
#   payments v1  app :28001, its sidecar inbound :25006   (registered as payments, version=v1)
#   payments v2  app :28002, its sidecar inbound :25016   (registered as payments, version=v2)
#   shop: the sidecar in run mode starts app/shop.py once it has the mesh config, and exits with its exit code.
# The shop's calls to http://payments/ follow mesh/payments.yaml: 80 % to v1, 20 % to v2.
#   MVN_FLAGS=-o     extra Maven flags (here: an offline build)
#   SKIP_BUILD=1     use the jars already built
# Arguments go to the shop: the number of charges, 20 by default.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

for tool in mvn java python3; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed on the PATH" >&2; exit 127; }
done

# shellcheck disable=SC2086 # MVN_FLAGS is a list of flags on purpose
[[ "${SKIP_BUILD:-}" == 1 ]] || (cd "$root" && mvn -B -q -Dstyle.color=never ${MVN_FLAGS:-} -pl mesh-control-plane,mesh-sidecar -am package -DskipTests)

control_plane="$root/mesh-control-plane/target/weft-control-plane.jar"
sidecar="$root/mesh-sidecar/target/weft-sidecar.jar"
logs="$here/target/logs"
mkdir -p "$logs"

pids=()
cleanup() {
    # The sidecars drain and deregister on SIGTERM; then the apps and the control plane go.
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap cleanup EXIT

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_port() {
    for _ in $(seq 150); do
        port_open "$1" && return 0
        sleep 0.1
    done
    echo "run.sh: nothing listens on port $1 (see $logs)" >&2
    exit 1
}

for port in 25010 28001 28002 25006 25016 25001 25011 25021; do
    if port_open "$port"; then
        echo "run.sh: port $port is taken; free it first" >&2
        exit 1
    fi
done

java -jar "$control_plane" --config-dir "$here/mesh" --no-auth --port 25010 > "$logs/control-plane.log" 2>&1 &
pids+=("$!")
wait_port 25010

start_payments() { # version app-port inbound-port outbound-port
    python3 "$here/app/payments.py" "$2" "$1" > "$logs/payments-$1.log" 2>&1 &
    pids+=("$!")
    java -jar "$sidecar" --service payments --app-port "$2" --control-plane http://127.0.0.1:25010 \
        --inbound-bind 127.0.0.1 --inbound-port "$3" --outbound-port "$4" --label "version=$1" \
        --cache-dir "$here/target/cache-payments-$1" > "$logs/sidecar-payments-$1.log" 2>&1 &
    pids+=("$!")
}
start_payments v1 28001 25006 25001
start_payments v2 28002 25016 25011
wait_port 25006
wait_port 25016

echo "+ java -jar weft-sidecar.jar --service shop --control-plane http://127.0.0.1:25010 --outbound-port 25021 run -- python3 app/shop.py $*"
set +e
java -jar "$sidecar" --service shop --control-plane http://127.0.0.1:25010 --outbound-port 25021 \
    --cache-dir "$here/target/cache-shop" run -- python3 "$here/app/shop.py" "$@"
code=$?
set -e
echo "run.sh: the shop exited with $code (the sidecar passed it on)"
exit "$code"
