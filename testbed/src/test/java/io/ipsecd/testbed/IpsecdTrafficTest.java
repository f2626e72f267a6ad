package io.ipsecd.testbed;

import static io.ipsecd.testbed.Peer.ipsecd;
import static io.ipsecd.testbed.Peer.strongswan;
import static io.ipsecd.testbed.Probe.Family.IPV4;
import static io.ipsecd.testbed.Probe.Family.IPV6;
import static io.ipsecd.testbed.Probe.ping;
import static io.ipsecd.testbed.Probe.transfer;
import static io.ipsecd.testbed.Probe.wanCapture;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Traffic through ipsecd (its IKE and its data plane) against strongSwan 5.9.8, in both IKE roles,
 * and against itself: ping over IPv4 and IPv6, content-checked transfers (1 GiB over each inner
 * family where ipsecd initiates), and a WAN capture that sees only IKE and ESP and never the marker.
 */
@Testbed
class IpsecdTrafficTest {
    private static final long MIB = Probe.MiB;

    @BeforeEach
    void needsPackagedIpsecd() {
        Ipsecd.assumePackaged();
    }

    @Test
    void ipsecdInitiatesToStrongSwanAndCarriesAGibibyteOverEachFamily() {
        ScenarioReport r = Scenario.siteToSite().corp(ipsecd()).cloud(strongswan(StrongSwanVersion.V5_9_8))
                .proposals("aes256gcm16-prfsha384-x25519").espProposals("aes256gcm16").psk()
                .probes(ping(), transfer(Probe.GiB, IPV4), transfer(Probe.GiB, IPV6), wanCapture()).run();
        System.out.println(r.summary());
        assertThat(r.sas().get("corp").getFirst().algorithms()).isEqualTo("AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519");
        assertThat(r.all(Probe.TransferResult.class)).extracting(Probe.TransferResult::family).containsExactly(IPV4, IPV6);
        // libipsec speaks ESP-in-UDP only, so ipsecd follows it onto port 4500.
        assertThat(r.sas().get("corp").getFirst().children().getFirst().encapsulated()).isTrue();
    }

    @Test
    void ipsecdToIpsecdCarriesAGibibyteOverEachFamily() {
        ScenarioReport r = Scenario.siteToSite().corp(ipsecd()).cloud(ipsecd())
                .proposals("aes256gcm16-prfsha384-x25519").espProposals("aes256gcm16").psk()
                .probes(ping(), transfer(Probe.GiB, IPV4), transfer(Probe.GiB, IPV6), wanCapture()).run();
        System.out.println(r.summary());
        assertThat(r.sas().get("corp").getFirst().algorithms()).isEqualTo("AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519");
        assertThat(r.sas().get("cloud").getFirst().children().getFirst().algorithms()).isEqualTo("AES_GCM_16-256");
        // What went out of one data plane came into the other, ciphertext counted on both sides.
        SaInfo.ChildSa corp = r.sas().get("corp").getFirst().children().getFirst();
        SaInfo.ChildSa cloud = r.sas().get("cloud").getFirst().children().getFirst();
        assertThat(corp.bytesOut()).isGreaterThanOrEqualTo(2 * Probe.GiB);
        assertThat(cloud.bytesIn()).isGreaterThanOrEqualTo(2 * Probe.GiB);
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
