package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.testbed.SaInfo.ChildSa;
import io.ipsecd.testbed.SaInfo.IkeSa;
import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import io.ipsecd.testbed.TunnelConfig.StartAction;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ipsecctl reload} acts only on what changed (issue 6). ipsecd on the cloud gateway of a
 * multi-site lab initiates three tunnels: two children of one connection to strongSwan 5.9.8 on
 * corp-gw ({@code net} for IPv4, {@code net6} for IPv6) and one child to ipsecd on corp2-gw. Three
 * reloads follow, each with {@code ping -i 0.01} running through the unchanged tunnels:
 * <ol>
 *   <li>{@code net6}'s remote selector narrows from /64 to /80: only that child is re-created
 *       (new SPIs, the new selector), the others keep their SPIs and lose no ping;</li>
 *   <li>the connection to corp2 is removed: its SAs go on both sides, the strongSwan tunnel's
 *       children keep their SPIs and lose no ping;</li>
 *   <li>the connection to corp2 is added back and comes up, again without touching the others.</li>
 * </ol>
 */
@Testbed
class ReloadTest {
    private static final Duration UP = Duration.ofSeconds(20);
    private static final String CORP = "corp-cloud";
    private static final String CORP2 = "corp2-cloud";

    @BeforeEach
    void needsPackagedIpsecd() {
        Ipsecd.assumePackaged();
    }

    @Test
    void aReloadReCreatesOnlyTheChangedChildAndTheOtherTunnelsKeepTheirSasAndTraffic() {
        String marker = "IPT-PLAINTEXT-MARKER-" + HexFormat.of().formatHex(Waits.randomBytes(6));
        String psk = HexFormat.of().formatHex(Waits.randomBytes(24));
        try (Lab lab = Topologies.multiSite(2)) {
            Site corp = lab.corps().get(0);
            Site corp2 = lab.corps().get(1);
            Site cloud = lab.cloud();
            StrongSwan swan = StrongSwan.start(lab, corp, StrongSwanVersion.V5_9_8);
            Ipsecd peer = Ipsecd.start(lab, corp2);
            Ipsecd ours = Ipsecd.start(lab, cloud);
            WanTcpdump capture = WanTcpdump.start(lab);
            swan.load(List.of(twoChildren(corp, cloud, psk, cloud.lan().v6(), StartAction.NONE)));
            peer.load(List.of(oneChild(corp2, cloud, psk, StartAction.NONE)));
            TunnelConfig toCorp = twoChildren(cloud, corp, psk, corp.lan().v6(), StartAction.START);
            TunnelConfig toCorp2 = oneChild(cloud, corp2, psk, StartAction.START);
            ours.load(List.of(toCorp, toCorp2)); // start: start brings all three children up
            assertThat(Waits.await(() -> spis(ours).size() == 3 && spis(swan).size() == 2 && spis(peer).size() == 1, UP))
                    .as("three children up: " + ours.listSasNow()).isTrue();
            Map<String, String> before = spis(ours);
            Map<String, String> swanBefore = spis(swan);
            Map<String, String> peerBefore = spis(peer);

            // 1. net6's remote selector narrows: only net6 is re-created.
            PingTimeline pingCorp = PingTimeline.start(lab, corp, cloud, Duration.ofSeconds(40), marker, "ping-corp");
            PingTimeline pingCorp2 = PingTimeline.start(lab, corp2, cloud, Duration.ofSeconds(10), marker, "ping-corp2");
            Exec.sleep(2000);
            String narrowed = corp.lan().v6().replace("/64", "/80");
            ours.writeConfig(List.of(twoChildren(cloud, corp, psk, narrowed, StartAction.START), toCorp2));
            String reply = ours.ipsecctl("reload").check().out();
            assertThat(reply).as("ipsecctl reload").contains("1 changed");
            assertThat(Waits.await(() -> {
                Map<String, String> now = spis(ours);
                return now.size() == 3 && !now.get(CORP + "/net6").equals(before.get(CORP + "/net6"));
            }, UP)).as("net6 re-created: " + ours.listSasNow()).isTrue();
            assertThat(child(ours, CORP, "net6").remoteTs()).as("net6 with its new selector").containsExactly(narrowed);
            assertThat(spis(ours)).as("the other children kept their SPIs")
                    .containsEntry(CORP + "/net", before.get(CORP + "/net")).containsEntry(CORP2 + "/net", before.get(CORP2 + "/net"));
            assertThat(spis(swan)).containsEntry(CORP + "/net", swanBefore.get(CORP + "/net"));
            assertThat(spis(peer)).isEqualTo(peerBefore);
            PingTimeline.Result corp2Pings = pingCorp2.finish();
            assertThat(corp2Pings.lost()).as("pings lost on the unchanged tunnel to corp2 across the reload").isEmpty();
            assertThat(corp2Pings.received()).isPositive();
            assertThat(HostProbes.ping(corp, cloud, new Probe.Ping(3, 0.2), marker))
                    .as("the re-created net6 carries IPv6").allMatch(p -> p.received() == 3);
            Map<String, String> afterChange = spis(ours);

            // 2. the connection to corp2 goes: its SAs go on both sides, the strongSwan tunnel stays.
            ours.writeConfig(List.of(twoChildren(cloud, corp, psk, narrowed, StartAction.START)));
            assertThat(ours.ipsecctl("reload").check().out()).contains("1 removed");
            assertThat(Waits.await(() -> !spis(ours).containsKey(CORP2 + "/net") && peer.listSasNow().isEmpty(), UP))
                    .as("corp2's SAs deleted on both sides: " + ours.listSasNow() + " / " + peer.listSasNow()).isTrue();
            assertThat(spis(ours)).containsEntry(CORP + "/net", before.get(CORP + "/net"))
                    .containsEntry(CORP + "/net6", afterChange.get(CORP + "/net6"));
            Exec.sleep(2000);

            // 3. it comes back: up again, the strongSwan tunnel untouched.
            ours.writeConfig(List.of(twoChildren(cloud, corp, psk, narrowed, StartAction.START), toCorp2));
            assertThat(ours.ipsecctl("reload").check().out()).contains("1 added");
            assertThat(Waits.await(() -> spis(ours).size() == 3 && spis(peer).size() == 1, UP))
                    .as("corp2 back up: " + ours.listSasNow()).isTrue();
            assertThat(spis(ours)).containsEntry(CORP + "/net", before.get(CORP + "/net"))
                    .containsEntry(CORP + "/net6", afterChange.get(CORP + "/net6"));
            assertThat(spis(swan)).containsEntry(CORP + "/net", swanBefore.get(CORP + "/net"));
            assertThat(HostProbes.ping(corp2, cloud, new Probe.Ping(3, 0.2), marker))
                    .as("corp2's new tunnel carries traffic").allMatch(p -> p.received() == 3);

            pingCorp.interrupt(); // stops before its deadline; echoes still in flight then are not counted as lost
            PingTimeline.Result corpPings = pingCorp.finish();
            System.out.printf("reload: ping -i 0.01 corp-host -> cloud-host across 3 reloads: %d sent, %d received, %d lost;"
                    + " corp2-host -> cloud-host across the first: %d sent, %d received, %d lost%n", corpPings.transmitted(),
                    corpPings.received(), corpPings.lost().size(), corp2Pings.transmitted(), corp2Pings.received(),
                    corp2Pings.lost().size());
            assertThat(corpPings.lost()).as("pings lost on the unchanged child corp-cloud/net across all three reloads").isEmpty();
            assertThat(corpPings.received()).isPositive();

            Probe.CaptureResult wan = capture.finish(marker);
            assertThat(wan.markerFound()).as("marker on the WAN: " + wan).isFalse();
            assertThat(wan.otherPackets()).as("clear traffic on the WAN: " + wan).isZero();
        }
    }

