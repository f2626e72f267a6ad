package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Dpd;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 6's peer-failure acceptance: the peer daemon is killed with SIGKILL (no DELETE, its SAs
 * simply stop answering) while pings cross the tunnel. ipsecd's dead peer detection (3 s delay,
 * 9 s timeout, action restart) declares it dead within delay + timeout, keeps re-initiating with
 * backoff while it is down, and once the peer daemon runs again the tunnel carries traffic within
 * 10 s. Against strongSwan 5.9.8 and against another ipsecd.
 */
@Testbed
class PeerFailureTest {
    private static final Dpd DPD = new Dpd(Duration.ofSeconds(3), Duration.ofSeconds(9), "restart");
    private static final Duration UP = Duration.ofSeconds(20);
    private static final Duration BACK_WITHIN = Duration.ofSeconds(10);

    @BeforeEach
    void needsPackagedIpsecd() {
        Ipsecd.assumePackaged();
    }

    @Test
    void aKilledStrongSwanIsDeclaredDeadWithinTheTimeoutAndTheTunnelIsBackWithinTenSecondsOfItsRestart() {
        try (Lab lab = Topologies.siteToSite()) {
            Ipsecd ours = Ipsecd.start(lab, lab.corp());
            List<TunnelConfig> theirConfig = List.of(tunnel(lab.cloud(), lab.corp(), TunnelConfig.StartAction.NONE));
            StrongSwan theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V5_9_8);
            theirs.load(theirConfig);
            ours.load(List.of(tunnel(lab.corp(), lab.cloud(), TunnelConfig.StartAction.START).withDpd(DPD)));
            ControlSocket.Monitor events = ours.monitor();
            assertThat(Waits.await(() -> pingsThrough(lab), UP)).as(lab.logTails(3000)).isTrue();

            Instant killed = killWhileTrafficFlows(lab, theirs::kill);
            Instant dead = awaitDead(lab, events, killed);
            awaitRetries(lab, events);

            StrongSwan again = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V5_9_8);
            again.load(theirConfig);
            Duration back = awaitBack(lab);
            System.out.printf("strongSwan 5.9.8 killed: dead after %d ms (DPD 3 s/9 s), tunnel back %d ms after charon"
                    + " was running again%n", Duration.between(killed, dead).toMillis(), back.toMillis());
            assertThat(again.listSas()).as("strongSwan's SAs").hasSize(1);
            System.out.println("ipsecd's events:\n" + events.dump());
        }
    }

    @Test
    void aKilledIpsecdPeerIsDeclaredDeadWithinTheTimeoutAndTheTunnelIsBackWithinTenSecondsOfItsRestart() {
        try (Lab lab = Topologies.siteToSite()) {
            Ipsecd ours = Ipsecd.start(lab, lab.corp());
            Ipsecd theirs = Ipsecd.start(lab, lab.cloud());
            // The peer only responds (start none) and, when it is the one left, tears down (clear).
            List<TunnelConfig> theirConfig = List.of(tunnel(lab.cloud(), lab.corp(), TunnelConfig.StartAction.NONE)
                    .withDpd(new Dpd(DPD.delay(), DPD.timeout(), "clear")));
            theirs.load(theirConfig);
            ours.load(List.of(tunnel(lab.corp(), lab.cloud(), TunnelConfig.StartAction.START).withDpd(DPD)));
            ControlSocket.Monitor events = ours.monitor();
            assertThat(Waits.await(() -> pingsThrough(lab), UP)).as(lab.logTails(3000)).isTrue();

            Instant killed = killWhileTrafficFlows(lab, theirs::kill);
            Instant dead = awaitDead(lab, events, killed);
            awaitRetries(lab, events);

            theirs.load(theirConfig); // the same daemon started again, without any state
            Duration back = awaitBack(lab);
            System.out.printf("ipsecd peer killed: dead after %d ms (DPD 3 s/9 s), tunnel back %d ms after it was running"
                    + " again%n", Duration.between(killed, dead).toMillis(), back.toMillis());
        }
    }

    /** Kills the peer while one ping a 200 ms crosses, so the last ESP from it arrives just before. */
    private static Instant killWhileTrafficFlows(Lab lab, Runnable kill) {
        Process ping = Exec.start(lab.dir("probes").resolve("peer-failure-ping.log"), Netns.exec(lab.corp().hostNs(),
                List.of("ping", "-4", "-n", "-D", "-c", "300", "-i", "0.2", "-W", "1", lab.cloud().hostAddress().v4())),
                Map.of());
        try {
            Exec.sleep(2000);
            kill.run();
            return Instant.now();
        } finally {
            Exec.stop(ping, Duration.ofSeconds(1));
        }
    }

    /**
     * The dead-peer verdict: not before the timeout after the check began, and at most delay +
     * timeout (plus a little scheduling) after the peer fell silent.
     */
    private static Instant awaitDead(Lab lab, ControlSocket.Monitor events, Instant killed) {
        Duration bound = DPD.delay().plus(DPD.timeout());
        assertThat(Waits.await(() -> !events.events("dpd-dead").isEmpty(), bound.plusSeconds(10)))
                .as("no dpd-dead event\n" + lab.logTails(4000)).isTrue();
        JsonNode dead = events.events("dpd-dead").getFirst();
        Instant deadAt = ControlSocket.Monitor.at(dead);
        JsonNode check = events.events("dpd-check").getLast();
        String seen = "killed at " + killed + "; events:\n" + events.dump();
        assertThat(Duration.between(ControlSocket.Monitor.at(check), deadAt)).as("check to verdict; " + seen)
                .isBetween(DPD.timeout().minusMillis(100), DPD.timeout().plusSeconds(1));
        assertThat(Duration.between(killed, deadAt)).as("kill to verdict; " + seen)
                .isLessThanOrEqualTo(bound.plusSeconds(1));
        assertThat(dead.path("message").asText()).as(seen).contains("peer 192.0.2.2 is dead: no answer to the liveness check");
        assertThat(events.events("dpd-action").getFirst().path("message").asText()).as(seen)
                .startsWith("dpd action restart: re-establishing net with 192.0.2.2");
        return deadAt;
    }

    /** While the peer is down, ipsecd re-initiates again and again, each attempt later than the one before. */
    private static void awaitRetries(Lab lab, ControlSocket.Monitor events) {
        assertThat(Waits.await(() -> events.events("restart").size() >= 2, Duration.ofSeconds(30)))
                .as("fewer than 2 restart attempts\n" + lab.logTails(4000)).isTrue();
        List<String> scheduled = events.events("restart-scheduled").stream().map(e -> e.path("message").asText()).toList();
        assertThat(scheduled).as(events.dump()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(scheduled.get(0)).contains("attempt 1 to bring up net with 192.0.2.2 in 1 s");
        assertThat(scheduled.get(1)).contains("not answering", "attempt 2 to bring up net with 192.0.2.2 in 2 s");
    }

    /** Time from now (the peer daemon runs again) to the first ping through the tunnel; at most 10 s. */
    private static Duration awaitBack(Lab lab) {
        long restarted = System.nanoTime();
        assertThat(Waits.await(() -> pingsThrough(lab), BACK_WITHIN.plusSeconds(10))).as(lab.logTails(4000)).isTrue();
        Duration back = Duration.ofNanos(System.nanoTime() - restarted);
        assertThat(back).as("from the peer's restart to the first ping through").isLessThanOrEqualTo(BACK_WITHIN);
        return back;
    }

    private static boolean pingsThrough(Lab lab) {
        return Exec.run(Duration.ofSeconds(5), Netns.exec(lab.corp().hostNs(), List.of("ping", "-4", "-n", "-c", "1",
                "-W", "1", lab.cloud().hostAddress().v4())), Map.of()).ok();
    }

    private static TunnelConfig tunnel(Site local, Site remote, TunnelConfig.StartAction start) {
        return new TunnelConfig("s2s", new Endpoint(local.wanAddress().v4(), local.name()),
                new Endpoint(remote.wanAddress().v4(), remote.name()), List.of("aes256gcm16-prfsha384-x25519"),
                new TunnelConfig.Psk("a-long-random-shared-secret-for-the-peer-failure-test"),
                List.of(new Child("net", List.of(local.lan().v4()), List.of(remote.lan().v4()), List.of("aes256gcm16"),
                        start)));
    }
}
