package io.ipsecd.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Invalid configs: each with the exact error texts, positions included. */
class InvalidConfigTest {
    @TempDir Path dir;

    /** A valid connection; cases replace one line of it. */
    private static final String BASE = """
            connections:
              site:
                local: { address: 192.0.2.1, id: gw.example.com }
                remote: { address: 192.0.2.2 }
                psk: { env: TEST_PSK }
                ike: { proposals: [aes256gcm16-prfsha384-ecp384] }
                children:
                  net: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16], esp_proposals: [aes256gcm16] }
            """;

    private static String replace(String line, String with) {
        if (!BASE.contains(line)) throw new IllegalArgumentException(line);
        return BASE.replace(line, with);
    }

    private static String ike(String proposal) {
        return replace("ike: { proposals: [aes256gcm16-prfsha384-ecp384] }", "ike: { proposals: [" + proposal + "] }");
    }

    private static String esp(String proposal) {
        return replace("esp_proposals: [aes256gcm16]", "esp_proposals: [" + proposal + "]");
    }

    private static String child(String text) {
        return replace("net: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16], esp_proposals: [aes256gcm16] }", text);
    }

    private static final String LOCAL = "local: { address: 192.0.2.1, id: gw.example.com }";
    private static final String REMOTE = "remote: { address: 192.0.2.2 }";
    private static final String PSK = "psk: { env: TEST_PSK }";
    private static final String IKE = "ike: { proposals: [aes256gcm16-prfsha384-ecp384] }";

