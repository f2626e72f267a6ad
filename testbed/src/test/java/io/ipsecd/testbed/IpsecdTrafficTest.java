package io.ipsecd.testbed;

import static io.ipsecd.testbed.Peer.ipsecd;
import static io.ipsecd.testbed.Peer.strongswan;
import static io.ipsecd.testbed.Probe.ping;
import static io.ipsecd.testbed.Probe.transfer;
import static io.ipsecd.testbed.Probe.wanCapture;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Traffic through ipsecd (its IKE and its data plane) and strongSwan 5.9.8, in both IKE roles:
 * ping over IPv4 and IPv6, a content-checked transfer, and a WAN capture without plaintext.
 */
@Testbed
class IpsecdTrafficTest {
    private static final long MIB = 1024 * 1024;

    @BeforeEach
    void needsPackagedIpsecd() {
        Assumptions.assumeTrue(Files.exists(Ipsecd.repo().resolve("cli/target/ipsecd-cli.jar"))
                || Files.exists(Ipsecd.repo().resolve("lib/ipsecd-cli.jar")), "ipsecd is not packaged (mvn -DskipTests package)");
    }

    @Test
    void ipsecdInitiatesToStrongSwan() {
        ScenarioReport r = Scenario.siteToSite().corp(ipsecd()).cloud(strongswan(StrongSwanVersion.V5_9_8))
                .proposals("aes256gcm16-prfsha384-x25519").espProposals("aes256gcm16").psk()
                .probes(ping(), transfer(20 * MIB), wanCapture()).run();
        System.out.println(r.summary());
        assertThat(r.sas().get("corp").getFirst().algorithms()).isEqualTo("AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519");
    }

    @Test
    void ipsecdBehindANatInitiatesToStrongSwan() {
        ScenarioReport r = Scenario.nat().corp(ipsecd()).cloud(strongswan(StrongSwanVersion.V5_9_8))
                .proposals("chacha20poly1305-prfsha256-x25519").espProposals("chacha20poly1305").psk()
                .probes(ping(), transfer(20 * MIB), wanCapture()).run();
        System.out.println(r.summary());
        SaInfo.IkeSa cloud = r.sas().get("cloud").getFirst();
        assertThat(cloud.natDetected()).isTrue();
        assertThat(cloud.children().getFirst().encapsulated()).isTrue();
    }

    @Test
    void strongSwanInitiatesToIpsecd() {
        ScenarioReport r = Scenario.siteToSite().corp(strongswan(StrongSwanVersion.V5_9_8)).cloud(ipsecd())
                .proposals("aes128gcm16-prfsha256-ecp256").espProposals("aes128gcm16").psk()
                .probes(ping(), transfer(20 * MIB), wanCapture()).run();
        System.out.println(r.summary());
        assertThat(r.sas().get("cloud").getFirst().algorithms())
                .isEqualTo("AES_GCM_16-128/PRF_HMAC_SHA2_256/ECP_256");
    }
}
