#!/usr/bin/env bash
# The gRPC sample in one command: builds it (and the modules it needs) and runs it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck disable=SC2086 # MVN_FLAGS is a list of flags on purpose
(cd "$root" && mvn -B -q ${MVN_FLAGS:-} -pl samples/grpc -am package -DskipTests)
exec java -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" io.weft.samples.grpc.GrpcSample "$@"
