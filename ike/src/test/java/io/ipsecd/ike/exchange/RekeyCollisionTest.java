package io.ipsecd.ike.exchange;

import static io.ipsecd.ike.exchange.ScriptedLab.CLOUD;
import static io.ipsecd.ike.exchange.ScriptedLab.CORP;
import static io.ipsecd.ike.exchange.ScriptedLab.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.esp.SaDirection;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.port.IpsecPolicy;
import io.ipsecd.ike.port.SaId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Crossing exchanges (RFC 7296 §2.8.1, §2.25) on a manual clock, made to cross by holding
 * datagrams on the wire: each case ends with exactly one SA per child on both sides, the same
 * SPIs on both, and the policy on the surviving SA.
 */
class RekeyCollisionTest {
    private static final Optional<String> NET = Optional.of("net");

    private static ScriptedLab lab(long seed, String esp) {
        ScriptedLab w = new ScriptedLab(seed);
        w.corp.connections(List.of(ScriptedLab.connection(CORP, CLOUD, "{}", "none", ScriptedLab.PSK, esp)));
        w.cloud.connections(List.of(ScriptedLab.connection(CLOUD, CORP, "{}", "none", ScriptedLab.PSK, esp)));
        return w;
    }

    private static void bringUp(ScriptedLab w) {
        w.corp.initiate(w.corp.connections.get("s2s"), List.of());
        w.run(Duration.ofSeconds(1));
        assertThat(ScriptedLab.up(w.corp) && ScriptedLab.up(w.cloud)).as("up: %s %s", w.wire, w.failures).isTrue();
    }

    /** Both sides agree on one Child SA (or none), the data plane holds exactly its two halves. */
    private static void assertOneChild(ScriptedLab w, int expectedChildren) {
        IkeSaInfo corp = only(w.corp);
        IkeSaInfo cloud = only(w.cloud);
        assertThat(corp.children()).as("corp children; wire " + w.wire).hasSize(expectedChildren);
        assertThat(cloud.children()).as("cloud children; wire " + w.wire).hasSize(expectedChildren);
        assertThat(corp.spiInitiator()).isEqualTo(cloud.spiInitiator());
        assertThat(corp.spiResponder()).isEqualTo(cloud.spiResponder());
        assertThat(w.corpPort.sas).hasSize(2 * expectedChildren);
        assertThat(w.cloudPort.sas).hasSize(2 * expectedChildren);
        if (expectedChildren == 1) {
            IkeSaInfo.ChildSaInfo a = corp.children().getFirst();
            IkeSaInfo.ChildSaInfo b = cloud.children().getFirst();
            assertThat(a.spiIn()).isEqualTo(b.spiOut());
            assertThat(a.spiOut()).isEqualTo(b.spiIn());
            assertThat(a.state()).isEqualTo("INSTALLED");
            assertThat(b.state()).isEqualTo("INSTALLED");
            assertThat(w.corpPort.policies.get(a.reqid()).outboundSpi()).hasValue(a.spiOut());
            assertThat(w.cloudPort.policies.get(b.reqid()).outboundSpi()).hasValue(b.spiOut());
        }
        assertThat(w.failures).isEmpty();
    }

    private static boolean request(ScriptedLab.Datagram d, ExchangeType type) {
        return d.is(type, false);
    }

    /** Both sides start an exchange while the wire holds requests, then both requests cross at once. */
    private static void cross(ScriptedLab w, java.util.function.Consumer<Negotiator> corpStarts,
                              java.util.function.Consumer<Negotiator> cloudStarts) {
        w.hold = d -> !d.response();
        corpStarts.accept(w.corp);
        cloudStarts.accept(w.cloud);
        w.loop.runReady();
        assertThat(w.held()).as("both requests held").hasSize(2);
        w.hold = d -> false;
        w.release(d -> true);
        w.run(Duration.ofSeconds(5));
    }

