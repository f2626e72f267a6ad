package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** strongSwan 6.0.1 (trixie container) only has to start and list its algorithms. */
@Testbed
class StrongSwanContainerTest {

    @Test
    void v6_0_1_startsAndListsAlgorithms() {
        try (Lab lab = Topologies.siteToSite()) {
            StrongSwan s = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V6_0_1);
            String algs = s.listAlgorithms();
            assertThat(algs).contains("AES_GCM_16").contains("CURVE_25519");
            assertThat(s.swanctl(Netns.SHORT, "--version").check().out()).contains("6.0.1");
        }
    }
}
