package io.ipsecd.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir Path dir;

    static final String EXAMPLE = """
            global:
              control: { socket: /run/ipsecd/ipsecd.sock, group: ipsecd, allowed_users: [root], allowed_groups: [ipsecd] }
              logging: { level: info, format: text, subsystems: { ike: debug, esp: info, net: info, cfg: info, ctl: info } }
            connections:
              azure-vnet:
                local:  { address: 192.0.2.1, id: corp-gw.example.com, auth: psk }
                remote: { address: 192.0.2.2, id: 192.0.2.2, auth: psk }
                psk:    { file: azure-vnet.psk }
                ike:    { proposals: [aes256gcm16-prfsha384-ecp384], lifetime: 8h, dpd: { delay: 30s, timeout: 45s, action: restart }, encap: false }
                children:
                  vnet: { local_ts: [10.1.0.0/16], remote_ts: [10.2.0.0/16], esp_proposals: [aes256gcm16-ecp384], start: trap, lifetime: 1h }
            """;

    @Test
    void loadsTheExample() throws Exception {
        TestFiles.psk(dir, "azure-vnet.psk", TestFiles.PSK + "\n", "rw-------");
        Config c = TestFiles.valid(EXAMPLE, dir);
        assertThat(c.global().control().group()).contains("ipsecd");
        assertThat(c.global().logging().subsystems()).containsEntry("ike", "debug").containsEntry("esp", "info");
        Connection a = c.connections().get("azure-vnet");
        assertThat(a.local().ip()).contains(InetAddress.ofLiteral("192.0.2.1"));
        assertThat(a.local().id()).isEqualTo(new Identity(IdKind.FQDN, "corp-gw.example.com"));
        assertThat(a.remote().id().kind()).isEqualTo(IdKind.IPV4_ADDR);
        assertThat(a.local().port()).isEqualTo(500);
        assertThat(a.psk()).get().extracting(Secret::bytes).isEqualTo(TestFiles.PSK.getBytes());
        assertThat(a.psk().get().source()).isEqualTo("file " + dir.resolve("azure-vnet.psk"));
        assertThat(a.ike().proposals()).map(Proposal::toString).containsExactly("aes256gcm16-prfsha384-ecp384");
        assertThat(a.ike().lifetime()).isEqualTo(Lifetime.of(Duration.ofHours(8)));
        assertThat(a.ike().dpd()).isEqualTo(new Dpd(Duration.ofSeconds(30), Duration.ofSeconds(45), DpdAction.RESTART));
        Child vnet = a.children().get("vnet");
        assertThat(vnet.localTs()).map(Object::toString).containsExactly("10.1.0.0/16");
        assertThat(vnet.espProposals()).map(Object::toString).containsExactly("aes256gcm16-ecp384");
        assertThat(vnet.start()).isEqualTo(StartAction.TRAP);
        assertThat(vnet.lifetime()).isEqualTo(Lifetime.of(Duration.ofHours(1)));
    }

    @Test
    void appliesDefaults() {
        Config c = TestFiles.valid("""
                connections:
                  minimal:
                    local: { address: 192.0.2.1 }
                    remote: { address: 192.0.2.2 }
                    psk: { env: TEST_PSK }
                """, dir);
        assertThat(c.global()).isEqualTo(Global.defaults());
        assertThat(c.global().control().socket()).isEqualTo(Path.of("/run/ipsecd/ipsecd.sock"));
        assertThat(c.global().control().group()).isEmpty();
        Connection m = c.connections().get("minimal");
        assertThat(m.local().id()).isEqualTo(new Identity(IdKind.IPV4_ADDR, "192.0.2.1"));
        assertThat(m.local().auth()).isEqualTo(AuthMethod.PSK);
        assertThat(m.ike().proposals()).map(Proposal::toString)
                .containsExactly("aes256gcm16-prfsha384-ecp384", "aes128gcm16-prfsha256-ecp256", "aes256-sha256-prfsha256-modp2048");
        assertThat(m.ike().lifetime()).isEqualTo(Lifetime.of(Duration.ofHours(8)));
        assertThat(m.ike().dpd()).isEqualTo(Dpd.defaults());
        assertThat(m.ike().encap()).isFalse();
        assertThat(m.ike().allowWeakGroups()).isFalse();
        assertThat(m.children()).isEmpty();
        assertThat(m.psk().map(Secret::source)).isEqualTo(Optional.of("env TEST_PSK"));
    }

    @Test
    void responderOnlyWithAnyRemote() {
        Config c = TestFiles.valid("""
                connections:
                  roadside:
                    local: { address: "2001:db8::1", port: 4500 }
                    remote: { address: "%any", id: "@peer.example.net" }
                    psk: { env: TEST_PSK }
                    children:
                      net: { local_ts: ["2001:db8:1::/48"], remote_ts: ["2001:db8:2::/48[tcp/443]"] }
                """, dir);
        Connection r = c.connections().get("roadside");
        assertThat(r.remote().isAny()).isTrue();
        assertThat(r.remote().id()).isEqualTo(new Identity(IdKind.FQDN, "peer.example.net"));
        assertThat(r.local().port()).isEqualTo(4500);
        assertThat(r.ike().dpd().action()).isEqualTo(DpdAction.CLEAR);
        assertThat(r.children().get("net").remoteTs()).map(Object::toString).containsExactly("2001:db8:2::/48[tcp/443]");
        assertThat(r.children().get("net").espProposals()).map(Object::toString).containsExactly("aes256gcm16", "aes128gcm16");
    }

    @Test
    void keepsConnectionOrderAndIsImmutable() {
        Config c = TestFiles.valid("""
                connections:
                  zeta: { local: { address: 192.0.2.1 }, remote: { address: 192.0.2.2 }, psk: { env: TEST_PSK } }
                  alpha: { local: { address: 192.0.2.1 }, remote: { address: 192.0.2.3 }, psk: { env: TEST_PSK } }
                """, dir);
        assertThat(c.connections().keySet()).containsExactly("zeta", "alpha");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.connections().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(List.copyOf(c.connections().values())).hasSize(2);
    }

    @Test
    void missingFileIsAnErrorNotAnException() {
        LoadResult r = ConfigLoader.load(dir.resolve("nope.yaml"));
        assertThat(r).isInstanceOf(LoadResult.Invalid.class);
        assertThat(((LoadResult.Invalid) r).errors()).map(Object::toString)
                .containsExactly(dir.resolve("nope.yaml") + ":1:1: (file): cannot read the file: no such file");
    }

    @Test
    void collectsEveryErrorInFileOrder() {
        LoadResult r = TestFiles.parse("""
                global:
                  control: { socket: run.sock, allowed_groups: ipsecd }
                  logging: { level: verbose, format: xml }
                connections:
                  a:
                    local: { address: 192.0.2.999, id: "bad id", port: 0, auth: pubkey }
                    remote: { address: "2001:db8::1", id: "keyid:z" }
                    ike: { proposals: [aes257-sha256-ecp384, aes256gcm16-modp1024], lifetime: 0, dpd: { delay: 1m, timeout: 1s } }
                    children:
                      c: { local_ts: [10.0.0.1/8], remote_ts: ["::/0"], esp_proposals: [aes256-prfsha256], start: go }
                  b:
                    local: { address: 192.0.2.1 }
                    remote: { address: 192.0.2.2 }
                    psk: { env: TEST_PSK }
                    bogus: 1
                """, dir);
        assertThat(r).isInstanceOf(LoadResult.Invalid.class);
        assertThat(((LoadResult.Invalid) r).errors()).map(Object::toString).containsExactly(
                "test.yaml:2:22: global.control.socket: expected an absolute path, found 'run.sock'",
                "test.yaml:2:48: global.control.allowed_groups: expected a list, found a string",
                "test.yaml:3:21: global.logging.level: unknown value 'verbose': expected one of trace, debug, info, warn, error",
                "test.yaml:3:38: global.logging.format: unknown value 'xml': expected one of text, json",
                "test.yaml:5:3: connections.a: missing required key 'psk' (auth is psk)",
                "test.yaml:6:5: connections.a.local: missing required key 'cert' (auth is pubkey)",
                "test.yaml:6:5: connections.a.local: missing required key 'key' (auth is pubkey)",
                "test.yaml:6:23: connections.a.local.address: expected an IPv4 or IPv6 address, found '192.0.2.999'",
                "test.yaml:6:40: connections.a.local.id: expected an identity (IP address, FQDN, user@fqdn, DN or keyid:hex), found 'bad id'",
                "test.yaml:6:56: connections.a.local.port: expected a port number 1..65535, found '0'",
                "test.yaml:7:43: connections.a.remote.id: expected keyid: followed by an even number of hex digits, found 'keyid:z'",
                "test.yaml:8:24: connections.a.ike.proposals[0]: unknown algorithm 'aes257': expected one of aes128, aes256, aes128gcm16, aes256gcm16, chacha20poly1305, sha1, sha256, sha384, sha512, prfsha1, prfsha256, prfsha384, prfsha512, modp1024, modp1536, modp2048, modp3072, modp4096, ecp256, ecp384, ecp521, x25519, x448, noesn, esn, ke1_mlkem512, ke1_mlkem768, ke1_mlkem1024 (did you mean 'aes256'?)",
                "test.yaml:8:46: connections.a.ike.proposals[1]: AEAD IKE proposal 'aes256gcm16-modp1024' needs a PRF: expected one of prfsha256, prfsha384, prfsha512, prfsha1",
                "test.yaml:8:79: connections.a.ike.lifetime: expected a positive duration, found '0'",
                "test.yaml:8:109: connections.a.ike.dpd.timeout: dpd timeout 1s is shorter than dpd delay 1m: expected timeout >= delay",
                "test.yaml:10:23: connections.a.children.c.local_ts[0]: '10.0.0.1/8' has host bits set: did you mean 10.0.0.0/8?",
                "test.yaml:10:73: connections.a.children.c.esp_proposals[0]: encryption aes256 is not AEAD and needs an integrity algorithm: expected one of sha1, sha256, sha384, sha512",
                "test.yaml:10:99: connections.a.children.c.start: unknown value 'go': expected one of none, trap, start",
                "test.yaml:15:5: connections.b: unknown key 'bogus': expected one of local, remote, psk, ike, children, interface, ppk");
    }
}
