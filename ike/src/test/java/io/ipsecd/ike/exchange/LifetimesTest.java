package io.ipsecd.ike.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.conf.Child;
import io.ipsecd.conf.Connection;
import io.ipsecd.conf.IkeSettings;
import io.ipsecd.conf.Lifetime;
import io.ipsecd.esp.SaDirection;
import io.ipsecd.esp.SaLifetime;
import io.ipsecd.ike.crypto.RandomSource;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.port.ChildSaInstall;
import io.ipsecd.ike.port.IpsecPolicy;
import io.ipsecd.ike.port.SaId;
import io.ipsecd.ike.sa.ManualEventLoop;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Soft and hard lifetimes, with two negotiators on one manual clock: rekey times from margin and
 * jitter, byte/packet limits into the data plane, deletion of SAs that were not rekeyed in time.
 */
class LifetimesTest {
    private final ScriptedLab lab = new ScriptedLab();
    private final ManualEventLoop loop = lab.loop;
    private final MemoryPort corpPort = lab.corpPort;
    private final MemoryPort cloudPort = lab.cloudPort;
    private final Negotiator corp = lab.corp;
    private final Negotiator cloud = lab.cloud;

    /** From now on CREATE_CHILD_SA requests (every rekey) are lost in both directions. */
    private void loseRekeys() {
        lab.hold = d -> d.is(ExchangeType.CREATE_CHILD_SA, false);
    }

    private boolean happened(String side, String type) {
        return !lab.events(side, type).isEmpty();
    }

    private static Connection with(Connection c, Lifetime ike, Lifetime child) {
        Child net = c.children().get("net");
        IkeSettings i = c.ike();
        return new Connection(c.name(), c.local(), c.remote(), c.psk(),
                new IkeSettings(i.proposals(), ike, i.dpd(), i.encap(), i.allowWeakGroups()),
                Map.of("net", new Child("net", net.localTs(), net.remoteTs(), net.espProposals(), net.start(), child,
                        OptionalInt.empty())));
    }

    private Connection corpConn;

    private void up(Lifetime ike, Lifetime child) {
        corpConn = with(LoopbackGateway.connection("192.0.2.1", "corp", "192.0.2.2", "cloud", 500,
                "a-long-shared-secret", "aes256gcm16-prfsha384-x25519", "aes256gcm16", "10.1.0.0/24", "10.2.0.0/24"),
                ike, child);
        Connection cloudConn = with(LoopbackGateway.connection("192.0.2.2", "cloud", "192.0.2.1", "corp", 500,
                "a-long-shared-secret", "aes256gcm16-prfsha384-x25519", "aes256gcm16", "10.2.0.0/24", "10.1.0.0/24"),
                ike, child);
        corp.connections(List.of(corpConn));
        cloud.connections(List.of(cloudConn));
        corp.initiate(corpConn, List.of());
        loop.advance(Duration.ofSeconds(1));
        assertThat(childrenOf(corp)).hasSize(1);
        assertThat(childrenOf(cloud)).hasSize(1);
    }

    private static List<IkeSaInfo.ChildSaInfo> childrenOf(Negotiator n) {
        return n.snapshot().stream().flatMap(s -> s.children().stream()).toList();
    }

    private static Lifetime lifetime(Duration time, long bytes, long packets, int margin, int jitter) {
        return new Lifetime(time, bytes == 0 ? OptionalLong.empty() : OptionalLong.of(bytes),
                packets == 0 ? OptionalLong.empty() : OptionalLong.of(packets), margin, jitter);
    }