    /** "connection/child" -> "spiIn/spiOut" of every installed child. */
    private static Map<String, String> spis(Gateway g) {
        Map<String, String> m = new TreeMap<>();
        for (IkeSa sa : g instanceof Ipsecd d ? d.listSasNow() : g.listSas()) {
            for (ChildSa c : sa.children()) {
                if (c.installed()) m.put(sa.name() + "/" + c.name(), c.spiIn() + "/" + c.spiOut());
            }
        }
        return m;
    }

    private static ChildSa child(Ipsecd g, String connection, String child) {
        return g.listSasNow().stream().filter(sa -> sa.name().equals(connection)).flatMap(sa -> sa.children().stream())
                .filter(c -> c.name().equals(child) && c.installed()).findFirst().orElseThrow();
    }

    /** IPv4 LANs in {@code net}, IPv6 in {@code net6}, with the peer's IPv6 selector given. */
    private static TunnelConfig twoChildren(Site local, Site remote, String psk, String remoteV6, StartAction start) {
        return tunnel(local, remote, psk, List.of(
                new Child("net", List.of(local.lan().v4()), List.of(remote.lan().v4()), List.of("aes256gcm16"), start),
                new Child("net6", List.of(local.lan().v6()), List.of(remoteV6), List.of("aes256gcm16"), start)));
    }

    private static TunnelConfig oneChild(Site local, Site remote, String psk, StartAction start) {
        return tunnel(local, remote, psk, List.of(new Child("net", List.of(local.lan().v4(), local.lan().v6()),
                List.of(remote.lan().v4(), remote.lan().v6()), List.of("aes256gcm16"), start)));
    }

    /** Named after the corp site, as the multi-site scenarios name them: "corp-cloud", "corp2-cloud". */
    private static TunnelConfig tunnel(Site local, Site remote, String psk, List<Child> children) {
        String corpSite = local.name().equals("cloud") ? remote.name() : local.name();
        return new TunnelConfig(corpSite + "-cloud", new Endpoint(local.wanAddress().v4(), local.name()),
                new Endpoint(remote.wanAddress().v4(), remote.name()), List.of("aes256gcm16-prfsha384-x25519"),
                new TunnelConfig.Psk(psk), children);
    }
}
