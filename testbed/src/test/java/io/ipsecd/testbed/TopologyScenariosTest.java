package io.ipsecd.testbed;

import static io.ipsecd.testbed.Peer.strongswan;
import static io.ipsecd.testbed.Probe.MiB;
import static io.ipsecd.testbed.Probe.ping;
import static io.ipsecd.testbed.Probe.transfer;
import static io.ipsecd.testbed.Probe.wanCapture;
import static io.ipsecd.testbed.StrongSwanVersion.V5_9_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.testbed.SaInfo.IkeSa;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The NAT and multi-site shapes, kept lean: they prove the topology, not throughput. */
@Testbed
class TopologyScenariosTest {

    @Test
    void natBetweenCorpAndWan() {
        ScenarioReport r = Scenario.nat().corp(strongswan(V5_9_8)).cloud(strongswan(V5_9_8)).psk()
                .probes(ping(), transfer(16 * MiB), wanCapture()).run();
        System.out.println(r.summary());
        IkeSa cloudSide = r.sas().get("cloud").getFirst();
        assertThat(cloudSide.remoteHost()).as("the cloud sees the NAT's public address").isEqualTo("192.0.2.1");
        assertThat(r.sas().get("corp").getFirst().localHost()).isEqualTo("198.51.100.2");
    }

    @Test
    void threeCorpSitesToOneCloud() {
        ScenarioReport r = Scenario.multiSite(3).corp(strongswan(V5_9_8)).cloud(strongswan(V5_9_8)).psk()
                .probes(ping(), wanCapture()).run();
        System.out.println(r.summary());
        List<IkeSa> cloudSas = r.sas().get("cloud");
        assertThat(cloudSas).hasSize(3).allMatch(IkeSa::established);
        assertThat(cloudSas).extracting(IkeSa::remoteId).containsExactlyInAnyOrder("corp", "corp2", "corp3");
        assertThat(r.all(Probe.PingResult.class)).hasSize(6);
    }
}
