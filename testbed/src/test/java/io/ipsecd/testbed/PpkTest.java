package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 8784 post-quantum preshared keys between two ipsecd: with the same PPK (required on both
 * sides) the tunnel comes up and carries a ping, and both daemons log that the PPK is in use; after
 * the responder's PPK file changes (and a reload), the initiator's {@code ipsecctl up} is refused,
 * and the initiator's monitor and {@code ipsecctl status} say it is most likely a PPK mismatch,
 * naming the tunnel, the peer and the PPK id, never the secret. {@link PpkInteropTest} does the
 * same against strongSwan.
 */
@Testbed
class PpkTest {
    static final Duration UP = Duration.ofSeconds(20);
    static final String PPK_ID = "pq-lab-1";

    @BeforeEach
    void needsPackagedIpsecd() {
        Ipsecd.assumePackaged();
    }

    @Test
    void aPpkTunnelCarriesAPingAndAWrongPpkIsRefusedAsAPpkMismatch() throws IOException {
        String psk = HexFormat.of().formatHex(Waits.randomBytes(24));
        String ppk = HexFormat.of().formatHex(Waits.randomBytes(32));
        String wrongPpk = HexFormat.of().formatHex(Waits.randomBytes(32));
        try (Lab lab = Topologies.siteToSite()) {
            Path keys = lab.dir("ppk");
            Path corpPpk = secretFile(keys.resolve("corp.ppk"), ppk);
            Path cloudPpk = secretFile(keys.resolve("cloud.ppk"), ppk);
            Ipsecd corp = Ipsecd.start(lab, lab.corp()).withConnectionOptions(ppkBlock(corpPpk));
            Ipsecd cloud = Ipsecd.start(lab, lab.cloud()).withConnectionOptions(ppkBlock(cloudPpk));
            cloud.load(List.of(tunnel(lab.cloud(), lab.corp(), psk)));
            corp.load(List.of(tunnel(lab.corp(), lab.cloud(), psk)));

            corp.initiate("s2s", "net", UP);
            assertThat(Waits.await(() -> pingsThrough(lab), Duration.ofSeconds(10))).as("ping through the PPK tunnel").isTrue();
            assertThat(Waits.await(() -> log(cloud).contains("uses PPK '" + PPK_ID + "' (RFC 8784)"), Duration.ofSeconds(5)))
                    .as("cloud log: the PPK is in use").isTrue();
            assertThat(log(corp)).contains("uses PPK '" + PPK_ID + "' (RFC 8784)");

            try (ControlSocket.Monitor corpEvents = ControlSocket.monitor(corp.socket())) {
                corp.ipsecctl("down", "s2s").check();
                assertThat(Waits.await(() -> corp.listSasNow().isEmpty() && cloud.listSasNow().isEmpty(), UP))
                        .as("down on both sides").isTrue();
                Files.writeString(cloudPpk, wrongPpk);
                assertThat(cloud.ipsecctl("reload").check().out()).contains("1 changed");

                corp.ipsecctl("up", "s2s");
                assertThat(Waits.await(() -> corpEvents.events("error").stream()
                        .anyMatch(e -> e.path("message").asText().contains("PPK mismatch")), UP))
                        .as("corp monitor reports a PPK mismatch; events: %s", corpEvents.dump()).isTrue();
                String error = corpEvents.events("error").stream().map(e -> e.path("message").asText())
                        .filter(m -> m.contains("PPK mismatch")).findFirst().orElseThrow();
                System.out.println("PpkTest: wrong PPK refused, corp reports: " + error);
                assertThat(error).contains("most likely a PPK mismatch", "'" + PPK_ID + "'", "tunnel s2s",
                        "peer " + lab.cloud().wanAddress().v4()).doesNotContain(ppk, wrongPpk, psk);
                assertThat(corp.ipsecctl("status").check().out()).contains("most likely a PPK mismatch");
                assertThat(corp.listSasNow()).noneMatch(SaInfo.IkeSa::established);
                assertThat(log(cloud)).contains("PPK '" + PPK_ID + "'").doesNotContain(ppk, wrongPpk);
            }
        }
    }

    /** A 0600 file, as ipsecd requires for a PPK. */
    static Path secretFile(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, content);
    }

    static String ppkBlock(Path file) {
        return "ppk: { id: " + PPK_ID + ", file: \"" + file + "\", required: true }";
    }

    static String log(Ipsecd d) {
        try {
            return Files.readString(d.log());
        } catch (IOException e) {
            return "";
        }
    }

    static boolean pingsThrough(Lab lab) {
        return Exec.run(Duration.ofSeconds(5), Netns.exec(lab.corp().hostNs(), List.of("ping", "-4", "-n", "-c", "1",
                "-W", "1", lab.cloud().hostAddress().v4())), Map.of()).ok();
    }

    static TunnelConfig tunnel(Site local, Site remote, String psk) {
        return new TunnelConfig("s2s", new Endpoint(local.wanAddress().v4(), local.name()),
                new Endpoint(remote.wanAddress().v4(), remote.name()), List.of("aes256gcm16-prfsha384-x25519"),
                new TunnelConfig.Psk(psk), List.of(new Child("net", List.of(local.lan().v4()), List.of(remote.lan().v4()),
                List.of("aes256gcm16"), TunnelConfig.StartAction.NONE)));
    }
}
