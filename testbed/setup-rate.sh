#!/usr/bin/env bash
# IKE SA setups per second between two ipsecd on one machine (a benchmark, not a test; CI does not run it).
# Usage: testbed/setup-rate.sh [--scenario psk-x25519|ecdsa-x25519-mlkem768|all] [--tunnels N] [--rounds R] [--childless]
#        (needs root: it builds network namespaces; defaults: psk-x25519, 100 tunnels, 5 rounds, one child each)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
require_jdk25
ensure_packages "${BUILD_PACKAGES[@]}" "${TESTBED_PACKAGES[@]}"
root=$(ipsecd_root)
cp_file="$root/testbed/target/bench.classpath"
# Build when never built or when any module's sources changed since the last build (as bench.sh).
if [ ! -s "$cp_file" ] || [ -n "$(find "$root" -path '*/src/*' -newer "$cp_file" -print -quit)" ]; then
  echo "building (mvn package, tests skipped)..." >&2
  (cd "$root" && mvn -B -q -DskipTests -pl testbed -am package dependency:build-classpath \
      -Dmdep.outputFile=target/bench.classpath) || { echo "build failed" >&2; exit 1; }
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dipsecd.repo="$root" \
  -cp "$root/testbed/target/classes:$(cat "$cp_file")" io.ipsecd.testbed.SetupRate "$@"
