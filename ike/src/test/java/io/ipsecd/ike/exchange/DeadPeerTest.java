package io.ipsecd.ike.exchange;

import static io.ipsecd.ike.exchange.ScriptedLab.CLOUD;
import static io.ipsecd.ike.exchange.ScriptedLab.CORP;
import static io.ipsecd.ike.exchange.ScriptedLab.PSK;
import static io.ipsecd.ike.exchange.ScriptedLab.time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ipsecd.conf.Connection;
import io.ipsecd.ike.port.IpsecPolicy;
import io.ipsecd.ike.sa.RetransmitPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Dead peer detection and its actions, on the manual clock: the check starts only after dpd.delay
 * without IKE or ESP from the peer, the peer is dead after dpd.timeout, and restart, trap and clear
 * each leave the children as configured. Cloud only responds ({@code %any}: it never restarts).
 */
class DeadPeerTest {
    private final ScriptedLab lab = new ScriptedLab();

    private Connection corp(String dpd, String start) {
        return ScriptedLab.connection(CORP, CLOUD, dpd, start, PSK);
    }

    /** Cloud's own checks would count as traffic for corp: it checks only after an hour. */
    private void cloudResponds() {
        lab.cloud.connections(List.of(ScriptedLab.connection(CLOUD, "%any", "{ delay: 1h, timeout: 1h }", "none", PSK)));
    }

    private Connection upWith(String dpd, String start) {
        Connection conn = corp(dpd, start);
        cloudResponds();
        lab.corp.connections(List.of(conn));
        lab.corp.initiate(conn, List.of());
        lab.runSeconds(1);
        assertThat(ScriptedLab.up(lab.corp)).as(lab.wire.toString()).isTrue();
        return conn;
    }

    private int reqid() {
        return lab.corp.reqid("s2s", "net");
    }

    @Test
    void espFromThePeerPostponesTheCheckAndSilenceStartsItAfterTheDelay() {
        upWith("{ delay: 30s, timeout: 45s }", "none");
        // ESP arrives on both sides every 10 s for 2 minutes: nobody checks anything.
        for (int i = 0; i < 12; i++) {
            lab.runSeconds(10);
            ScriptedLab.espArrives(lab.corp, lab.corpPort);
            ScriptedLab.espArrives(lab.cloud, lab.cloudPort);
        }
        double lastEsp = 121;
        assertThat(lab.sent(CORP, "INFORMATIONAL request")).isEmpty();
        assertThat(lab.events("corp", "dpd-check")).isEmpty();

        // Silence: a check after 30 s, at the latest one sampling period (30 s) later.
        lab.runSeconds(70);
        List<String> checks = lab.sent(CORP, "INFORMATIONAL request");
        assertThat(checks).isNotEmpty();
        assertThat(time(checks.getFirst()) - lastEsp).isBetween(30.0, 60.0);
        assertThat(lab.events("corp", "dpd-check").getFirst())
                .contains("nothing from peer 192.0.2.2 for", "liveness check sent to peer 192.0.2.2",
                        "declared dead without an answer within 45 s");
        assertThat(lab.events("corp", "dpd-dead")).isEmpty();
        assertThat(ScriptedLab.up(lab.corp)).isTrue();
    }

    @Test
    void anIkeMessageFromThePeerCountsAsTrafficToo() {
        upWith("{ delay: 30s, timeout: 45s }", "none");
        lab.runSeconds(20);
        lab.cloud.rekey("s2s", Optional.of("net")); // cloud talks to corp at 21 s
        lab.runSeconds(25);
        // corp heard cloud at 21 s: nothing from corp before 51 s although it was established at 0.
        assertThat(lab.sent(CORP, "INFORMATIONAL request")).isEmpty();
        lab.runSeconds(10);
        assertThat(lab.sent(CORP, "INFORMATIONAL request")).hasSize(1);
    }

