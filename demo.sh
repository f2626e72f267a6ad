#!/usr/bin/env bash
# The demo: builds ipsecd, starts it on the embedded sample site-to-site config (corporate network
# 10.1.0.0/16 to an Azure-style VNet 10.2.0.0/16), and shows what an admin sees with ipsecctl.
# The IKEv2 negotiator is in this build, but the sample's gateway address 192.0.2.1 is not on this
# host (and the data plane is not attached yet), so the tunnel stays down and `ipsecctl up` says
# why; everything else is the real daemon. Needs no root.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh
require_jdk25
ensure_packages "${BUILD_PACKAGES[@]}"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@" || true; }

step "building ipsecd (mvn -DskipTests package)"
mvn -B -q -ntp -DskipTests package

lab=$(mktemp -d /tmp/ipsecd-demo.XXXXXX)
daemon_pid=
cleanup() {
  if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
    kill -TERM "$daemon_pid"; wait "$daemon_pid" 2>/dev/null || true
  fi
  rm -rf "$lab"
}
trap cleanup EXIT INT TERM

umask 077
head -c 32 /dev/urandom | base64 > "$lab/azure-vnet.psk"
cat > "$lab/ipsecd.yaml" <<YAML
global:
  logging: { level: info }
connections:
  azure-vnet:
    local:  { address: 192.0.2.1, id: corp-gw.example.com, auth: psk }
    remote: { address: 192.0.2.2, id: 192.0.2.2, auth: psk }
    psk:    { file: $lab/azure-vnet.psk }
    ike:    { proposals: [aes256gcm16-prfsha384-ecp384], lifetime: 8h, dpd: { delay: 30s, timeout: 45s } }
    children:
      vnet: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16], esp_proposals: [aes256gcm16-ecp384], start: trap, lifetime: 1h }
  aws-vpc:
    local:  { address: 192.0.2.1, id: 192.0.2.1, auth: psk }
    remote: { address: 198.51.100.7, id: 198.51.100.7, auth: psk }
    psk:    { file: $lab/azure-vnet.psk }
    ike:    { proposals: [aes128-sha256-modp2048], lifetime: 8h }
    children:
      vpc: { local_ts: [10.1.0.0/16], remote_ts: [172.31.0.0/16], esp_proposals: [aes128-sha256-modp2048], start: start, lifetime: 1h }
YAML
socket="$lab/ipsecd.sock"
ctl() { bin/ipsecctl --socket "$socket" "$@"; }

step "the sample config ($lab/ipsecd.yaml)"
sed "s|$lab|/tmp/…|" "$lab/ipsecd.yaml"
step "validating it without starting anything"
show bin/ipsecd --check "$lab/ipsecd.yaml"

step "starting ipsecd (its log lines are prefixed with 'ipsecd |')"
bin/ipsecd --config "$lab/ipsecd.yaml" --socket "$socket" 2> >(sed -u 's/^/ipsecd | /' >&2) &
daemon_pid=$!
for _ in $(seq 1 100); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || { echo "ipsecd did not open its control socket within 10 s" >&2; exit 1; }

step "ipsecctl status"
show ctl status
step "ipsecctl list-sas"
show ctl list-sas
step "ipsecctl up azure-vnet (192.0.2.1 is not an address of this host: no IKE socket, and it says so)"
show ctl up azure-vnet
step "ipsecctl status now shows the last error"
show ctl status
step "ipsecctl stats"
show ctl stats
step "stopping ipsecd with SIGTERM"
kill -TERM "$daemon_pid"; wait "$daemon_pid" || true; daemon_pid=
echo
echo "Try it yourself: bin/ipsecd --config FILE --socket /tmp/ipsecd.sock, then bin/ipsecctl --socket /tmp/ipsecd.sock --help"
