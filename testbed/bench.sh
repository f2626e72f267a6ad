#!/usr/bin/env bash
# Throughput/latency table: plain routing vs strongSwan vs ipsecd on one site-to-site lab.
# Usage: testbed/bench.sh [--seconds N]    (needs root: it builds network namespaces)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
run_testbed_main io.ipsecd.testbed.Bench "$@"
