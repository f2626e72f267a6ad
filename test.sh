#!/usr/bin/env bash
# Builds ipsecd and runs the whole test suite. As root it also runs the network-namespace
# scenarios with real strongSwan peers; without root those are skipped, each saying why.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh
require_jdk25
ensure_packages "${BUILD_PACKAGES[@]}"
if [ "$(id -u)" -eq 0 ]; then
  ensure_packages "${TESTBED_PACKAGES[@]}"
fi
exec mvn -B -ntp verify "$@"