    @Test
    void simultaneousChildRekeysKeepTheSaWithTheHigherNoncesOnBothSides() {
        List<String> losers = new ArrayList<>();
        for (long seed = 1; seed <= 20; seed++) {
            ScriptedLab w = lab(seed, "aes256gcm16");
            bringUp(w);
            int original = only(w.corp).children().getFirst().spiIn();
            // Both requests cross: each side answers the other's while its own is out.
            cross(w, n -> assertThat(n.rekey("s2s", NET)).isTrue(), n -> assertThat(n.rekey("s2s", NET)).isTrue());

            assertOneChild(w, 1);
            assertThat(w.events("corp", "child-rekey-collision")).as("seed " + seed).isNotEmpty();
            assertThat(w.events("cloud", "child-rekey-collision")).as("seed " + seed).isNotEmpty();
            IkeSaInfo.ChildSaInfo kept = only(w.corp).children().getFirst();
            assertThat(kept.spiIn()).isNotEqualTo(original);
            assertThat(kept.rekeys()).isEqualTo(1);
            // The loser deleted its redundant SA, the winner the old one: two DELETE requests in all.
            assertThat(w.wire.stream().filter(t -> t.contains("INFORMATIONAL response"))).hasSize(2);
            List<String> deletingOurs = w.events.stream().filter(e -> e.contains("child-rekey-collision")
                    && e.contains("deleting ours")).toList();
            assertThat(deletingOurs).as("exactly one side lost").hasSize(1);
            losers.add(deletingOurs.getFirst().split(" ")[1]);
        }
        assertThat(losers).as("the lowest nonce decides, so either side may lose").contains("corp", "cloud");
    }

    @Test
    void simultaneousIkeRekeysLeaveOneIkeSaWithTheChildrenOnBothSides() {
        List<Boolean> corpKeptOwn = new ArrayList<>();
        for (long seed = 1; seed <= 20; seed++) {
            ScriptedLab w = lab(seed, "aes256gcm16");
            bringUp(w);
            IkeSaInfo before = only(w.corp);
            IkeSaInfo.ChildSaInfo child = before.children().getFirst();
            cross(w, n -> assertThat(n.rekey("s2s", Optional.empty())).isTrue(),
                    n -> assertThat(n.rekey("s2s", Optional.empty())).isTrue());

            assertOneChild(w, 1);
            IkeSaInfo after = only(w.corp);
            assertThat(after.spiInitiator()).as("seed " + seed).isNotEqualTo(before.spiInitiator());
            assertThat(after.rekeys()).isEqualTo(1);
            assertThat(only(w.cloud).rekeys()).isEqualTo(1);
            assertThat(after.children().getFirst().spiIn()).as("the children moved, not rekeyed").isEqualTo(child.spiIn());
            assertThat(w.events("corp", "ike-rekey-collision")).isNotEmpty();
            assertThat(w.events("cloud", "ike-rekey-collision")).isNotEmpty();
            assertThat(w.events("corp", "ike-deleted")).isEmpty();
            corpKeptOwn.add(after.initiator());
        }
        assertThat(corpKeptOwn).contains(true, false);
    }

    @Test
    void collisionSeenFirstByOneSideOnlyStillEndsWithOneSa() {
        for (long seed = 1; seed <= 10; seed++) {
            ScriptedLab w = lab(seed, "aes256gcm16");
            bringUp(w);
            cloudCutWhileBothRekey(w, NET);
            assertThat(w.held()).extracting(ScriptedLab.Datagram::text)
                    .containsExactly("cloud CREATE_CHILD_SA request 0", "cloud CREATE_CHILD_SA response 2");
            // corp gets its answer first and finishes without knowing; cloud's request then meets a replaced SA.
            w.release(d -> d.is(ExchangeType.CREATE_CHILD_SA, true));
            w.release(d -> true);
            w.run(Duration.ofSeconds(5));
            assertOneChild(w, 1);
        }
    }

    @Test
    void bothDirectionsCutThenRetransmittedCollideOnBothSides() {
        ScriptedLab w = lab(3, "aes256gcm16-x25519");
        bringUp(w);
        cloudCutWhileBothRekey(w, NET);
        w.lose(d -> true); // lost: the retransmissions 4 s later bring them again
        w.run(Duration.ofSeconds(10));
        assertOneChild(w, 1);
        assertThat(w.events("corp", "child-rekey-collision")).isNotEmpty();
        assertThat(w.events("cloud", "child-rekey-collision")).isNotEmpty();
        assertThat(only(w.corp).children().getFirst().keyExchange()).isEqualTo("CURVE_25519");
    }

    /**
     * The testbed's recipe: cloud -> corp is cut while cloud, then 300 ms later corp, rekey: cloud's
     * request and its answer to corp's wait on the wire; the cut is over when this returns.
     */
    private static void cloudCutWhileBothRekey(ScriptedLab w, Optional<String> child) {
        w.hold = d -> d.from() == w.cloud;
        w.cloud.rekey("s2s", child);
        w.loop.runReady();
        w.run(Duration.ofMillis(300));
        w.corp.rekey("s2s", child);
        w.loop.runReady();
        w.hold = d -> false;
    }