    static Stream<Arguments> cases() {
        return Stream.of(
                // unknown keys and types
                c("unknown child key", child("net: { local_ts: [10.1.0.0/16], remote_tss: [10.2.0.0/16] }"),
                        "8:7: connections.site.children.net: missing required key 'remote_ts'",
                        "8:39: connections.site.children.net: unknown key 'remote_tss': expected one of local_ts, remote_ts, esp_proposals, start, lifetime, mss_clamp (did you mean 'remote_ts'?)"),
                c("unknown top-level key", BASE.replace("connections:", "connection:"),
                        "1:1: (top level): unknown key 'connection': expected one of global, connections (did you mean 'connections'?)",
                        "1:1: (top level): missing required key 'connections'"),
                c("unknown endpoint key", replace(LOCAL, "local: { address: 192.0.2.1, ip: gw.example.com }"),
                        "3:34: connections.site.local: unknown key 'ip': expected one of address, id, auth, port, cert, intermediates, key, key_passphrase, signature, rsa_padding (did you mean 'id'?)"),
                c("selectors as a string", child("net: { local_ts: 10.1.0.0/16, remote_ts: [10.2.0.0/16] }"),
                        "8:24: connections.site.children.net.local_ts: expected a list, found a string"),
                c("connection as a list", "connections:\n  site: [a, b]\n",
                        "2:9: connections.site: expected a mapping, found a list"),
                c("psk inline", replace(PSK, "psk: \"" + TestFiles.PSK + "\""),
                        "5:10: connections.site.psk: expected a mapping, found a string"),
                c("encap not a boolean", replace(IKE, "ike: { encap: maybe }"),
                        "6:19: connections.site.ike.encap: expected true or false, found a string"),
                // required keys
                c("missing address", replace(LOCAL, "local: { id: gw.example.com }"),
                        "3:5: connections.site.local: missing required key 'address'"),
                c("missing remote", replace(REMOTE, ""),
                        "2:3: connections.site: missing required key 'remote'"),
                c("missing psk", replace(PSK, ""),
                        "2:3: connections.site: missing required key 'psk' (auth is psk)"),
                c("missing connections", "global: {}\n",
                        "1:1: (top level): missing required key 'connections'"),
                c("no connections", "connections: {}\n",
                        "1:1: connections: expected at least one connection, found none"),
                c("empty document", "# nothing\n",
                        "1:1: (top level): expected a mapping with a 'connections' key, found an empty document"),
                // duplicates
                c("duplicate connection", BASE + "  site:\n    local: { address: 192.0.2.9 }\n",
                        "9:3: connections.site: duplicate key 'site': already given at line 2, column 3"),
                c("duplicate key", replace(REMOTE, "remote: { address: 192.0.2.2, address: 192.0.2.3 }"),
                        "4:35: connections.site.remote.address: duplicate key 'address': already given at line 4, column 15"),
                c("duplicate child", BASE + "      net: { local_ts: [10.3.0.0/16], remote_ts: [10.4.0.0/16] }\n",
                        "9:7: connections.site.children.net: duplicate key 'net': already given at line 8, column 7"),
                // addresses and families
                c("bad address", replace(REMOTE, "remote: { address: 192.0.2.300 }"),
                        "4:24: connections.site.remote.address: expected an IPv4 or IPv6 address or \"%any\", found '192.0.2.300'"),
                c("hostname address", replace(LOCAL, "local: { address: gw.example.com }"),
                        "3:23: connections.site.local.address: expected an IPv4 or IPv6 address, found 'gw.example.com'"),
                c("local any", replace(LOCAL, "local: { address: \"%any\" }"),
                        "3:23: connections.site.local.address: expected an IP address of this gateway, found '%any' (only remote.address may be \"%any\")"),
                c("endpoint family mismatch", replace(REMOTE, "remote: { address: \"2001:db8::2\" }"),
                        "4:24: connections.site.remote.address: remote address 2001:db8::2 is IPv6 but local address 192.0.2.1 is IPv4: expected the same address family on both ends"),
                c("selector family mismatch", child("net: { local_ts: [10.1.0.0/16, \"2001:db8:1::/48\"], remote_ts: [10.2.0.0/16] }"),
                        "8:69: connections.site.children.net.remote_ts: local_ts has IPv6 selectors but remote_ts has none: expected the same address families on both sides"),
                c("port zero", replace(REMOTE, "remote: { address: 192.0.2.2, port: 0 }"),
                        "4:41: connections.site.remote.port: expected a port number 1..65535, found '0'"),
                c("port too big", replace(REMOTE, "remote: { address: 192.0.2.2, port: 70000 }"),
                        "4:41: connections.site.remote.port: expected a port number 1..65535, found '70000'"),
                c("any remote without id", replace(REMOTE, "remote: { address: \"%any\" }"),
                        "4:5: connections.site.remote: missing required key 'id' (required when the address is \"%any\")"),
                c("any remote cannot start", replace(REMOTE, "remote: { address: \"%any\", id: peer.example.com }")
                                .replace("esp_proposals: [aes256gcm16]", "start: trap"),
                        "8:72: connections.site.children.net.start: start 'trap' needs a remote address to initiate to, but remote.address is \"%any\": expected none"),
                c("any remote cannot restart", replace(REMOTE, "remote: { address: \"%any\", id: peer.example.com }")
                                .replace(IKE, "ike: { dpd: { action: restart } }"),
                        "6:27: connections.site.ike.dpd.action: dpd action 'restart' needs a remote address to initiate to, but remote.address is \"%any\": expected clear"),
                // identities and auth
                c("bad identity", replace(LOCAL, "local: { address: 192.0.2.1, id: \"bad id!\" }"),
                        "3:38: connections.site.local.id: expected an identity (IP address, FQDN, user@fqdn, DN or keyid:hex), found 'bad id!'"),
                c("odd keyid", replace(LOCAL, "local: { address: 192.0.2.1, id: \"keyid:abc\" }"),
                        "3:38: connections.site.local.id: expected keyid: followed by an even number of hex digits, found 'keyid:abc'"),
                c("pubkey auth without its files", replace(LOCAL, "local: { address: 192.0.2.1, auth: pubkey }"),
                        "3:5: connections.site.local: missing required key 'cert' (auth is pubkey)",
                        "3:5: connections.site.local: missing required key 'key' (auth is pubkey)"),
                c("unknown auth", replace(LOCAL, "local: { address: 192.0.2.1, auth: pks }"),
                        "3:40: connections.site.local.auth: unknown value 'pks': expected one of psk, pubkey (did you mean 'psk'?)"),
                // PSK sources (files are in PskFileTest)
                c("psk file and env", replace(PSK, "psk: { env: TEST_PSK, file: /etc/ipsecd/x.psk }"),
                        "5:27: connections.site.psk: expected either 'file' or 'env', found both"),
                c("psk neither", replace(PSK, "psk: {}"),
                        "5:5: connections.site.psk: missing required key: expected 'file' or 'env'"),
                c("env not set", replace(PSK, "psk: { env: NOT_SET_ANYWHERE }"),
                        "5:17: connections.site.psk.env: environment variable NOT_SET_ANYWHERE is not set"),
                c("env psk too short", replace(PSK, "psk: { env: SHORT_PSK }"),
                        "5:17: connections.site.psk.env: PSK in environment variable SHORT_PSK is 5 bytes long: expected at least 20 bytes (generate one with: head -c 32 /dev/urandom | base64)"),
                // proposals
                c("unknown algorithm", ike("aes257gcm16-prfsha384-ecp384"),
                        "6:24: connections.site.ike.proposals[0]: unknown algorithm 'aes257gcm16': expected one of aes128, aes256, aes128gcm16, aes256gcm16, chacha20poly1305, sha1, sha256, sha384, sha512, prfsha1, prfsha256, prfsha384, prfsha512, modp1024, modp1536, modp2048, modp3072, modp4096, ecp256, ecp384, ecp521, x25519, x448, noesn, esn, ke1_mlkem512, ke1_mlkem768, ke1_mlkem1024 (did you mean 'aes256gcm16'?)"),
                c("aead with integrity", ike("aes256gcm16-sha256-prfsha256-ecp384"),
                        "6:24: connections.site.ike.proposals[0]: AEAD algorithm aes256gcm16 must not be combined with an integrity algorithm, found sha256"),
                c("no integrity", ike("aes256-prfsha256-modp2048"),
                        "6:24: connections.site.ike.proposals[0]: encryption aes256 is not AEAD and needs an integrity algorithm: expected one of sha1, sha256, sha384, sha512"),
                c("no key exchange", ike("aes256gcm16-prfsha384"),
                        "6:24: connections.site.ike.proposals[0]: IKE proposal 'aes256gcm16-prfsha384' needs a key exchange group: expected one of modp1024, modp1536, modp2048, modp3072, modp4096, ecp256, ecp384, ecp521, x25519, x448"),
                c("aead without prf", ike("aes256gcm16-ecp384"),
                        "6:24: connections.site.ike.proposals[0]: AEAD IKE proposal 'aes256gcm16-ecp384' needs a PRF: expected one of prfsha256, prfsha384, prfsha512, prfsha1"),
                c("weak group", ike("aes128-sha1-modp1024"),
                        "6:24: connections.site.ike.proposals[0]: modp1024 (group 2) is a weak key exchange group: remove it, or set ike.allow_weak_groups: true"),
                c("weak pfs group", esp("aes128-sha1-modp1536"),
                        "8:81: connections.site.children.net.esp_proposals[0]: modp1536 (group 5) is a weak key exchange group: remove it, or set ike.allow_weak_groups: true"),
                c("mlkem as main exchange", ike("aes256gcm16-prfsha384-mlkem768"),
                        "6:24: connections.site.ike.proposals[0]: mlkem768 can only be an additional key exchange: write ke1_mlkem768"),
                c("ke2 without ke1", ike("aes256gcm16-prfsha384-ecp384-ke2_mlkem768"),
                        "6:24: connections.site.ike.proposals[0]: ke2_ is used but ke1_ is not: number additional key exchanges from ke1_ on"),
                c("esn in ike", ike("aes256gcm16-prfsha384-ecp384-esn"),
                        "6:24: connections.site.ike.proposals[0]: 'esn' applies to ESP proposals only, not to IKE proposals"),
                c("prf in esp", esp("aes256gcm16-prfsha384"),
                        "8:81: connections.site.children.net.esp_proposals[0]: 'prfsha384' is a PRF, which applies to IKE proposals only"),
                c("mixed aead", ike("aes256gcm16-aes256-sha256-prfsha256-ecp384"),
                        "6:24: connections.site.ike.proposals[0]: proposal 'aes256gcm16-aes256-sha256-prfsha256-ecp384' mixes AEAD and non-AEAD encryption: write them as two proposals"),
                c("empty proposals", replace(IKE, "ike: { proposals: [] }"),
                        "6:23: connections.site.ike.proposals: expected at least one proposal, found an empty list"),
                // durations
                c("bad duration", replace(IKE, "ike: { lifetime: 8x }"),
                        "6:22: connections.site.ike.lifetime: expected a duration like 30s, 45m, 8h, 1d, 1h30m or a number of seconds, found '8x'"),
                c("zero lifetime", child("net: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16], lifetime: 0 }"),
                        "8:75: connections.site.children.net.lifetime: expected a positive duration, found '0'"),
                c("dpd timeout below delay", replace(IKE, "ike: { dpd: { delay: 60s, timeout: 30s } }"),
                        "6:40: connections.site.ike.dpd.timeout: dpd timeout 30s is shorter than dpd delay 1m: expected timeout >= delay"),
                c("unknown dpd action", replace(IKE, "ike: { dpd: { action: restrat } }"),
                        "6:27: connections.site.ike.dpd.action: unknown value 'restrat': expected one of restart, trap, clear (did you mean 'restart'?)"),
                // selectors
                c("host bits", child("net: { local_ts: [10.1.2.0/16], remote_ts: [10.2.0.0/16] }"),
                        "8:25: connections.site.children.net.local_ts[0]: '10.1.2.0/16' has host bits set: did you mean 10.1.0.0/16?"),
                c("unknown protocol", child("net: { local_ts: [\"10.1.0.0/16[tpc/443]\"], remote_ts: [10.2.0.0/16] }"),
                        "8:25: connections.site.children.net.local_ts[0]: unknown protocol 'tpc': expected one of icmp, tcp, udp, gre, ipv6-icmp, sctp or a number 0..255"),
                c("prefix too long", child("net: { local_ts: [10.1.0.0/33], remote_ts: [10.2.0.0/16] }"),
                        "8:25: connections.site.children.net.local_ts[0]: prefix length must be 0..32 for IPv4, found '33'"),
                c("bad child name", child("\"bad name\": { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16] }"),
                        "8:7: connections.site.children.bad name: invalid child name 'bad name': expected letters, digits, '-' and '_' (starting with a letter or digit, at most 64)"),
                c("unknown start", child("net: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16], start: strat }"),
                        "8:72: connections.site.children.net.start: unknown value 'strat': expected one of none, trap, start (did you mean 'start'?)"),
                // global
                c("unknown log level", "global: { logging: { level: debgu } }\n" + BASE,
                        "1:29: global.logging.level: unknown value 'debgu': expected one of trace, debug, info, warn, error (did you mean 'debug'?)"),
                c("unknown subsystem", "global:\n  logging:\n    subsystems: { ikev2: debug }\n" + BASE,
                        "3:19: global.logging.subsystems: unknown key 'ikev2': expected one of ike, esp, net, cfg, ctl (did you mean 'ike'?)"),
                c("relative socket", "global: { control: { socket: ipsecd.sock } }\n" + BASE,
                        "1:30: global.control.socket: expected an absolute path, found 'ipsecd.sock'"),
                c("bad user name", "global: { control: { allowed_users: [root, \"bad user\"] } }\n" + BASE,
                        "1:44: global.control.allowed_users[1]: expected a user name (letters, digits, '_', '-', '.'), found 'bad user'"),
                // YAML syntax
                c("unquoted %any", replace(REMOTE, "remote: { address: %any }"),
                        "4:24: (yaml): invalid YAML: a plain value cannot start with '%': quote it, e.g. \"%any\""),
                c("unquoted selector suffix in a flow list", child("net: { local_ts: [10.1.0.0/16[tcp/443]], remote_ts: [10.2.0.0/16] }"),
                        "8:36: (yaml): invalid YAML: expected ',' or ']', but got [ (while parsing a flow sequence): inside [ ] lists, quote values that contain brackets, e.g. \"10.1.0.0/16[tcp/443]\""),
                c("two documents", BASE + "---\n" + BASE,
                        "9:1: (yaml): invalid YAML: expected a single document, found a second one ('---')"),
                c("duplicate inside an alias is reported for each use",
                        BASE.replace("ike: { proposals: [aes256gcm16-prfsha384-ecp384] }", "ike: &ike { lifetime: 1h, lifetime: 2h }")
                                + "  other:\n    local: { address: 192.0.2.1 }\n    remote: { address: 192.0.2.3 }\n    psk: { env: TEST_PSK }\n    ike: *ike\n",
                        "6:31: connections.site.ike.lifetime: duplicate key 'lifetime': already given at line 6, column 17",
                        "6:31: connections.other.ike.lifetime: duplicate key 'lifetime': already given at line 6, column 17"),
                c("tab indentation", "connections:\n\tsite: {}\n",
                        "2:1: (yaml): invalid YAML: tab character: indent with spaces, not tabs")
        );
    }

    private static Arguments c(String name, String yaml, String... errors) {
        return Arguments.of(name, yaml, List.of(errors));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactly(String name, String yaml, List<String> expected) {
        LoadResult r = TestFiles.parse(yaml, dir);
        assertThat(r).as(name).isInstanceOf(LoadResult.Invalid.class);
        List<String> actual = ((LoadResult.Invalid) r).errors().stream().map(Object::toString).toList();
        assertThat(actual).as(name).containsExactlyElementsOf(expected.stream().map(e -> "test.yaml:" + e).toList());
    }
}
