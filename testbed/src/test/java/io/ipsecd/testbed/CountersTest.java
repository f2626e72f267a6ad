package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ipsecd's counters against a real peer (strongSwan 5.9.8, so ESP-in-UDP): list-sas and stats
 * follow the traffic, count replayed and forged ESP on the SA it was aimed at, and after the child
 * is deleted count ESP for its old SPI as a data-plane drop.
 */
@Testbed
class CountersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void countersFollowTrafficReplayForgeryAndDeletion() throws Exception {
        Ipsecd.assumePackaged();
        try (Lab lab = Topologies.siteToSite()) {
            Site c = lab.corp();
            Site k = lab.cloud();
            String psk = Demo.hex(24);
            StrongSwan cloud = StrongSwan.start(lab, k, StrongSwanVersion.V5_9_8);
            cloud.load(List.of(Demo.tunnel(k, c, true, psk)));
            Ipsecd corp = Ipsecd.start(lab, c);
            corp.load(List.of(Demo.tunnel(c, k, false, psk)));
            corp.initiate(Demo.CONNECTION, "net", Duration.ofSeconds(20));
            Demo.Counters before = Demo.counters(corp);

            List<Probe.PingResult> pings = HostProbes.ping(c, k, new Probe.Ping(5, 0.05), "COUNTERS-" + Demo.hex(4));
            assertThat(pings).allSatisfy(p -> assertThat(p.received()).isEqualTo(5));
            Demo.Counters after = Demo.counters(corp);
            // 10 echoes out and 10 replies in (IPv4 and IPv6), 84/104 inner bytes each way at least.
            assertThat(after.packetsOut() - before.packetsOut()).isGreaterThanOrEqualTo(10);
            assertThat(after.packetsIn() - before.packetsIn()).isGreaterThanOrEqualTo(10);
            assertThat(after.bytesOut() - before.bytesOut()).isGreaterThanOrEqualTo(5 * 84 + 5 * 104);
            assertThat(after.udpEncap()).isTrue();
            JsonNode child = json(corp, "list-sas").at("/ikeSas/0/children/0");
            assertThat(child.path("lastInSecondsAgo").asLong(99)).isLessThanOrEqualTo(5);
            assertThat(child.path("lastOutSecondsAgo").asLong(99)).isLessThanOrEqualTo(5);
            // The peer saw the same traffic arrive.
            assertThat(cloud.listSas().getFirst().children().getFirst().packetsIn()).isGreaterThanOrEqualTo(10);

            String script = HostProbes.resource(lab, "esp_forge.py").toString();
            forge(k, c, script, after.spiIn(), "1");
            forge(k, c, script, after.spiIn(), "0x7ffffff0");
            Demo.Counters forged = Demo.awaitForgeryCounted(corp, after);
            assertThat(forged.replayDropsIn()).isEqualTo(after.replayDropsIn() + 1);
            assertThat(forged.icvFailuresIn()).isEqualTo(after.icvFailuresIn() + 1);
            assertThat(forged.packetsIn()).isEqualTo(after.packetsIn()); // neither got through

            JsonNode dp = json(corp, "stats").path("dataplane");
            assertThat(dp.path("running").asBoolean()).isTrue();
            assertThat(dp.path("packetsIn").asLong()).isEqualTo(forged.packetsIn());
            assertThat(dp.path("replayDrops").asLong()).isEqualTo(forged.replayDropsIn());
            assertThat(dp.path("icvFailures").asLong()).isEqualTo(forged.icvFailuresIn());
            assertThat(dp.path("drops").path("decryptFailed").asLong()).isGreaterThanOrEqualTo(2);
            long unknownBefore = dp.path("drops").path("unknownSpi").asLong();

            corp.ipsecctl("down", Demo.CONNECTION).check();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!corp.listSas().isEmpty() && System.nanoTime() < deadline) Exec.sleep(200);
            assertThat(corp.listSas()).isEmpty();
            forge(k, c, script, after.spiIn(), "0x10");
            long unknown = unknownBefore;
            for (int i = 0; i < 50 && unknown == unknownBefore; i++) {
                Exec.sleep(100);
                unknown = json(corp, "stats").path("dataplane").path("drops").path("unknownSpi").asLong();
            }
            assertThat(unknown).isEqualTo(unknownBefore + 1);
            assertThat(corp.ipsecctl("stats").check().out())
                    .contains("ESP for an SPI that is not installed (an old or deleted SA, or a stranger)");
        }
    }

    /** ESP-in-UDP from the peer gateway's address to the corp gateway, as an attacker on the WAN could send it. */
    private static void forge(Site from, Site to, String script, String spi, String seq) {
        Netns.run(from.gatewayNs(), Duration.ofSeconds(10), HostProbes.python(), script, "udp",
                to.wanAddress().v4(), spi, seq).check();
    }

    private static JsonNode json(Ipsecd gateway, String command) throws Exception {
        return JSON.readTree(gateway.ipsecctl(command, "--json").check().out());
    }
}