    /** Neither side ever sends on an SA the other cannot receive on yet. */
    private static void assertSendsOnlyWhatThePeerReceives(ScriptedLab w) {
        for (var pair : List.of(List.of(w.corpPort, w.cloudPort), List.of(w.cloudPort, w.corpPort))) {
            pair.get(0).policies.values().forEach(p -> p.outboundSpi().ifPresent(spi -> assertThat(pair.get(1).sas)
                    .as("policy sends on %08x; wire %s", spi, w.wire).containsKey(new SaId(spi, SaDirection.INBOUND))));
        }
    }

    @Test
    void crossedRetransmittedIkeRekeysLeaveOneIkeSaWhicheverSideLoses() {
        List<Boolean> corpKeptOwn = new ArrayList<>();
        for (long seed = 1; seed <= 12; seed++) {
            ScriptedLab w = lab(seed, "aes256gcm16");
            bringUp(w);
            cloudCutWhileBothRekey(w, Optional.empty());
            w.lose(d -> true);
            w.run(IkeRekeyTask.REDUNDANT_GRACE.plusSeconds(10));
            assertOneChild(w, 1);
            assertThat(only(w.corp).rekeys()).as("seed %d: %s", seed, w.wire).isEqualTo(1);
            corpKeptOwn.add(only(w.corp).initiator());
            assertThat(w.events).noneMatch(e -> e.contains("ike-deleted"));
        }
        assertThat(corpKeptOwn).contains(true, false);
    }

    @Test
    void crossedRetransmittedChildRekeysNeverSendOnAnSaThePeerLacks() {
        List<String> losers = new ArrayList<>();
        for (long seed = 1; seed <= 12; seed++) {
            ScriptedLab w = lab(seed, "aes256gcm16");
            bringUp(w);
            w.afterDelivery = () -> assertSendsOnlyWhatThePeerReceives(w);
            cloudCutWhileBothRekey(w, NET);
            w.lose(d -> true);
            w.run(Duration.ofSeconds(10));
            assertOneChild(w, 1);
            w.events.stream().filter(e -> e.contains("deleting ours")).forEach(e -> losers.add(e.split(" ")[1]));
        }
        assertThat(losers).contains("corp", "cloud");
    }

    @Test
    void childRekeyCrossingItsDeleteLeavesNoSaAndTheDropPolicy() {
        ScriptedLab w = lab(5, "aes256gcm16");
        bringUp(w);
        cross(w, n -> n.rekey("s2s", NET), n -> n.terminate("s2s", NET));

        assertOneChild(w, 0);
        for (MemoryPort port : List.of(w.corpPort, w.cloudPort)) {
            IpsecPolicy drop = port.policies.get(1);
            assertThat(drop.action()).isEqualTo(IpsecPolicy.Action.PROTECT);
            assertThat(drop.outboundSpi()).isEmpty();
        }
        assertThat(w.sent(CLOUD, "CREATE_CHILD_SA response 2")).isNotEmpty(); // answered TEMPORARY_FAILURE
    }

    @Test
    void ikeRekeyCrossingTheIkeDeleteLeavesNothingBehind() {
        ScriptedLab w = lab(6, "aes256gcm16");
        bringUp(w);
        cross(w, n -> n.rekey("s2s", Optional.empty()), n -> n.terminate("s2s", Optional.empty()));

        assertThat(w.corp.snapshot()).as(w.wire.toString()).isEmpty();
        assertThat(w.cloud.snapshot()).isEmpty();
        assertThat(w.corp.bySpi).as("the half-made rekeyed SA is forgotten too").isEmpty();
        assertThat(w.corpPort.sas).isEmpty();
        assertThat(w.cloudPort.sas).isEmpty();
    }

    @Test
    void ikeRekeyWhileAChildExchangeIsOutIsRefusedForNowAndRetried() {
        ScriptedLab w = lab(7, "aes256gcm16");
        bringUp(w);
        w.hold = d -> d.from() == w.corp && request(d, ExchangeType.CREATE_CHILD_SA);
        w.corp.rekey("s2s", NET); // corp's child rekey is out (held)
        w.loop.runReady();
        w.cloud.rekey("s2s", Optional.empty()); // cloud's IKE rekey meets it
        w.loop.runReady();
        assertThat(w.sent(CORP, "CREATE_CHILD_SA response 0")).isNotEmpty();
        assertThat(only(w.cloud).rekeys()).as("refused with TEMPORARY_FAILURE").isZero();
        w.hold = d -> false;
        w.release(d -> true);
        w.run(Duration.ofSeconds(10)); // cloud retries 1 to 3 s later
        assertOneChild(w, 1);
        assertThat(only(w.corp).rekeys()).isEqualTo(1);
        assertThat(only(w.corp).children().getFirst().rekeys()).isEqualTo(1);
        assertThat(w.events("cloud", "ike-rekeyed")).isNotEmpty();
        assertThat(w.events("cloud", "child-rekeyed")).isNotEmpty();
    }

