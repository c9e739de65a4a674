#!/usr/bin/env bash
# Weft quickstart in one command: builds the sample (and the modules it needs) and runs it.
# Works from any directory. Extra Maven flags can be given in MVN_FLAGS, e.g. MVN_FLAGS=-o for an offline build.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

command -v mvn >/dev/null || { echo "run.sh: Maven (mvn) is needed on the PATH" >&2; exit 127; }
command -v java >/dev/null || { echo "run.sh: Java 17+ (java) is needed on the PATH" >&2; exit 127; }

# shellcheck disable=SC2086 # MVN_FLAGS is a list of flags on purpose
(cd "$root" && mvn -B -q ${MVN_FLAGS:-} -pl samples/quickstart -am package -DskipTests)
exec java -jar "$here/target/weft-quickstart.jar" "$@"
