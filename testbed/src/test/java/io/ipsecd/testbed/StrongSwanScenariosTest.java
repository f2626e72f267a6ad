package io.ipsecd.testbed;

import static io.ipsecd.testbed.Peer.strongswan;
import static io.ipsecd.testbed.Probe.MiB;
import static io.ipsecd.testbed.Probe.ping;
import static io.ipsecd.testbed.Probe.transfer;
import static io.ipsecd.testbed.Probe.wanCapture;
import static io.ipsecd.testbed.StrongSwanVersion.V5_9_8;
import static io.ipsecd.testbed.StrongSwanVersion.V6_1_0;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** strongSwan against strongSwan, PSK and AES-256-GCM, with ping, 200 MiB content check and WAN capture. */
@Testbed
class StrongSwanScenariosTest {

    @Test
    void v5_9_8_to_v5_9_8() {
        ScenarioReport r = Scenario.siteToSite().corp(strongswan(V5_9_8)).cloud(strongswan(V5_9_8))
                .proposals("aes256gcm16-prfsha384-x25519").espProposals("aes256gcm16").psk()
                .probes(ping(), transfer(200 * MiB), wanCapture()).run();
        System.out.println(r.summary());
        assertThat(r.sas().get("corp").getFirst().algorithms()).isEqualTo("AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519");
    }

    @Test
    void v6_1_0_to_v5_9_8() {
        ScenarioReport r = Scenario.siteToSite().corp(strongswan(V6_1_0)).cloud(strongswan(V5_9_8))
                .proposals("aes256gcm16-prfsha384-x25519").espProposals("aes256gcm16").psk()
                .probes(ping(), transfer(200 * MiB), wanCapture()).run();
        System.out.println(r.summary());
        assertThat(r.sas().get("corp").getFirst().algorithms()).isEqualTo("AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519");
    }

    @Test
    void v6_1_0_to_v6_1_0_with_ml_kem() {
        ScenarioReport r = Scenario.siteToSite().corp(strongswan(V6_1_0)).cloud(strongswan(V6_1_0))
                .proposals("aes256gcm16-prfsha384-x25519-ke1_mlkem768").espProposals("aes256gcm16").psk()
                .probes(ping(), transfer(200 * MiB), wanCapture()).run();
        System.out.println(r.summary());
        assertThat(r.sas().get("corp").getFirst().algorithms())
                .isEqualTo("AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519/KE1_ML_KEM_768");
        assertThat(r.sas().get("cloud").getFirst().children().getFirst().algorithms()).startsWith("AES_GCM_16-256");
    }
}