    @Test
    void rekeyDelaysLieBetweenTheMarginAndTheMarginPlusJitterAndVary() {
        RandomSource random = RandomSource.deterministic(3);
        Lifetime hour = Lifetime.of(Duration.ofHours(1));
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            Duration d = Lifetimes.rekeyDelay(random, hour);
            assertThat(d).isBetween(Duration.ofMinutes(51), Duration.ofMinutes(54)); // 85%..90%
            seen.add(d);
        }
        assertThat(seen).as("jitter spreads the rekeys").hasSizeGreaterThan(400);
        Lifetime noJitter = lifetime(Duration.ofSeconds(100), 0, 0, 20, 0);
        assertThat(Lifetimes.rekeyDelay(random, noJitter)).isEqualTo(Duration.ofSeconds(80));
    }

    @Test
    void softByteAndPacketLimitsGetTheirOwnJitterAndNeverExceedTheHardOnes() {
        RandomSource random = RandomSource.deterministic(4);
        Lifetime l = lifetime(Duration.ofHours(1), 1_000_000, 10_000, 10, 5);
        Set<Long> softBytes = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Lifetimes.TrafficLimits t = Lifetimes.traffic(random, l);
            assertThat(t.hard()).isEqualTo(new SaLifetime(1_000_000, 10_000));
            assertThat(t.soft().bytes()).isBetween(850_000L, 900_000L);
            assertThat(t.soft().packets()).isBetween(8_500L, 9_000L);
            softBytes.add(t.soft().bytes());
        }
        assertThat(softBytes).hasSizeGreaterThan(150);
        Lifetimes.TrafficLimits packetsOnly = Lifetimes.traffic(random, lifetime(Duration.ofHours(1), 0, 3, 10, 5));
        assertThat(packetsOnly.hard()).isEqualTo(new SaLifetime(Long.MAX_VALUE, 3));
        assertThat(packetsOnly.soft()).isEqualTo(new SaLifetime(Long.MAX_VALUE, 3)); // too few for a margin
        assertThat(Lifetimes.traffic(random, Lifetime.of(Duration.ofHours(1)))).isEqualTo(Lifetimes.TrafficLimits.UNLIMITED);
    }

    @Test
    void bothSidesInstallBothDirectionsWithTheConfiguredByteAndPacketLimits() {
        up(Lifetime.of(Duration.ofHours(8)), lifetime(Duration.ofHours(1), 100L << 30, 1_000_000, 10, 5));
        for (MemoryPort port : List.of(corpPort, cloudPort)) {
            assertThat(port.sas.values()).hasSize(2).allSatisfy(sa -> {
                assertThat(sa.esp().hardLifetime()).isEqualTo(new SaLifetime(100L << 30, 1_000_000));
                assertThat(sa.esp().softLifetime().bytes()).isBetween((100L << 30) * 85 / 100, (100L << 30) * 90 / 100);
                assertThat(sa.esp().softLifetime().packets()).isBetween(850_000L, 900_000L);
            });
        }
    }

    @Test
    void rekeyTimesFollowTheConfiguredMarginAndJitter() {
        up(lifetime(Duration.ofSeconds(1000), 0, 0, 30, 0), lifetime(Duration.ofSeconds(100), 0, 0, 20, 0));
        IkeSaInfo ike = corp.snapshot().getFirst();
        assertThat(Duration.between(ike.established(), ike.rekeyAt())).isEqualTo(Duration.ofSeconds(700));
        IkeSaInfo.ChildSaInfo child = ike.children().getFirst();
        assertThat(Duration.between(child.installed(), child.rekeyAt())).isEqualTo(Duration.ofSeconds(80));
        assertThat(corpPort.sas.values()).allSatisfy(sa -> assertThat(sa.esp().hardLifetime()).isEqualTo(SaLifetime.UNLIMITED));
    }

    @Test
    void childrenRekeyedInTimeNeverExpire() {
        up(Lifetime.of(Duration.ofHours(8)), Lifetime.of(Duration.ofSeconds(100)));
        int firstSpi = childrenOf(corp).getFirst().spiIn();
        loop.advance(Duration.ofSeconds(350));
        assertThat(childrenOf(corp)).hasSize(1);
        assertThat(childrenOf(cloud)).hasSize(1);
        assertThat(childrenOf(corp).getFirst().spiIn()).isNotEqualTo(firstSpi);
        assertThat(happened("corp", "child-expired") || happened("cloud", "child-expired")).isFalse();
    }

    @Test
    void aChildNotRekeyedByItsHardLimitLeavesTheDataPlaneAndFallsBackToItsDropPolicy() {
        up(Lifetime.of(Duration.ofHours(8)), lifetime(Duration.ofSeconds(100), 0, 0, 10, 0));
        loseRekeys(); // both sides try to rekey at 90 s; neither request arrives
        loop.advance(Duration.ofSeconds(98));
        assertThat(childrenOf(corp)).hasSize(1);
        assertThat(corpPort.sas).hasSize(2);

        loop.advance(Duration.ofSeconds(2)); // the hard limit, 100 s after install
        assertThat(happened("corp", "child-expired") && happened("cloud", "child-expired")).as(lab.events.toString()).isTrue();
        assertThat(childrenOf(corp)).isEmpty();
        assertThat(childrenOf(cloud)).isEmpty();
        assertThat(corpPort.sas).isEmpty();
        assertThat(cloudPort.sas).isEmpty();
        IpsecPolicy policy = corpPort.policies.get(1);
        assertThat(policy.action()).isEqualTo(IpsecPolicy.Action.PROTECT);
        assertThat(policy.outboundSpi()).as("drop, never clear").isEmpty();
        assertThat(corp.snapshot().getFirst().state()).isEqualTo("ESTABLISHED");
    }

    @Test
    void anIkeSaWhoseRekeyGoesUnansweredIsTornDownAtItsHardLimit() {
        up(lifetime(Duration.ofSeconds(300), 0, 0, 10, 0), Lifetime.of(Duration.ofHours(1)));
        loseRekeys();
        // Both rekey at 270 s and would give up retransmitting at 435 s, long past the hard limit at 300 s.
        loop.advance(Duration.ofSeconds(298));
        assertThat(established(corp)).isEqualTo(1);
        assertThat(corpPort.sas).hasSize(2);
        loop.advance(Duration.ofSeconds(3));
        assertThat(List.of("ike-expired", "ike-deleted")).as(lab.events.toString())
                .allMatch(t -> happened("corp", t) && happened("cloud", t));
        assertThat(corp.snapshot()).as("nothing left, not even the half-made rekey").isEmpty();
        assertThat(cloud.snapshot()).isEmpty();
        assertThat(corpPort.sas).isEmpty();
        assertThat(cloudPort.sas).isEmpty();
        assertThat(corpPort.policies.get(1).outboundSpi()).as("drop, never clear").isEmpty();
        assertThat(lab.failures).isEmpty();
    }

    private static long established(Negotiator n) {
        return n.snapshot().stream().filter(s -> s.state().equals("ESTABLISHED")).count();
    }

    @Test
    void anIkeSaRekeyedInTimeDoesNotExpire() {
        up(lifetime(Duration.ofSeconds(300), 0, 0, 10, 5), Lifetime.of(Duration.ofHours(1)));
        long firstSpi = corp.snapshot().getFirst().spiInitiator();
        loop.advance(Duration.ofSeconds(700));
        assertThat(corp.snapshot()).hasSize(1).allSatisfy(s -> assertThat(s.state()).isEqualTo("ESTABLISHED"));
        assertThat(corp.snapshot().getFirst().spiInitiator()).isNotEqualTo(firstSpi);
        assertThat(childrenOf(corp)).hasSize(1);
        assertThat(happened("corp", "ike-expired") || happened("cloud", "ike-expired")).isFalse();
    }

    @Test
    void aSoftLimitReportedForTheOutboundSaRekeysTheChild() {
        // What the data plane reports when the outbound SA's sequence numbers near their end
        // (OutboundSa's soft threshold, 2^32 - 2^24) or its soft byte/packet limit is reached.
        up(Lifetime.of(Duration.ofHours(8)), Lifetime.of(Duration.ofHours(1)));
        IkeSaInfo.ChildSaInfo first = childrenOf(corp).getFirst();
        corp.expired(new SaId(first.spiOut(), SaDirection.OUTBOUND), false);
        loop.advance(Duration.ofSeconds(1));
        assertThat(childrenOf(corp)).hasSize(1).first().satisfies(c -> {
            assertThat(c.spiIn()).isNotEqualTo(first.spiIn());
            assertThat(c.spiOut()).isNotEqualTo(first.spiOut());
        });
        assertThat(corpPort.sas.keySet()).doesNotContain(new SaId(first.spiOut(), SaDirection.OUTBOUND));
        ChildSaInstall fresh = corpPort.sas.get(new SaId(childrenOf(corp).getFirst().spiOut(), SaDirection.OUTBOUND));
        assertThat(fresh).isNotNull();
    }
}
