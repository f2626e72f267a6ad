package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hybrid post-quantum key exchange between two ipsecd (RFC 9370 over IKE_INTERMEDIATE): with
 * {@code aes256gcm16-prfsha384-x25519-ke1_mlkem768} on both sides the tunnel carries a ping and
 * {@code list-sas} and {@code status} name both key exchanges; once the initiator offers no ML-KEM
 * (config reloaded), the responder, whose only proposal requires it, refuses it and says what each
 * side proposes.
 */
@Testbed
class IpsecdHybridTest {
    private static final Duration UP = Duration.ofSeconds(20);
    private static final String HYBRID = "aes256gcm16-prfsha384-x25519-ke1_mlkem768";
    private static final String CLASSIC = "aes256gcm16-prfsha384-x25519";

    @BeforeEach
    void needsPackagedIpsecd() {
        Ipsecd.assumePackaged();
    }

    @Test
    void aHybridTunnelCarriesAPingAndAPeerWithoutMlKemIsRefused() {
        String psk = HexFormat.of().formatHex(Waits.randomBytes(24));
        try (Lab lab = Topologies.siteToSite()) {
            Ipsecd corp = Ipsecd.start(lab, lab.corp());
            Ipsecd cloud = Ipsecd.start(lab, lab.cloud());
            cloud.load(List.of(tunnel(lab.cloud(), lab.corp(), psk, HYBRID)));
            corp.load(List.of(tunnel(lab.corp(), lab.cloud(), psk, HYBRID)));

            corp.initiate("s2s", "net", UP);
            assertThat(Waits.await(() -> pingsThrough(lab), Duration.ofSeconds(10))).as("ping through the hybrid tunnel")
                    .isTrue();
            String expected = "AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519/KE1_ML_KEM_768";
            assertThat(corp.listSasNow()).singleElement().extracting(SaInfo.IkeSa::algorithms).isEqualTo(expected);
            assertThat(cloud.listSasNow()).singleElement().extracting(SaInfo.IkeSa::algorithms).isEqualTo(expected);
            assertThat(corp.ipsecctl("list-sas").check().out()).contains(expected);
            assertThat(cloud.ipsecctl("status").check().out()).contains("ESTABLISHED, CURVE_25519/KE1_ML_KEM_768, 0 rekeys");
            assertThat(log(corp)).contains("additional key exchange 1 (ML_KEM_768) in IKE_INTERMEDIATE");
            assertThat(log(cloud)).contains("additional key exchange 1 (ML_KEM_768) in IKE_INTERMEDIATE");

            // Over the control socket from here on: each ipsecctl is a JVM start, seconds on a busy host.
            try (ControlSocket.Monitor cloudEvents = ControlSocket.monitor(cloud.socket())) {
                corp.control("down", Map.of("name", "s2s"));
                assertThat(Waits.await(() -> corp.listSasNow().isEmpty() && cloud.listSasNow().isEmpty(), UP))
                        .as("down on both sides").isTrue();
                corp.writeConfig(List.of(tunnel(lab.corp(), lab.cloud(), psk, CLASSIC)));
                assertThat(corp.control("reload", Map.of()).path("message").asText()).contains("1 changed");

                try {
                    corp.control("up", Map.of("name", "s2s"));
                } catch (RuntimeException refused) {
                    // up may report the failure itself; what each side says is checked below.
                }
                String refusal = "proposal mismatch: peer " + lab.corp().wanAddress().v4() + " offered [" + CLASSIC
                        + "], we accept [" + HYBRID + "]";
                assertThat(Waits.await(() -> cloudEvents.events("error").stream()
                        .anyMatch(e -> e.path("message").asText().contains(refusal)), UP))
                        .as("cloud monitor reports the refusal; events: %s", cloudEvents.dump()).isTrue();
                assertThat(Waits.await(() -> corp.control("status", Map.of()).toString().contains("NO_PROPOSAL_CHOSEN"),
                        UP)).as("corp status: %s", corp.control("status", Map.of())).isTrue();
                assertThat(corp.listSasNow()).noneMatch(SaInfo.IkeSa::established);
                assertThat(cloud.listSasNow()).isEmpty();
            }
        }
    }

    private static String log(Ipsecd d) {
        try {
            return Files.readString(d.configFile().resolveSibling("ipsecd.log"));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static boolean pingsThrough(Lab lab) {
        return Exec.run(Duration.ofSeconds(5), Netns.exec(lab.corp().hostNs(), List.of("ping", "-4", "-n", "-c", "1",
                "-W", "1", lab.cloud().hostAddress().v4())), Map.of()).ok();
    }

    private static TunnelConfig tunnel(Site local, Site remote, String psk, String ikeProposal) {
        return new TunnelConfig("s2s", new Endpoint(local.wanAddress().v4(), local.name()),
                new Endpoint(remote.wanAddress().v4(), remote.name()), List.of(ikeProposal), new TunnelConfig.Psk(psk),
                List.of(new Child("net", List.of(local.lan().v4()), List.of(remote.lan().v4()), List.of("aes256gcm16"),
                        TunnelConfig.StartAction.NONE)));
    }
}
