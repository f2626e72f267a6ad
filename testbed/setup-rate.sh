#!/usr/bin/env bash
# IKE SA setups per second between two ipsecd on one machine (a benchmark, not a test; CI does not run it).
# Usage: testbed/setup-rate.sh [--scenario psk-x25519|ecdsa-x25519-mlkem768|all] [--tunnels N] [--rounds R] [--childless]
#        (needs root: it builds network namespaces; defaults: psk-x25519, 100 tunnels, 5 rounds, one child each)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
run_testbed_main io.ipsecd.testbed.SetupRate "$@"