    @Test
    void childRekeyWhileALivenessCheckIsOutIsAnsweredAsUsual() {
        ScriptedLab w = lab(8, "aes256gcm16");
        bringUp(w);
        w.hold = d -> d.from() == w.corp && request(d, ExchangeType.INFORMATIONAL);
        w.corp.checkLiveness("s2s");
        w.loop.runReady();
        w.cloud.rekey("s2s", NET);
        w.run(Duration.ofMillis(100));
        w.hold = d -> false;
        w.release(d -> true);
        w.run(Duration.ofSeconds(5));
        assertOneChild(w, 1);
        assertThat(only(w.corp).children().getFirst().rekeys()).isEqualTo(1);
    }

    @Test
    void rekeyResponderSendsOnTheNewSaOnlyOnceTheOldOneIsDeleted() {
        ScriptedLab w = lab(9, "aes256gcm16");
        bringUp(w);
        IkeSaInfo.ChildSaInfo old = only(w.corp).children().getFirst();
        w.hold = d -> d.from() == w.cloud && request(d, ExchangeType.INFORMATIONAL);
        w.cloud.rekey("s2s", NET);
        w.run(Duration.ofMillis(100));
        // corp answered: both new halves are in, but it still sends on the old SA.
        assertThat(w.corpPort.sas).hasSize(4);
        assertThat(w.corpPort.policies.get(1).outboundSpi()).hasValue(old.spiOut());
        IkeSaInfo.ChildSaInfo fresh = only(w.corp).children().stream().filter(c -> c.spiIn() != old.spiIn())
                .findFirst().orElseThrow();
        w.hold = d -> false;
        w.release(d -> true); // the DELETE of the old SA
        w.loop.runReady();
        assertThat(w.corpPort.policies.get(1).outboundSpi()).hasValue(fresh.spiOut());
        SaId oldIn = new SaId(old.spiIn(), SaDirection.INBOUND);
        assertThat(w.corpPort.sas).as("the old inbound SA stays a moment for packets in flight").containsKey(oldIn)
                .doesNotContainKey(new SaId(old.spiOut(), SaDirection.OUTBOUND));
        w.run(ChildSas.INBOUND_GRACE.plusMillis(1));
        assertThat(w.corpPort.sas).doesNotContainKey(oldIn);
        assertOneChild(w, 1);
    }

    @Test
    void withoutTheDeleteTheResponderMovesToTheNewSaAfterAWhile() {
        ScriptedLab w = lab(10, "aes256gcm16");
        bringUp(w);
        IkeSaInfo.ChildSaInfo old = only(w.corp).children().getFirst();
        w.hold = d -> d.from() == w.cloud && request(d, ExchangeType.INFORMATIONAL);
        w.cloud.rekey("s2s", NET);
        w.run(ChildCreateTask.ACTIVATE_WITHOUT_DELETE.minusSeconds(1));
        assertThat(w.corpPort.policies.get(1).outboundSpi()).hasValue(old.spiOut());
        w.run(Duration.ofSeconds(2));
        assertThat(w.corpPort.policies.get(1).outboundSpi()).isNotEqualTo(java.util.OptionalInt.of(old.spiOut()));
    }

    @Test
    void aReloadThatChangesOnlyAChildIsUsedByTheIkeSaItKept() {
        ScriptedLab w = lab(11, "aes256gcm16");
        bringUp(w);
        long spi = only(w.corp).spiInitiator();
        w.corp.connections(List.of(LoopbackGateway.connection("192.0.2.1", "corp", "192.0.2.2", "cloud", 500,
                "a-long-shared-secret", "aes256gcm16-prfsha384-x25519", "aes256gcm16-x25519", "10.1.0.0/24", "10.2.0.0/24")));
        w.cloud.connections(List.of(LoopbackGateway.connection("192.0.2.2", "cloud", "192.0.2.1", "corp", 500,
                "a-long-shared-secret", "aes256gcm16-prfsha384-x25519", "aes256gcm16-x25519", "10.2.0.0/24", "10.1.0.0/24")));
        w.corp.rekey("s2s", NET);
        w.run(Duration.ofSeconds(5));
        assertOneChild(w, 1);
        assertThat(only(w.corp).spiInitiator()).isEqualTo(spi);
        assertThat(only(w.corp).children().getFirst().keyExchange()).as("rekeyed with the reloaded PFS group")
                .isEqualTo("CURVE_25519");
    }
}
