package io.ipsecd.testbed;

import static io.ipsecd.testbed.Probe.Family.IPV4;
import static io.ipsecd.testbed.Probe.Family.IPV6;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Child SA deleted while the daemon keeps running: pings and UDP from the hosts must fail, the
 * ipsecd data plane must drop and count them ({@code stats}: {@code dataplane.drops.noSa}), and the
 * WAN must never carry them in clear. Every ipsecd gateway here has a default route towards the
 * peer, as a real gateway has one to the internet: traffic that left the tunnel's routes would
 * cross the WAN in clear and the capture would show it. Both ways a child goes are covered: ipsecd
 * deletes it ({@code ipsecctl down conn/child}), or the peer does and ipsecd receives the DELETE.
 */
@Testbed
class IpsecdFailClosedTest {
    private static final Duration UP = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PORT = 5003;
    private static final int PINGS = 3;
    private static final int DATAGRAMS = 5;

    @BeforeEach
    void needsPackagedIpsecd() {
        Ipsecd.assumePackaged();
    }

    @Test
    void aChildDeletedByIpsecdOrByStrongSwanDropsTrafficAndNothingLeaks() {
        String marker = marker();
        try (Lab lab = Topologies.siteToSite()) {
            defaultRouteTowards(lab.corp(), lab.cloud());
            Ipsecd ours = Ipsecd.start(lab, lab.corp());
            StrongSwan theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V5_9_8);
            WanTcpdump capture = WanTcpdump.start(lab);
            theirs.load(List.of(tunnel(lab.cloud(), lab.corp())));
            ours.load(List.of(tunnel(lab.corp(), lab.cloud())));

            ours.initiate("s2s", "net", UP);
            reachable(lab, lab.corp(), lab.cloud(), marker);
            ours.ipsecctl("down", "s2s/net").check();
            awaitNoChild(lab, ours, theirs);
            droppedAndCounted(lab, ours, lab.corp(), lab.cloud(), marker);

            // Back up over the same IKE SA, then strongSwan deletes: ipsecd receives the DELETE.
            ours.ipsecctl("up", "s2s/net").check();
            assertThat(Waits.await(() -> childInstalled(ours) && childInstalled(theirs), UP)).as(lab.logTails(3000)).isTrue();
            reachable(lab, lab.corp(), lab.cloud(), marker);
            theirs.swanctl(UP, "--terminate", "--child", "net", "--timeout", "10").check();
            awaitNoChild(lab, ours, theirs);
            droppedAndCounted(lab, ours, lab.corp(), lab.cloud(), marker);

            cleanWan(capture.finish(marker));
        }
    }

    @Test
    void aChildDeletedBetweenTwoIpsecdGatewaysDropsTrafficOnBothAndRecovers() {
        String marker = marker();
        try (Lab lab = Topologies.siteToSite()) {
            defaultRouteTowards(lab.corp(), lab.cloud());
            defaultRouteTowards(lab.cloud(), lab.corp());
            Ipsecd corp = Ipsecd.start(lab, lab.corp());
            Ipsecd cloud = Ipsecd.start(lab, lab.cloud());
            WanTcpdump capture = WanTcpdump.start(lab);
            cloud.load(List.of(tunnel(lab.cloud(), lab.corp())));
            corp.load(List.of(tunnel(lab.corp(), lab.cloud())));

            corp.initiate("s2s", "net", UP);
            reachable(lab, lab.corp(), lab.cloud(), marker);
            cloud.ipsecctl("down", "s2s/net").check(); // the responder deletes; the initiator gets the DELETE
            awaitNoChild(lab, corp, cloud);
            droppedAndCounted(lab, corp, lab.corp(), lab.cloud(), marker);
            droppedAndCounted(lab, cloud, lab.cloud(), lab.corp(), marker);

            // The kept policy takes the new SA again: the tunnel carries traffic as before.
            corp.ipsecctl("up", "s2s/net").check();
            assertThat(Waits.await(() -> childInstalled(corp) && childInstalled(cloud), UP)).as(lab.logTails(3000)).isTrue();
            reachable(lab, lab.corp(), lab.cloud(), marker);
            reachable(lab, lab.cloud(), lab.corp(), marker);

            cleanWan(capture.finish(marker));
        }
    }

    /** Pings over both families arrive. */
    private static void reachable(Lab lab, Site from, Site to, String marker) {
        for (Probe.PingResult p : HostProbes.ping(from, to, new Probe.Ping(PINGS, 0.2), marker)) {
            assertThat(p.received()).as(p + lab.logTails(3000)).isEqualTo(PINGS);
        }
    }

    /**
     * With the child gone, pings and datagrams over both families get nowhere, and the gateway's data
     * plane counts at least every one of them as dropped for want of an SA.
     */
    private static void droppedAndCounted(Lab lab, Ipsecd gateway, Site from, Site to, String marker) {
        long before = noSaDrops(gateway);
        for (Probe.PingResult p : HostProbes.ping(from, to, new Probe.Ping(PINGS, 0.2), marker)) {
            assertThat(p.received()).as("no echo through a deleted child: " + p).isZero();
        }
        // "::" takes IPv4 too (v4-mapped), so one listener hears both families.
        try (UdpProbe.Listener listener = UdpProbe.listen(lab, to, IPV6, PORT, 2 * DATAGRAMS, UP)) {
            UdpProbe.send(lab, from, to, IPV4, PORT, marker, DATAGRAMS, 0.05);
            UdpProbe.send(lab, from, to, IPV6, PORT, marker, DATAGRAMS, 0.05);
            assertThat(listener.await(1, Duration.ofSeconds(2))).as("datagrams through a deleted child").isEmpty();
        }
        long dropped = noSaDrops(gateway) - before;
        assertThat(dropped).as(gateway.describe() + " counted its fail-closed drops" + lab.logTails(3000))
                .isGreaterThanOrEqualTo(2L * PINGS + 2L * DATAGRAMS);
    }

    private static void cleanWan(Probe.CaptureResult wan) {
        assertThat(wan.markerFound()).as("marker on the WAN: " + wan).isFalse();
        assertThat(wan.otherPackets()).as("clear traffic on the WAN: " + wan).isZero();
        assertThat(wan.ikePackets()).as(wan.toString()).isPositive();
        assertThat(wan.espPackets()).as(wan.toString()).isPositive();
    }

    /** {@code ipsecctl stats --json}: packets the data plane dropped because their policy had no SA. */
    private static long noSaDrops(Ipsecd gateway) {
        try {
            JsonNode root = JSON.readTree(gateway.ipsecctl("stats", "--json").check().out());
            JsonNode stats = root.has("result") ? root.get("result") : root;
            JsonNode noSa = stats.path("dataplane").path("drops").path("noSa");
            assertThat(noSa.isNumber()).as("stats reports dataplane.drops.noSa: " + stats).isTrue();
            return noSa.asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitNoChild(Lab lab, Gateway a, Gateway b) {
        assertThat(Waits.await(() -> !childInstalled(a) && !childInstalled(b), UP))
                .as("the child is gone on both sides: " + a.listSas() + " / " + b.listSas() + lab.logTails(3000)).isTrue();
    }

    private static boolean childInstalled(Gateway g) {
        return g.listSas().stream().anyMatch(sa -> sa.children().stream().anyMatch(SaInfo.ChildSa::installed));
    }

    /** A real gateway routes everything else to the internet: here, to the peer across the WAN. */
    private static void defaultRouteTowards(Site gateway, Site peer) {
        Netns.ip(gateway.gatewayNs(), "route", "add", "default", "via", peer.wanAddress().v4());
        Netns.ip(gateway.gatewayNs(), "-6", "route", "add", "default", "via", peer.wanAddress().v6());
    }

    private static TunnelConfig tunnel(Site local, Site remote) {
        return new TunnelConfig("s2s", new Endpoint(local.wanAddress().v4(), local.name()),
                new Endpoint(remote.wanAddress().v4(), remote.name()), List.of("aes256gcm16-prfsha384-x25519"),
                new TunnelConfig.Psk("a-long-random-shared-secret-for-the-fail-closed-test"),
                List.of(new Child("net", List.of(local.lan().v4(), local.lan().v6()),
                        List.of(remote.lan().v4(), remote.lan().v6()), List.of("aes256gcm16"),
                        TunnelConfig.StartAction.NONE)));
    }

    private static String marker() {
        return "IPT-PLAINTEXT-MARKER-" + HexFormat.of().formatHex(Waits.randomBytes(6));
    }
}
