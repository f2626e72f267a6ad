package io.ipsecd.ike.exchange;

import static io.ipsecd.ike.exchange.LoopbackGateway.await;
import static io.ipsecd.ike.exchange.LoopbackGateway.connection;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.conf.Connection;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.ike.port.ChildSaInstall;
import io.ipsecd.ike.port.SaId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Two negotiators over loopback UDP: 127.0.0.1 ("corp") initiates to 127.0.0.2 ("cloud"). */
class NegotiatorLoopbackTest {
    private static final Duration UP = Duration.ofSeconds(10);

    record Lab(LoopbackGateway corp, LoopbackGateway cloud, Connection corpConn, Connection cloudConn)
            implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            corp.close();
            cloud.close();
        }
    }

    private static Lab lab(String corpIke, String cloudIke, String corpEsp, String cloudEsp, String corpPsk,
                           String cloudPsk, String corpTs, String cloudTs) throws Exception {
        int[] ports = LoopbackGateway.freePorts();
        LoopbackGateway corp = new LoopbackGateway("127.0.0.1", ports, 1);
        LoopbackGateway cloud = new LoopbackGateway("127.0.0.2", ports, 2);
        String[] c = corpTs.split(" ");
        String[] d = cloudTs.split(" ");
        Connection corpConn = connection("127.0.0.1", "corp", "127.0.0.2", "cloud", ports[0], corpPsk, corpIke, corpEsp,
                c[0], c[1]);
        Connection cloudConn = connection("127.0.0.2", "cloud", "127.0.0.1", "corp", ports[0], cloudPsk, cloudIke,
                cloudEsp, d[0], d[1]);
        corp.run(n -> n.connections(List.of(corpConn)));
        cloud.run(n -> n.connections(List.of(cloudConn)));
        return new Lab(corp, cloud, corpConn, cloudConn);
    }

    static Lab lab(String ike, String esp) throws Exception {
        return lab(ike, ike, esp, esp, "a-long-shared-secret", "a-long-shared-secret", "10.1.0.0/24 10.2.0.0/24",
                "10.2.0.0/24 10.1.0.0/24");
    }

    @ParameterizedTest
    @CsvSource({
        "aes256gcm16-prfsha384-x25519, aes256gcm16, AES_GCM_16-256, PRF_HMAC_SHA2_384, CURVE_25519",
        "aes128gcm16-prfsha256-ecp256, aes128gcm16, AES_GCM_16-128, PRF_HMAC_SHA2_256, ECP_256",
        "aes256-sha256-modp2048, aes256-sha256, AES_CBC-256, PRF_HMAC_SHA2_256, MODP_2048",
        "chacha20poly1305-prfsha256-x25519, chacha20poly1305, CHACHA20_POLY1305, PRF_HMAC_SHA2_256, CURVE_25519",
        "aes256gcm16-prfsha512-ecp521, aes256gcm16, AES_GCM_16-256, PRF_HMAC_SHA2_512, ECP_521"})
    void establishesIkeAndChildSaWithTheSameKeysOnBothSides(String ike, String esp, String encryption, String prf,
                                                           String ke) throws Exception {
        try (Lab lab = lab(ike, esp)) {
            lab.corp.run(n -> n.initiate(lab.corpConn, List.of()));
            assertThat(await(() -> lab.corp.up() && lab.cloud.up(), UP)).as("both sides up").isTrue();

            IkeSaInfo i = lab.corp.sas().getFirst();
            IkeSaInfo r = lab.cloud.sas().getFirst();
            assertThat(i.initiator()).isTrue();
            assertThat(r.initiator()).isFalse();
            assertThat(i.spiInitiator()).isEqualTo(r.spiInitiator());
            assertThat(i.spiResponder()).isEqualTo(r.spiResponder());
            assertThat(List.of(i.encryption(), i.prf(), i.keyExchange())).containsExactly(encryption, prf, ke);
            assertThat(List.of(r.encryption(), r.prf(), r.keyExchange())).containsExactly(encryption, prf, ke);
            assertThat(i.remoteId()).isEqualTo("cloud");
            // Rekeyed at 85-90% of the 8 h IKE and 1 h child lifetimes.
            assertThat(java.time.Duration.between(i.established(), i.rekeyAt()))
                    .isBetween(java.time.Duration.ofMinutes(408), java.time.Duration.ofMinutes(432));
            assertThat(java.time.Duration.between(i.children().getFirst().installed(), i.children().getFirst().rekeyAt()))
                    .isBetween(java.time.Duration.ofMinutes(51), java.time.Duration.ofMinutes(54));
            assertThat(java.time.Duration.between(i.children().getFirst().installed(), i.children().getFirst().expiresAt()))
                    .as("deleted at its hard limit unless rekeyed").isEqualTo(java.time.Duration.ofHours(1));
            assertThat(r.remoteId()).isEqualTo("corp");

            IkeSaInfo.ChildSaInfo ci = i.children().getFirst();
            IkeSaInfo.ChildSaInfo cr = r.children().getFirst();
            assertThat(ci.spiIn()).isEqualTo(cr.spiOut());
            assertThat(ci.spiOut()).isEqualTo(cr.spiIn());
            assertThat(ci.localTs()).containsExactly("10.1.0.0/24");
            assertThat(ci.remoteTs()).containsExactly("10.2.0.0/24");
            assertThat(cr.localTs()).isEqualTo(ci.remoteTs());
            assertThat(cr.remoteTs()).isEqualTo(ci.localTs());
            assertThat(ci.encryption()).isEqualTo(cr.encryption());
            assertSameKeys(lab, ci.spiIn(), ci.spiOut());
            assertThat(lab.corp.failures).isEmpty();
            assertThat(lab.cloud.failures).isEmpty();
            // Inbound before outbound, then the policy: nothing is sent before the answer can be read.
            assertThat(lab.corp.port.log).containsSubsequence("addSa " + new SaId(ci.spiIn(), SaDirection.INBOUND),
                    "addSa " + new SaId(ci.spiOut(), SaDirection.OUTBOUND), "addPolicy 1");
        }
    }

    static void assertSameKeys(Lab lab, int corpIn, int corpOut) {
        Map<SaId, ChildSaInstall> a = lab.corp.port.sas;
        Map<SaId, ChildSaInstall> b = lab.cloud.port.sas;
        ChildSaInstall aIn = a.get(new SaId(corpIn, SaDirection.INBOUND));
        ChildSaInstall bOut = b.get(new SaId(corpIn, SaDirection.OUTBOUND));
        ChildSaInstall aOut = a.get(new SaId(corpOut, SaDirection.OUTBOUND));
        ChildSaInstall bIn = b.get(new SaId(corpOut, SaDirection.INBOUND));
        assertThat(aIn.esp().keys()).isEqualTo(bOut.esp().keys());
        assertThat(aOut.esp().keys()).isEqualTo(bIn.esp().keys());
        assertThat(aIn.esp().keys()).isNotEqualTo(aOut.esp().keys());
        assertThat(aIn.esp().transform()).isEqualTo(bOut.esp().transform());
    }

    @Test
    void retriesWithTheGroupTheResponderAsksFor() throws Exception {
        try (Lab lab = lab("aes256gcm16-prfsha384-ecp256-x25519", "aes256gcm16-prfsha384-x25519", "aes256gcm16",
                "aes256gcm16", "a-long-shared-secret", "a-long-shared-secret", "10.1.0.0/24 10.2.0.0/24",
                "10.2.0.0/24 10.1.0.0/24")) {
            lab.corp.run(n -> n.initiate(lab.corpConn, List.of()));
            assertThat(await(() -> lab.corp.up() && lab.cloud.up(), UP)).isTrue();
            assertThat(lab.corp.sas().getFirst().keyExchange()).isEqualTo("CURVE_25519");
        }
    }

    @Test
    void disjointProposalsFailWithNoProposalChosenAndSayWhatEachSideHas() throws Exception {
        try (Lab lab = lab("aes128gcm16-prfsha256-ecp256", "aes256gcm16-prfsha384-x25519", "aes256gcm16", "aes256gcm16",
                "a-long-shared-secret", "a-long-shared-secret", "10.1.0.0/24 10.2.0.0/24", "10.2.0.0/24 10.1.0.0/24")) {
            lab.corp.run(n -> n.initiate(lab.corpConn, List.of()));
            assertThat(await(() -> !lab.corp.failures.isEmpty() && !lab.cloud.failures.isEmpty(), UP)).isTrue();
            assertThat(lab.cloud.failures).containsExactly("proposal mismatch: peer 127.0.0.1 offered "
                    + "[aes128gcm16-prfsha256-ecp256], we accept [aes256gcm16-prfsha384-x25519]");
            assertThat(lab.corp.failures.getFirst()).startsWith("proposal mismatch: peer 127.0.0.2 accepts none of the IKE "
                    + "proposals we offered [aes128gcm16-prfsha256-ecp256] (NO_PROPOSAL_CHOSEN)");
            assertThat(lab.corp.sas()).isEmpty();
            assertThat(lab.cloud.sas()).isEmpty();
        }
    }

    @Test
    void wrongPskFailsOnBothSidesWithThePeerAndItsId() throws Exception {
        try (Lab lab = lab("aes256gcm16-prfsha384-x25519", "aes256gcm16-prfsha384-x25519", "aes256gcm16", "aes256gcm16",
                "a-long-shared-secret", "another-shared-secret", "10.1.0.0/24 10.2.0.0/24", "10.2.0.0/24 10.1.0.0/24")) {
            lab.corp.run(n -> n.initiate(lab.corpConn, List.of()));
            assertThat(await(() -> !lab.corp.failures.isEmpty() && !lab.cloud.failures.isEmpty(), UP)).isTrue();
            assertThat(lab.cloud.failures).containsExactly("authentication failed: PSK mismatch with 127.0.0.1 (id corp)");
            assertThat(lab.corp.failures.getFirst()).startsWith("authentication failed: PSK mismatch with 127.0.0.2 (id cloud)");
            assertThat(await(() -> lab.corp.sas().isEmpty() && lab.cloud.sas().isEmpty(), UP)).isTrue();
            assertThat(lab.cloud.port.sas).isEmpty();
        }
    }

    @Test
    void disjointSelectorsFailTheChildWithTsUnacceptable() throws Exception {
        try (Lab lab = lab("aes256gcm16-prfsha384-x25519", "aes256gcm16-prfsha384-x25519", "aes256gcm16", "aes256gcm16",
                "a-long-shared-secret", "a-long-shared-secret", "10.1.0.0/16 10.9.0.0/16", "10.2.0.0/16 10.1.0.0/16")) {
            lab.corp.run(n -> n.initiate(lab.corpConn, List.of()));
            assertThat(await(() -> !lab.corp.failures.isEmpty() && !lab.cloud.failures.isEmpty(), UP)).isTrue();
            assertThat(lab.cloud.failures).containsExactly(
                    "traffic selectors: peer proposed 10.9.0.0/16 <-> 10.1.0.0/16, configured 10.2.0.0/16 <-> 10.1.0.0/16");
            assertThat(lab.corp.failures.getFirst()).startsWith("traffic selectors: peer 127.0.0.2 refused "
                    + "10.1.0.0/16 <-> 10.9.0.0/16 (TS_UNACCEPTABLE)");
            assertThat(lab.corp.port.sas).isEmpty();
        }
    }

    @Test
    void responderNarrowsToItsConfiguredSelectors() throws Exception {
        try (Lab lab = lab("aes256gcm16-prfsha384-x25519", "aes256gcm16-prfsha384-x25519", "aes256gcm16", "aes256gcm16",
                "a-long-shared-secret", "a-long-shared-secret", "10.1.0.0/16 10.2.0.0/16", "10.2.0.0/24 10.1.3.0/24")) {
            lab.corp.run(n -> n.initiate(lab.corpConn, List.of()));
            assertThat(await(() -> lab.corp.up() && lab.cloud.up(), UP)).isTrue();
            IkeSaInfo.ChildSaInfo c = lab.corp.sas().getFirst().children().getFirst();
            assertThat(c.localTs()).containsExactly("10.1.3.0/24");
            assertThat(c.remoteTs()).containsExactly("10.2.0.0/24");
        }
    }

    @Test
    void deleteFromEitherSideRemovesTheSasOnTheOther() throws Exception {
        try (Lab lab = lab("aes128gcm16-prfsha256-ecp256", "aes128gcm16")) {
            lab.corp.run(n -> n.initiate(lab.corpConn, List.of()));
            assertThat(await(() -> lab.corp.up() && lab.cloud.up(), UP)).isTrue();
            lab.cloud.run(n -> n.terminate("s2s", java.util.Optional.empty()));
            assertThat(await(() -> lab.corp.sas().isEmpty() && lab.cloud.sas().isEmpty(), UP)).isTrue();
            assertThat(lab.corp.port.sas).isEmpty();
            assertThat(lab.cloud.port.sas).isEmpty();
            // Still configured: each side keeps a drop policy, so the child's traffic cannot go out in clear.
            for (var port : List.of(lab.corp.port, lab.cloud.port)) {
                assertThat(port.policies.values()).singleElement().satisfies(p -> {
                    assertThat(p.action()).isEqualTo(io.ipsecd.ike.port.IpsecPolicy.Action.PROTECT);
                    assertThat(p.outboundSpi()).isEmpty();
                });
            }

            lab.corp.run(n -> n.initiate(lab.corpConn, List.of()));
            assertThat(await(() -> lab.corp.up() && lab.cloud.up(), UP)).isTrue();
            lab.corp.run(n -> n.terminate("s2s", java.util.Optional.empty()));
            assertThat(await(() -> lab.corp.sas().isEmpty() && lab.cloud.sas().isEmpty(), UP)).isTrue();
            assertThat(lab.cloud.port.sas).isEmpty();
            assertThat(lab.corp.failures).isEmpty();
            assertThat(lab.cloud.failures).isEmpty();
        }
    }
}
