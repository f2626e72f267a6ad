#!/usr/bin/env bash
# The demo: builds ipsecd, then runs two ipsecd gateways in a network-namespace lab (a corporate
# site and a cloud site, each with a host behind its gateway, and a WAN between them), brings the
# tunnel up, sends pings, a checked transfer and iperf3 across, shows forged ESP being dropped and
# the tunnel failing closed, checks that the WAN carried only IKE and ESP, and prints what
# ipsecctl shows on both gateways. The orchestration is io.ipsecd.testbed.Demo.
#
# Usage: ./demo.sh [--keep | --teardown | --no-build]
#   --keep      leave the lab running afterwards and print how to look around
#   --teardown  remove a lab left by --keep
#   --no-build  use the last build
# Needs root for the namespaces: run as a user, it builds as that user and re-runs itself with sudo.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh
require_jdk25

build=yes
args=()
for a in "$@"; do
  case "$a" in
    --no-build) build=no ;;
    --teardown) build=no; args+=("$a") ;;
    --keep|-h|--help) args+=("$a") ;;
    *) echo "demo.sh: unknown option '$a' (try --help)" >&2; exit 2 ;;
  esac
done
cp_file=testbed/target/demo.classpath

# Build as the calling user, so target/ stays theirs; only the lab itself needs root.
if [ "$build" = yes ] && { [ "$(id -u)" -eq 0 ] || command -v mvn >/dev/null 2>&1; }; then
  ensure_packages "${BUILD_PACKAGES[@]}"
  echo "building ipsecd (mvn -DskipTests package)..." >&2
  mvn -B -q -ntp -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/demo.classpath \
    || { echo "the build failed: see the Maven output above" >&2; exit 1; }
  build=no
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    echo "the demo builds network namespaces, which needs root: re-running with sudo" >&2
    flags=()
    [ "$build" = no ] && flags+=(--no-build)
    exec sudo -- "$PWD/demo.sh" "${flags[@]}" "${args[@]}"
  fi
  echo "the demo builds network namespaces and needs root, and sudo is not installed: run ./demo.sh as root" >&2
  exit 3
fi

ensure_packages "${BUILD_PACKAGES[@]}" "${TESTBED_PACKAGES[@]}"
if [ "$build" = yes ]; then
  echo "building ipsecd (mvn -DskipTests package)..." >&2
  mvn -B -q -ntp -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/demo.classpath \
    || { echo "the build failed: see the Maven output above" >&2; exit 1; }
fi
if [ ! -s "$cp_file" ] || [ ! -f cli/target/ipsecd-cli.jar ]; then
  echo "ipsecd is not built: run ./demo.sh without --no-build" >&2
  exit 3
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dipsecd.repo="$PWD" \
  -cp "testbed/target/classes:$(cat "$cp_file")" io.ipsecd.testbed.Demo ${args[@]+"${args[@]}"}
