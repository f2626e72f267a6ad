# Shared by demo.sh, test.sh and the bin/ launchers: find JDK 25 and install missing Debian packages.
# Sourced, never run.

ipsecd_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

# Prints the home of a JDK 25 or newer: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
# Reads each JDK's release file rather than starting a JVM, so the launchers stay quick.
find_jdk25() {
  local candidates=() c v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${c%/}"); done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/javac" ] && [ -f "$c/release" ] || continue
    v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$c/release")
    if [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}

require_jdk25() {
  local home
  if ! home=$(find_jdk25); then
    echo "ipsecd needs a JDK 25: none found in \$JAVA_HOME or /usr/lib/jvm." >&2
    echo "Install one (for example Temurin 25: apt-get install temurin-25-jdk) or set JAVA_HOME." >&2
    exit 3
  fi
  export JAVA_HOME="$home"
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven's own Guava warns about sun.misc.Unsafe on JDK 25; that warning is not ours.
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}

# ensure_packages CMD:PKG ... installs PKG (Debian) when CMD is missing. Without root, names what to install.
ensure_packages() {
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    if [[ "$cmd" == /* ]]; then [ -e "$cmd" ] && continue; else command -v "$cmd" >/dev/null 2>&1 && continue; fi
    missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]}" >&2
    echo "install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 3
  fi
  echo "installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -q >/dev/null 2>&1 || true
    if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
      echo "could not install: ${missing[*]}; install them by hand and run again." >&2
      exit 3
    fi
  fi
}

BUILD_PACKAGES=(mvn:maven)
# What the network-namespace testbed and the strongSwan peers need.
TESTBED_PACKAGES=(
  ip:iproute2 ping:iputils-ping nft:nftables conntrack:conntrack tcpdump:tcpdump iperf3:iperf3 debootstrap:debootstrap
  unshare:util-linux setpriv:util-linux python3:python3 sha256sum:coreutils
  swanctl:strongswan-swanctl /usr/lib/ipsec/charon:strongswan-charon
  /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so:libcharon-extra-plugins
  /usr/lib/ipsec/plugins/libstrongswan-curve25519.so:libstrongswan-extra-plugins
  /usr/lib/ipsec/plugins/libstrongswan-gcm.so:libstrongswan-standard-plugins
)

# Builds once: the launchers need cli/target/ipsecd-cli.jar and cli/target/lib.
build_quietly() {
  local root; root=$(ipsecd_root)
  (cd "$root" && mvn -B -q -DskipTests package -pl cli -am) || { echo "build failed" >&2; exit 1; }
}

# The launchers' classpath: the build output of a repository, or the lib/ of an installed tree.
ipsecd_classpath() {
  local root=$1
  if [ -f "$root/cli/target/ipsecd-cli.jar" ]; then
    echo "$root/cli/target/ipsecd-cli.jar:$root/cli/target/lib/*"
  elif [ -f "$root/lib/ipsecd-cli.jar" ]; then
    echo "$root/lib/*"
  else
    echo "ipsecd is not built: run ./demo.sh or ./test.sh first, or: mvn -DskipTests package (with JDK 25)" >&2
    return 1
  fi
}

# Runs a testbed main class (bench.sh, setup-rate.sh) as root, building the testbed first when it
# was never built or any module's sources changed since.
run_testbed_main() {
  local main=$1; shift
  require_jdk25
  ensure_packages "${BUILD_PACKAGES[@]}" "${TESTBED_PACKAGES[@]}"
  local root; root=$(ipsecd_root)
  local cp_file="$root/testbed/target/bench.classpath"
  if [ ! -s "$cp_file" ] || [ -n "$(find "$root" -path '*/src/*' -newer "$cp_file" -print -quit)" ]; then
    echo "building (mvn package, tests skipped)..." >&2
    (cd "$root" && mvn -B -q -DskipTests -pl testbed -am package dependency:build-classpath \
        -Dmdep.outputFile=target/bench.classpath) || { echo "build failed" >&2; exit 1; }
  fi
  exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dipsecd.repo="$root" \
    -cp "$root/testbed/target/classes:$(cat "$cp_file")" "$main" "$@"
}
