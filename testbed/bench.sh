#!/usr/bin/env bash
# Throughput/latency table: plain routing vs strongSwan vs ipsecd on one site-to-site lab.
# Usage: testbed/bench.sh [--seconds N]    (needs root: it builds network namespaces)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
require_jdk25
ensure_packages "${BUILD_PACKAGES[@]}" "${TESTBED_PACKAGES[@]}"
root=$(ipsecd_root)
cp_file="$root/testbed/target/bench.classpath"
# Build when never built or when any module's sources changed since the last build.
if [ ! -s "$cp_file" ] || [ -n "$(find "$root" -path '*/src/*' -newer "$cp_file" -print -quit)" ]; then
  echo "building (mvn package, tests skipped)..." >&2
  (cd "$root" && mvn -B -q -DskipTests -pl testbed -am package dependency:build-classpath \
      -Dmdep.outputFile=target/bench.classpath) || { echo "build failed" >&2; exit 1; }
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dipsecd.repo="$root" \
  -cp "$root/testbed/target/classes:$(cat "$cp_file")" io.ipsecd.testbed.Bench "$@"
