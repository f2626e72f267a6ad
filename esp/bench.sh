#!/usr/bin/env bash
# Runs the ESP JMH benchmarks (packets/s per core, allocation per packet) on JDK 25.
# Usage: esp/bench.sh [JMH options]   default: short run, 1 fork, GC profiler.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../scripts/lib.sh"
require_jdk25
cd "$here/.."
mvn -B -q -Pjmh -pl esp test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
# Run from a private copy: a concurrent reactor build may recompile esp/target mid-run.
snapshot="$(mktemp -d)"
trap 'rm -rf "$snapshot"' EXIT
cp -r esp/target/classes "$snapshot/classes"
cp -r esp/target/test-classes "$snapshot/test-classes"
cp="$snapshot/test-classes:$snapshot/classes:$(cat esp/target/bench.classpath)"
if [ $# -eq 0 ]; then
  set -- EspBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc
fi
java -cp "$cp" org.openjdk.jmh.Main "$@"
