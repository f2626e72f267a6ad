package io.ipsecd.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ipsecd killed with SIGKILL (no DELETE reaches the peer) and started again: its first IKE_AUTH
 * carries INITIAL_CONTACT, so strongSwan 5.9.8 drops the stale SAs of the old incarnation at once,
 * and the tunnel carries traffic again within 5 s of the restart (issue 6's restart acceptance).
 */
@Testbed
class IpsecdRestartTest {
    private static final Duration UP = Duration.ofSeconds(20);
    private static final Duration BACK_WITHIN = Duration.ofSeconds(5);

    @BeforeEach
    void needsPackagedIpsecd() {
        Ipsecd.assumePackaged();
    }

    @Test
    void aKilledIpsecdIsBackWithinFiveSecondsAndStrongSwanKeepsOnlyTheNewSa() {
        try (Lab lab = Topologies.siteToSite()) {
            Ipsecd ours = Ipsecd.start(lab, lab.corp());
            StrongSwan theirs = StrongSwan.start(lab, lab.cloud(), StrongSwanVersion.V5_9_8);
            theirs.load(List.of(tunnel(lab.cloud(), lab.corp(), TunnelConfig.StartAction.NONE)));
            List<TunnelConfig> config = List.of(tunnel(lab.corp(), lab.cloud(), TunnelConfig.StartAction.START));
            ours.load(config);
            assertThat(await(() -> up(theirs) == 1 && pingsThrough(lab), UP)).as(lab.logTails(3000)).isTrue();
            String staleSpi = theirs.listSas().getFirst().spiInitiator();

            ours.kill();
            long restart = System.nanoTime();
            ours.load(config); // start: start brings the tunnel up by itself
            assertThat(await(() -> pingsThrough(lab), BACK_WITHIN.plusSeconds(5))).as(lab.logTails(3000)).isTrue();
            Duration back = Duration.ofNanos(System.nanoTime() - restart);
            System.out.println("tunnel back " + back.toMillis() + " ms after the restart");
            assertThat(back).as("from restart to the first ping through").isLessThanOrEqualTo(BACK_WITHIN);

            // INITIAL_CONTACT: strongSwan replaced the old incarnation's IKE SA instead of keeping both.
            assertThat(await(() -> theirs.listSas().size() == 1, Duration.ofSeconds(5)))
                    .as("strongSwan's SAs: " + theirs.listSas()).isTrue();
            assertThat(theirs.listSas().getFirst().spiInitiator()).isNotEqualTo(staleSpi);
            assertThat(lab.logTails(100_000)).as("charon's log").contains("destroying duplicate IKE_SA for peer 'corp', received INITIAL_CONTACT");
        }
    }

    private static long up(Gateway g) {
        return g.listSas().stream().filter(sa -> sa.established() && sa.children().stream()
                .anyMatch(SaInfo.ChildSa::installed)).count();
    }

    private static boolean pingsThrough(Lab lab) {
        return Exec.run(Duration.ofSeconds(5), Netns.exec(lab.corp().hostNs(), List.of("ping", "-4", "-n", "-c", "1",
                "-W", "1", lab.cloud().hostAddress().v4())), java.util.Map.of()).ok();
    }

    private static TunnelConfig tunnel(Site local, Site remote, TunnelConfig.StartAction start) {
        return new TunnelConfig("s2s", new Endpoint(local.wanAddress().v4(), local.name()),
                new Endpoint(remote.wanAddress().v4(), remote.name()), List.of("aes256gcm16-prfsha384-x25519"),
                new TunnelConfig.Psk("a-long-random-shared-secret-for-the-restart-test"),
                List.of(new Child("net", List.of(local.lan().v4(), local.lan().v6()),
                        List.of(remote.lan().v4(), remote.lan().v6()), List.of("aes256gcm16"), start)));
    }

    private static boolean await(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            if (!Exec.sleep(100)) break;
        }
        return condition.getAsBoolean();
    }
}
