package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.testbed.SaInfo.ChildSa;
import io.ipsecd.testbed.SaInfo.IkeSa;
import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Simultaneous rekeys between two ipsecd (RFC 7296 §2.8.1, issue 6), forced the same way every
 * run, without netem: an nftables rule in gateway B's namespace drops B's IKE datagrams to A (UDP
 * 500; ESP travels raw, so traffic is untouched). B is told to rekey, and its request is lost;
 * 300 ms later A is told to rekey, and its request reaches B while B's own is outstanding (the
 * collision at B), but B's answer is lost. The rule goes; B's retransmission (1 s after its
 * request: global.ike.retransmit is 1 s here) reaches A while A's own is outstanding (the
 * collision at A), and A's retransmission gets B's cached answer. Every run must end with exactly one IKE SA and one Child SA on both
 * sides, the same SPIs on both, new ones (the rekey happened), a collision event ({@code
 * child-rekey-collision} / {@code ike-rekey-collision}) from at least one side, and a ping through. B is the
 * responder (cloud) in even runs and the initiator (corp) in odd runs.
 */
@Testbed
class CollisionTest {
    private static final Duration UP = Duration.ofSeconds(20);
    private static final int RUNS = 20;
    /** Long enough for B's request to have left (and been dropped) before A's. */
    private static final long HEAD_START_MS = 300;
    /**
     * Requests are resent after 1 s (global.ike.retransmit), not strongSwan's 4 s: B's first resend
     * comes well after the drop rule is gone (600 ms), and each run settles sooner.
     */
    private static final String FAST_RETRANSMIT = "global:\n  ike:\n    retransmit: { timeout: 1s, factor: 1.5, retransmits: 5 }\n";
    /** First retransmission plus the deletes that follow, and the 5 s a redundant IKE SA may wait. */
    private static final Duration SETTLE = Duration.ofSeconds(15);

    @BeforeEach
    void needsPackagedIpsecd() {
        Ipsecd.assumePackaged();
    }

    @Test
    void simultaneousChildRekeysLeaveExactlyOneChildSaOnBothSides() {
        collide("s2s/net", "child-rekey-collision");
    }

    /**
     * Whichever side's new SA has the lowest nonce loses; when its own answer was the one dropped,
     * the winner's DELETE of the old SA ends its exchange, and the winner lets the redundant SA go.
     */
    @Test
    void simultaneousIkeRekeysLeaveExactlyOneIkeSaOnBothSides() {
        collide("s2s", "ike-rekey-collision");
    }

    private static void collide(String target, String collisionEvent) {
        String psk = HexFormat.of().formatHex(Waits.randomBytes(24));
        boolean child = target.contains("/");
        try (Lab lab = Topologies.siteToSite()) {
            Ipsecd corp = Ipsecd.start(lab, lab.corp()).withGlobal(FAST_RETRANSMIT);
            Ipsecd cloud = Ipsecd.start(lab, lab.cloud()).withGlobal(FAST_RETRANSMIT);
            cloud.load(List.of(tunnel(lab.cloud(), lab.corp(), psk)));
            corp.load(List.of(tunnel(lab.corp(), lab.cloud(), psk)));
            corp.initiate("s2s", "net", UP);
            assertThat(Waits.await(() -> agreed(corp, cloud) != null, UP)).as("up on both sides").isTrue();
            PingTimeline background = PingTimeline.start(lab, lab.corp(), lab.cloud(), Duration.ofSeconds(RUNS * 8L),
                    "IPT-PLAINTEXT-MARKER-" + HexFormat.of().formatHex(Waits.randomBytes(6)), "background-ping");
            List<String> runs = new ArrayList<>();
            List<long[]> windows = new ArrayList<>(); // epoch ms: run start, run settled
            try (ControlSocket.Monitor corpEvents = ControlSocket.monitor(corp.socket());
                 ControlSocket.Monitor cloudEvents = ControlSocket.monitor(cloud.socket())) {
                for (int run = 0; run < RUNS; run++) {
                    Ipsecd b = run % 2 == 0 ? cloud : corp;
                    Ipsecd a = run % 2 == 0 ? corp : cloud;
                    String before = agreed(corp, cloud);
                    long corpCollisions = corpEvents.count(collisionEvent);
                    long cloudCollisions = cloudEvents.count(collisionEvent);
                    long started = System.nanoTime();
                    long startedAt = System.currentTimeMillis();

                    dropIke(b, true);
                    try {
                        b.control("rekey", Map.of("name", target));
                        Exec.sleep(HEAD_START_MS);
                        a.control("rekey", Map.of("name", target));
                        Exec.sleep(HEAD_START_MS); // A's request reaches B, B's answer is dropped
                    } finally {
                        dropIke(b, false);
                    }

                    int n = run;
                    boolean settled = Waits.await(() -> {
                        String now = agreed(corp, cloud);
                        return now != null && !now.equals(before) && (corpEvents.count(collisionEvent) > corpCollisions
                                || cloudEvents.count(collisionEvent) > cloudCollisions);
                    }, SETTLE);
                    assertThat(settled).as("run %d (B = %s): one %s SA on each side, a collision seen;%n corp: %s%n"
                                    + " cloud: %s%n events corp: %s%n events cloud: %s", n, b.site().name(),
                            child ? "Child" : "IKE", corp.listSasNow(), cloud.listSasNow(), recent(corpEvents),
                            recent(cloudEvents)).isTrue();
                    assertThat(Waits.await(() -> pingsThrough(lab), Duration.ofSeconds(5))).as("run %d: ping through", n).isTrue();
                    windows.add(new long[] {startedAt, System.currentTimeMillis()});
                    long settledMs = (System.nanoTime() - started) / 1_000_000;
                    // The SAs a collision made stay exactly one a little later as well (no late delete, no late extra SA).
                    Exec.sleep(500);
                    assertThat(agreed(corp, cloud)).as("run %d: still one SA of each kind", n).isNotNull();
                    // Where the loser's maker deletes it before the other side's own exchange is answered, only
                    // the maker reports the collision; the other side just sees the DELETE.
                    runs.add(String.format("run %2d (B=%s): settled in %d ms, %s, collision reported by%s%s", run,
                            b.site().name(), settledMs, agreed(corp, cloud),
                            corpEvents.count(collisionEvent) > corpCollisions ? " corp" : "",
                            cloudEvents.count(collisionEvent) > cloudCollisions ? " cloud" : ""));
                }
            }
            background.interrupt();
            PingTimeline.Result pings = background.finish();
            for (int i = 0; i < runs.size(); i++) {
                long[] w = windows.get(i);
                List<int[]> bursts = pings.bursts().stream().filter(b -> pings.sentAt(b[0]) >= w[0] && pings.sentAt(b[0]) < w[1])
                        .toList();
                runs.set(i, runs.get(i) + String.format(", background pings lost %d%s", pings.lostBetween(w[0], w[1]),
                        bursts.stream().map(b -> String.format(" [%d at +%.2f s]", b[1] - b[0] + 1, (pings.sentAt(b[0]) - w[0]) / 1000.0))
                                .reduce("", String::concat)));
            }
            System.out.printf("%s collisions: %d runs, each ended with one IKE SA and one Child SA on both sides;"
                            + " background ping every 10 ms: %d sent, %d lost (+N s: after the run's first rekey command)%n  %s%n",
                    child ? "Child" : "IKE", RUNS, pings.transmitted(), pings.lost().size(), String.join("\n  ", runs));
        }
    }

