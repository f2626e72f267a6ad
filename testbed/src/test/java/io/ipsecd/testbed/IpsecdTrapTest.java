package io.ipsecd.testbed;

import static io.ipsecd.testbed.Probe.Family.IPV4;
import static io.ipsecd.testbed.Probe.Family.IPV6;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.testbed.SaInfo.IkeSa;
import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import io.ipsecd.testbed.TunnelConfig.StartAction;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code start: trap}: ipsecd on corp-gw holds a TRAP policy and no SA; one UDP datagram from the
 * corp host raises the acquire, the tunnel comes up, and that very datagram (UDP never retransmits)
 * arrives at the cloud host. The responder is strongSwan 5.9.8 (its libipsec cannot trap, so it
 * runs start_action none) or ipsecd. The WAN never sees the datagram's marker in clear.
 */
@Testbed
class IpsecdTrapTest {
    private static final Duration UP = Duration.ofSeconds(20);
    private static final int PORT = 5002;

    @BeforeEach
    void needsPackagedIpsecd() {
        Ipsecd.assumePackaged();
    }

    @Test
    void theFirstPacketBringsTheTunnelUpToStrongSwanAndIsDelivered() {
        firstPacketIsDelivered(Peer.strongswan(StrongSwanVersion.V5_9_8));
    }

    @Test
    void theFirstPacketBringsTheTunnelUpToIpsecdAndIsDelivered() {
        firstPacketIsDelivered(Peer.ipsecd());
    }

    private static void firstPacketIsDelivered(Peer responder) {
        String marker = "IPT-PLAINTEXT-MARKER-" + HexFormat.of().formatHex(randomBytes(6));
        try (Lab lab = Topologies.siteToSite()) {
            Ipsecd ours = Ipsecd.start(lab, lab.corp());
            Gateway theirs = responder.start(lab, lab.cloud());
            WanTcpdump capture = WanTcpdump.start(lab);
            theirs.load(List.of(tunnel(lab.cloud(), lab.corp(), StartAction.NONE)));
            ours.load(List.of(tunnel(lab.corp(), lab.cloud(), StartAction.TRAP)));

            Exec.sleep(1000); // a trap child must not come up by itself
            assertThat(ours.listSas()).as("no SA before the first packet").isEmpty();

            try (UdpProbe.Listener listener = UdpProbe.listen(lab, lab.cloud(), IPV4, PORT, 1, UP.plusSeconds(10))) {
                UdpProbe.send(lab, lab.corp(), lab.cloud(), IPV4, PORT, marker, 1, 0);
                assertThat(listener.await(1, UP)).as("the datagram that raised the acquire arrived"
                        + lab.logTails(3000)).containsExactly(marker + "-0");
            }
            List<IkeSa> sas = ours.listSas();
            assertThat(sas).hasSize(1);
            assertThat(sas.getFirst().established()).isTrue();
            assertThat(sas.getFirst().children()).singleElement().matches(SaInfo.ChildSa::installed);
            assertThat(Exec.tail(lab.dir(lab.corp().name() + "-ipsecd").resolve("ipsecd.log"), 200_000))
                    .contains("traffic hit the trap policy: initiating");

            // The same child carries IPv6; one echo each way proves the tunnel is up for both families.
            try (UdpProbe.Listener listener = UdpProbe.listen(lab, lab.cloud(), IPV6, PORT, 1, UP)) {
                UdpProbe.send(lab, lab.corp(), lab.cloud(), IPV6, PORT, marker, 1, 0);
                assertThat(listener.await(1, Duration.ofSeconds(10))).containsExactly(marker + "-0");
            }
            for (Probe.PingResult p : HostProbes.ping(lab.corp(), lab.cloud(), new Probe.Ping(1, 0.2), marker)) {
                assertThat(p.received()).as(p.toString()).isEqualTo(1);
            }

            Probe.CaptureResult wan = capture.finish(marker);
            assertThat(wan.markerFound()).as(wan.toString()).isFalse();
            assertThat(wan.otherPackets()).as(wan.toString()).isZero();
            assertThat(wan.ikePackets()).as(wan.toString()).isPositive();
            assertThat(wan.espPackets()).as(wan.toString()).isPositive();
        }
    }

    /** One child over both families; the initiator's child is {@code start}, the responder waits. */
    private static TunnelConfig tunnel(Site local, Site remote, StartAction start) {
        return new TunnelConfig("s2s", new Endpoint(local.wanAddress().v4(), local.name()),
                new Endpoint(remote.wanAddress().v4(), remote.name()), List.of("aes256gcm16-prfsha384-x25519"),
                new TunnelConfig.Psk("a-long-random-shared-secret-for-the-trap-test"),
                List.of(new Child("net", List.of(local.lan().v4(), local.lan().v6()),
                        List.of(remote.lan().v4(), remote.lan().v6()), List.of("aes256gcm16"), start)));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