    @Test
    void aSilentPeerIsDeadExactlyAtTheTimeoutAfterTheCheckBegan() {
        upWith("{ delay: 30s, timeout: 45s }", "none"); // Azure's timeout
        lab.cut = true;
        lab.runSeconds(120);
        List<String> checks = lab.sent(CORP, "INFORMATIONAL request");
        double begun = time(checks.getFirst());
        assertThat(begun).isBetween(30.0, 31.0);
        // 1 send and 5 resends, all within the timeout.
        assertThat(checks).hasSize(6).allSatisfy(c -> assertThat(time(c)).isBetween(begun, begun + 45));
        String dead = lab.events("corp", "dpd-dead").getFirst();
        assertThat(time(dead)).isCloseTo(begun + 45, within(0.01));
        assertThat(dead).contains("peer 192.0.2.2 is dead: no answer to the liveness check", "UDP 500/4500");
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).startsWith("corp: peer 192.0.2.2 is dead"));
    }

    @Test
    void restartKeepsTryingWithBackoffAndSucceedsOnceThePeerIsBack() {
        upWith("{ delay: 3s, timeout: 9s, action: restart }", "none");
        lab.cut = true;
        lab.runSeconds(60);
        double dead = time(lab.events("corp", "dpd-dead").getFirst());
        assertThat(dead).isCloseTo(12, within(0.01)); // heard last at 0 s: check at 3 s, dead 9 s later
        assertThat(lab.events("corp", "dpd-action").getFirst()).contains("dpd action restart: re-establishing net");
        // Attempts 1 s, then 2 s, 4 s after each failure; each connect gives up after the 9 s timeout.
        List<Double> restarts = lab.events("corp", "restart").stream().map(ScriptedLab::time).toList();
        assertThat(restarts).hasSizeGreaterThanOrEqualTo(3);
        assertThat(restarts.get(0)).isCloseTo(dead + 1, within(0.01));
        assertThat(restarts.get(1)).isCloseTo(restarts.get(0) + 9 + 2, within(0.01));
        assertThat(restarts.get(2)).isCloseTo(restarts.get(1) + 9 + 4, within(0.01));
        assertThat(lab.events("corp", "restart-scheduled").get(2)).contains("attempt 3 to bring up net with 192.0.2.2 in 4 s");
        assertThat(lab.events("corp", "restart").getFirst()).contains("re-initiating net with 192.0.2.2 (attempt 1)");
        assertThat(lab.corpPort.policies.get(reqid()).action()).isEqualTo(IpsecPolicy.Action.PROTECT);
        assertThat(lab.corpPort.policies.get(reqid()).outboundSpi()).isEmpty(); // fail closed meanwhile

        lab.cut = false; // the peer is back: the next attempt (after 16 s) gets through
        lab.runSeconds(20);
        assertThat(ScriptedLab.up(lab.corp)).as(lab.wire.toString()).isTrue();
        assertThat(ScriptedLab.up(lab.cloud)).isTrue();

        // Success reset the backoff: the next death restarts after 1 s again.
        lab.events.clear();
        lab.cut = true;
        lab.runSeconds(30);
        double dead2 = time(lab.events("corp", "dpd-dead").getFirst());
        assertThat(time(lab.events("corp", "restart").getFirst())).isCloseTo(dead2 + 1, within(0.01));
    }

    @Test
    void aStartChildComesBackAfterAnyFailureWithBackoffUntilTheAdminTakesItDown() {
        Connection conn = ScriptedLab.connection(CORP, CLOUD, "{ delay: 3s, timeout: 9s }", "start", "not-the-peers-shared-secret");
        cloudResponds();
        lab.corp.connections(List.of(conn));
        lab.corp.initiate(conn, List.of()); // what the daemon does for start: start
        lab.runSeconds(200);
        assertThat(lab.failures).anySatisfy(f -> assertThat(f).startsWith("corp: ").contains("refused our AUTH"));
        List<Double> attempts = lab.events("corp", "restart").stream().map(ScriptedLab::time).toList();
        // Each attempt fails at once (authentication): 1 s, then doubling, at most 60 s apart.
        assertThat(attempts).hasSizeGreaterThanOrEqualTo(7);
        assertThat(attempts.getFirst()).isEqualTo(1.0);
        List<Double> gaps = java.util.stream.IntStream.range(1, 7).mapToObj(i -> attempts.get(i) - attempts.get(i - 1))
                .toList();
        assertThat(gaps).containsExactly(2.0, 4.0, 8.0, 16.0, 32.0, 60.0);
        assertThat(lab.events("corp", "restart-scheduled").get(3)).contains("refused our AUTH",
                "attempt 4 to bring up net with 192.0.2.2 in 8 s (at 2026-01-01T00:00:15Z)");

        // The admin fixes the PSK on the peer's side: the next attempt succeeds.
        lab.cloud.connections(List.of(ScriptedLab.connection(CLOUD, "%any", "{ delay: 1h, timeout: 1h }", "none",
                "not-the-peers-shared-secret")));
        lab.runSeconds(61);
        assertThat(ScriptedLab.up(lab.corp)).isTrue();

        // A failure later starts at 1 s again; 'down' while an attempt is pending stops them.
        lab.cloud.connections(List.of(ScriptedLab.connection(CLOUD, "%any", "{ delay: 1h, timeout: 1h }", "none", PSK)));
        lab.corp.terminate("s2s", Optional.empty());
        lab.runSeconds(1);
        lab.events.clear();
        lab.corp.initiate(conn, List.of());
        lab.runSeconds(0.5);
        assertThat(lab.events("corp", "restart-scheduled")).singleElement().asString().contains("in 1 s");
        assertThat(lab.corp.terminate("s2s", Optional.empty())).isTrue();
        lab.runSeconds(120);
        assertThat(lab.events("corp", "restart")).isEmpty();
    }

    @Test
    void trapLeavesTrapPoliciesEvenForAStartChildAndTrafficBringsItBack() {
        upWith("{ delay: 3s, timeout: 9s, action: trap }", "start");
        lab.cut = true;
        lab.runSeconds(20);
        assertThat(lab.events("corp", "dpd-dead")).hasSize(1);
        assertThat(lab.events("corp", "dpd-action").getFirst()).contains("net wait as trap policies");
        assertThat(lab.corpPort.policies.get(reqid()).action()).isEqualTo(IpsecPolicy.Action.TRAP);
        int initsBefore = lab.sent(CORP, "IKE_SA_INIT request").size();
        lab.runSeconds(300);
        assertThat(lab.sent(CORP, "IKE_SA_INIT request")).hasSize(initsBefore); // nothing restarts by itself

        lab.cut = false;
        lab.corp.acquire(reqid()); // a packet hits the trap
        lab.runSeconds(1);
        assertThat(ScriptedLab.up(lab.corp)).isTrue();
    }

    @Test
    void clearLeavesDropPoliciesEvenForATrapChildAndNothingRestarts() {
        upWith("{ delay: 3s, timeout: 9s, action: clear }", "trap");
        lab.cut = true;
        lab.runSeconds(20);
        assertThat(lab.events("corp", "dpd-action").getFirst())
                .contains("dpd action clear: net stay down", "'ipsecctl up s2s'");
        IpsecPolicy policy = lab.corpPort.policies.get(reqid());
        assertThat(policy.action()).isEqualTo(IpsecPolicy.Action.PROTECT);
        assertThat(policy.outboundSpi()).isEmpty();
        assertThat(lab.corpPort.sas).isEmpty();
        int initsBefore = lab.sent(CORP, "IKE_SA_INIT request").size();
        lab.cut = false;
        lab.runSeconds(300);
        assertThat(lab.sent(CORP, "IKE_SA_INIT request")).hasSize(initsBefore);
        assertThat(lab.events("corp", "restart-scheduled")).isEmpty();
    }

    @Test
    void aGivenUpRequestOnAnEstablishedSaMeansTheSameDeadPeer() {
        // DPD effectively off: only the child rekey's own retransmissions (strongSwan's 165 s) notice.
        upWith("{ delay: 1h, timeout: 1h }", "none");
        lab.cut = true;
        lab.corp.rekey("s2s", Optional.of("net"));
        lab.runSeconds(170);
        assertThat(lab.failures).containsExactly(
                "corp: peer 192.0.2.2 is dead: no answer to our CREATE_CHILD_SA request: gave up after 5 retransmits"
                        + " (165 s); check that its IKE daemon runs and that UDP 500/4500 from here reach it");
        assertThat(lab.events("corp", "dpd-action")).hasSize(1);
        assertThat(lab.sent(CORP, "IKE_SA_INIT request")).hasSizeGreaterThan(1); // the restart
    }

    @Test
    void aRequestStuckBehindAnotherIsStillBoundedByTheTimeout() {
        upWith("{ delay: 10s, timeout: 20s }", "none");
        lab.runSeconds(5);
        lab.cut = true;
        lab.corp.rekey("s2s", Optional.empty()); // an IKE rekey ahead of any check, resent for 165 s
        lab.runSeconds(60);
        // Heard last at 0 s: the check begins at 10 s but waits behind the rekey; dead at 10 + 20 s anyway.
        assertThat(time(lab.events("corp", "dpd-check").getFirst())).isCloseTo(10, within(0.01));
        assertThat(time(lab.events("corp", "dpd-dead").getFirst())).isCloseTo(30, within(0.01));
        assertThat(lab.sent(CORP, "INFORMATIONAL request")).isEmpty();
    }

    @Test
    void espForAnUnknownSpiFromThePeerStartsACheckAtOnceAtMostEveryFiveSeconds() {
        upWith("{ delay: 30s, timeout: 45s }", "none");
        lab.runSeconds(2);
        lab.corp.unknownSpi(0x1234, new java.net.InetSocketAddress(CLOUD, 0));
        lab.corp.unknownSpi(0x1234, new java.net.InetSocketAddress(CLOUD, 0));
        lab.corp.unknownSpi(0x1234, new java.net.InetSocketAddress("203.0.113.9", 0)); // a stranger: nothing
        lab.runSeconds(1);
        assertThat(lab.sent(CORP, "INFORMATIONAL request")).hasSize(1);
        assertThat(lab.events("corp", "dpd-check").getFirst()).contains("ESP for unknown SPI 00001234 from 192.0.2.2");
        lab.runSeconds(1);
        lab.corp.unknownSpi(0x1234, new java.net.InetSocketAddress(CLOUD, 0)); // 2 s later: rate-limited
        lab.runSeconds(1);
        assertThat(lab.sent(CORP, "INFORMATIONAL request")).hasSize(1);
        lab.runSeconds(4);
        lab.corp.unknownSpi(0x1234, new java.net.InetSocketAddress(CLOUD, 0));
        lab.runSeconds(1);
        assertThat(lab.sent(CORP, "INFORMATIONAL request")).hasSize(2);
        assertThat(lab.events("corp", "dpd-dead")).isEmpty();
    }

    @Test
    void invalidSpiFromThePeerChecksItAndReplacesTheChild() {
        upWith("{ delay: 30s, timeout: 45s }", "none");
        IkeSaInfo.ChildSaInfo before = lab.corp.snapshot().getFirst().children().getFirst();
        IkeSa sa = lab.corp.bySpi.values().iterator().next();
        Liveness.informational(sa, List.of(new io.ipsecd.ike.message.NotifyPayload(
                io.ipsecd.ike.message.ProtocolId.ESP.value(), Proposals.spiBytes(before.spiOut()),
                io.ipsecd.ike.message.NotifyType.INVALID_SPI.value(), io.ipsecd.ike.message.Bytes.EMPTY)));
        lab.runSeconds(2);
        assertThat(lab.events("corp", "dpd-check").getFirst()).contains("peer 192.0.2.2 sent INVALID_SPI");
        IkeSaInfo.ChildSaInfo after = lab.corp.snapshot().getFirst().children().getFirst();
        assertThat(lab.corp.snapshot().getFirst().children()).hasSize(1);
        assertThat(after.spiOut()).isNotEqualTo(before.spiOut());
        assertThat(lab.cloud.snapshot().getFirst().children()).hasSize(1);
        assertThat(lab.cloud.snapshot().getFirst().children().getFirst().spiIn()).isEqualTo(after.spiOut());
    }

    @Test
    void theCheckResendsFitTheTimeout() {
        RetransmitPolicy azure = Liveness.boundedBy(Duration.ofSeconds(45));
        assertThat(azure.retransmits()).isEqualTo(5);
        assertThat(azure.giveUpAfter().toMillis()).isCloseTo(45_000, within(10L));
        RetransmitPolicy shortOne = Liveness.boundedBy(Duration.ofSeconds(9));
        assertThat(shortOne.retransmits()).isEqualTo(3);
        assertThat(shortOne.timeoutAfter(0).toMillis()).isGreaterThanOrEqualTo(1000);
        assertThat(shortOne.giveUpAfter().toMillis()).isCloseTo(9_000, within(10L));
        assertThat(Liveness.boundedBy(Duration.ofMillis(300)).giveUpAfter()).isEqualTo(Duration.ofMillis(300));
    }
}