    /**
     * The SPIs both sides agree on ("IKE spiI/spiR child spiIn/spiOut" as corp sees them), or null
     * unless each side has exactly one IKE SA with exactly one installed Child SA and the two match.
     */
    private static String agreed(Ipsecd corp, Ipsecd cloud) {
        List<IkeSa> a = corp.listSasNow();
        List<IkeSa> b = cloud.listSasNow();
        if (a.size() != 1 || b.size() != 1 || !a.getFirst().established() || !b.getFirst().established()) return null;
        IkeSa x = a.getFirst();
        IkeSa y = b.getFirst();
        if (x.children().size() != 1 || y.children().size() != 1) return null;
        ChildSa c = x.children().getFirst();
        ChildSa d = y.children().getFirst();
        boolean same = x.spiInitiator().equals(y.spiInitiator()) && x.spiResponder().equals(y.spiResponder())
                && c.installed() && d.installed() && c.spiIn().equals(d.spiOut()) && c.spiOut().equals(d.spiIn());
        return same ? x.spiInitiator() + "/" + x.spiResponder() + " " + c.spiIn() + "/" + c.spiOut() : null;
    }

    /** Drops (or stops dropping) every IKE datagram the gateway sends to port 500. */
    private static void dropIke(Ipsecd gateway, boolean drop) {
        String ns = gateway.site().gatewayNs();
        if (drop) {
            Netns.run(ns, Netns.SHORT, "nft", "add table inet ipt_collision").check();
            Netns.run(ns, Netns.SHORT, "nft", "add chain inet ipt_collision out { type filter hook output priority 0 ; }").check();
            Netns.run(ns, Netns.SHORT, "nft", "add rule inet ipt_collision out udp dport 500 drop").check();
        } else {
            Netns.run(ns, Netns.SHORT, "nft", "delete table inet ipt_collision").check();
        }
    }

    private static List<String> recent(ControlSocket.Monitor m) {
        List<String> all = m.events().stream().map(e -> e.path("type").asText() + ": " + e.path("message").asText()).toList();
        return all.subList(Math.max(0, all.size() - 8), all.size());
    }

    private static boolean pingsThrough(Lab lab) {
        return Exec.run(Duration.ofSeconds(5), Netns.exec(lab.corp().hostNs(), List.of("ping", "-4", "-n", "-c", "1",
                "-W", "1", lab.cloud().hostAddress().v4())), Map.of()).ok();
    }

    /** Raw ESP (no encap) and IKE on port 500, the only port the rule drops. */
    private static TunnelConfig tunnel(Site local, Site remote, String psk) {
        return new TunnelConfig("s2s", new Endpoint(local.wanAddress().v4(), local.name()),
                new Endpoint(remote.wanAddress().v4(), remote.name()), List.of("aes256gcm16-prfsha384-x25519"),
                new TunnelConfig.Psk(psk), List.of(new Child("net", List.of(local.lan().v4(), local.lan().v6()),
                List.of(remote.lan().v4(), remote.lan().v6()), List.of("aes256gcm16"), TunnelConfig.StartAction.NONE)));
    }
}
