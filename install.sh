#!/usr/bin/env bash
# Installs ipsecd from this repository: /opt/ipsecd (jars, launchers), /usr/local/bin/{ipsecd,ipsecctl},
# the systemd unit, bash completion and the ipsecctl man page. Run as root after building.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh
[ "$(id -u)" -eq 0 ] || { echo "install.sh must run as root" >&2; exit 1; }
require_jdk25
ensure_packages "${BUILD_PACKAGES[@]}"
[ -f cli/target/ipsecd-cli.jar ] || mvn -B -q -ntp -DskipTests package

prefix=/opt/ipsecd
install -d -m 0755 "$prefix/bin" "$prefix/lib" "$prefix/scripts"
rm -f "$prefix"/lib/*.jar
install -m 0644 cli/target/ipsecd-cli.jar cli/target/lib/*.jar "$prefix/lib/"
install -m 0755 bin/ipsecd bin/ipsecctl "$prefix/bin/"
install -m 0644 scripts/lib.sh "$prefix/scripts/"
install -m 0644 README.md "$prefix/"
ln -sf "$prefix/bin/ipsecd" /usr/local/bin/ipsecd
ln -sf "$prefix/bin/ipsecctl" /usr/local/bin/ipsecctl

install -d -m 0750 /etc/ipsecd
install -m 0644 dist/ipsecd.service /etc/systemd/system/ipsecd.service
getent group ipsecd >/dev/null || groupadd --system ipsecd

install -d -m 0755 /etc/bash_completion.d
"$prefix/bin/ipsecctl" generate-completion > /etc/bash_completion.d/ipsecctl
ensure_packages asciidoctor:asciidoctor
man_dir=$(mktemp -d)
"$prefix/bin/ipsecctl" gen-manpage --outdir "$man_dir" >/dev/null
install -d -m 0755 /usr/local/share/man/man1
for page in "$man_dir"/*.adoc; do asciidoctor -b manpage -D /usr/local/share/man/man1 "$page"; done
rm -rf "$man_dir"

echo "installed. Next: write /etc/ipsecd/ipsecd.yaml (docs/config.md), 'ipsecd --check /etc/ipsecd/ipsecd.yaml',"
echo "then: systemctl daemon-reload && systemctl enable --now ipsecd; add admins to the ipsecd group."
