package io.ipsecd.ike.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.conf.Connection;
import io.ipsecd.ike.crypto.RandomSource;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.IkeMessageCodec;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.net.IkeTransport;
import io.ipsecd.ike.sa.ManualEventLoop;
import io.ipsecd.ike.sa.RetransmitPolicy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Two negotiators on one manual clock, wired through an in-memory network that a test can script:
 * drop, tamper with, or answer a datagram in the peer's place.
 */
class ScriptedExchangeTest {
    private static final InetSocketAddress CORP = new InetSocketAddress("192.0.2.1", 500);
    private static final InetSocketAddress CLOUD = new InetSocketAddress("192.0.2.2", 500);

    private final ManualEventLoop loop = new ManualEventLoop(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> failures = new ArrayList<>();
    private final MemoryPort corpPort = new MemoryPort();
    private final MemoryPort cloudPort = new MemoryPort();
    private final Negotiator corp = negotiator(corpPort, 1);
    private final Negotiator cloud = negotiator(cloudPort, 2);
    /** Every datagram put on the wire, as (from, bytes). */
    private final List<String> wire = new ArrayList<>();
    private Rule rule = (from, to, d) -> Verdict.DELIVER;

    enum Verdict { DELIVER, DROP, HANDLED }

    @FunctionalInterface
    interface Rule {
        Verdict on(InetSocketAddress from, InetSocketAddress to, byte[] datagram);
    }

    private final Connection corpConn = LoopbackGateway.connection("192.0.2.1", "corp", "192.0.2.2", "cloud", 500,
            "a-long-shared-secret", "aes256gcm16-prfsha384-x25519", "aes256gcm16", "10.1.0.0/24", "10.2.0.0/24");
    private final Connection cloudConn = LoopbackGateway.connection("192.0.2.2", "cloud", "192.0.2.1", "corp", 500,
            "a-long-shared-secret", "aes256gcm16-prfsha384-x25519", "aes256gcm16", "10.2.0.0/24", "10.1.0.0/24");

    ScriptedExchangeTest() {
        corp.attach(transport(corp));
        cloud.attach(transport(cloud));
        corp.connections(List.of(corpConn));
        cloud.connections(List.of(cloudConn));
    }

    private Negotiator negotiator(MemoryPort port, long seed) {
        return new Negotiator(loop, port, RandomSource.deterministic(seed),
                new Negotiator.Settings(500, 4500, RetransmitPolicy.DEFAULT), new NegotiatorListener() {
                    @Override
                    public void failed(String connection, Optional<String> child, String message) {
                        failures.add(message);
                    }
                });
    }

    private IkeTransport transport(Negotiator self) {
        return new IkeTransport() {
            @Override
            public void send(InetSocketAddress local, InetSocketAddress remote, byte[] message) {
                wire.add(local.getAddress().getHostAddress() + " " + describe(message));
                Negotiator to = self == corp ? cloud : corp;
                if (rule.on(local, remote, message) == Verdict.DELIVER) {
                    loop.execute(() -> to.receive(remote, local, message));
                }
            }

            @Override
            public void sendKeepalive(InetSocketAddress local, InetSocketAddress remote) {
                wire.add(local.getAddress().getHostAddress() + " keepalive to " + remote);
            }

            @Override
            public void close() {
            }
        };
    }

    private static String describe(byte[] datagram) {
        try {
            IkeHeader h = IkeMessageCodec.decodeHeader(datagram);
            return h.exchange().map(Enum::name).orElse("?") + (h.responseFlag() ? " response " : " request ") + h.messageId();
        } catch (Exception e) {
            return "garbage";
        }
    }

    private static Predicate<byte[]> is(ExchangeType exchange, boolean response) {
        return d -> {
            try {
                IkeHeader h = IkeMessageCodec.decodeHeader(d);
                return h.exchangeType() == exchange.value() && h.responseFlag() == response;
            } catch (Exception e) {
                return false;
            }
        };
    }

    private boolean bothUp() {
        return corp.snapshot().stream().anyMatch(s -> s.state().equals("ESTABLISHED") && s.children().size() == 1)
                && cloud.snapshot().stream().anyMatch(s -> s.state().equals("ESTABLISHED") && s.children().size() == 1);
    }

    private void run(Duration d) {
        loop.advance(d);
    }

    @Test
    void cookieIsEchoedFirstInTheRetriedRequest() throws Exception {
        byte[] cookie = Bytes.fromHex("00112233445566778899aabbccddeeff").toArray();
        List<IkeMessage> initRequests = new ArrayList<>();
        rule = (from, to, d) -> {
            if (!is(ExchangeType.IKE_SA_INIT, false).test(d)) {
                return Verdict.DELIVER;
            }
            IkeMessage m = decode(d);
            initRequests.add(m);
            if (m.notify(NotifyType.COOKIE).isPresent()) {
                return Verdict.DELIVER;
            }
            IkeHeader h = new IkeHeader(m.header().initiatorSpi(), 0, ExchangeType.IKE_SA_INIT, false, true, 0);
            byte[] answer = IkeMessageCodec.encode(new IkeMessage(h, NotifyPayload.of(NotifyType.COOKIE, Bytes.of(cookie))));
            loop.execute(() -> corp.receive(from, to, answer));
            return Verdict.HANDLED;
        };
        corp.initiate(corpConn, List.of());
        run(Duration.ofSeconds(1));

        assertThat(bothUp()).as(wire.toString()).isTrue();
        assertThat(initRequests).hasSize(2);
        IkeMessage retry = initRequests.get(1);
        assertThat(retry.payloads().getFirst()).isEqualTo(NotifyPayload.of(NotifyType.COOKIE, Bytes.of(cookie)));
        assertThat(retry.header().initiatorSpi()).isEqualTo(initRequests.getFirst().header().initiatorSpi());
        assertThat(retry.header().messageId()).isZero();
        assertThat(failures).isEmpty();
    }

    @Test
    void underLoadTheResponderAsksForACookieKeepsNoStateAndAcceptsItBack() {
        cloud.cookieThreshold = 0;
        corp.initiate(corpConn, List.of());
        run(Duration.ofSeconds(1));
        assertThat(bothUp()).as(wire.toString()).isTrue();
        assertThat(wire.subList(0, 4)).containsExactly("192.0.2.1 IKE_SA_INIT request 0", "192.0.2.2 IKE_SA_INIT response 0",
                "192.0.2.1 IKE_SA_INIT request 0", "192.0.2.2 IKE_SA_INIT response 0");
        assertThat(cloud.snapshot()).hasSize(1);

        // A forged or stale cookie gets a fresh one, never an SA.
        IkeHeader h = new IkeHeader(0x0102030405060708L, 0, ExchangeType.IKE_SA_INIT, true, false, 0);
        IkeMessage forged = new IkeMessage(h, NotifyPayload.of(NotifyType.COOKIE, Bytes.of(new byte[36])),
                new io.ipsecd.ike.message.NoncePayload(Bytes.of(new byte[32])));
        int before = wire.size();
        cloud.receive(CLOUD, CORP, IkeMessageCodec.encode(forged));
        run(Duration.ofSeconds(1));
        assertThat(wire.subList(before, wire.size())).containsExactly("192.0.2.2 IKE_SA_INIT response 0");
        assertThat(cloud.snapshot()).hasSize(1);
        assertThat(failures).isEmpty();
    }

    @Test
    void lostResponseIsRetransmittedFromTheCacheWithoutRedoingTheExchange() {
        int[] dropped = {0};
        rule = (from, to, d) -> is(ExchangeType.IKE_AUTH, true).test(d) && dropped[0]++ == 0 ? Verdict.DROP
                : Verdict.DELIVER;
        corp.initiate(corpConn, List.of());
        run(Duration.ofSeconds(1));
        assertThat(bothUp()).isFalse();
        run(Duration.ofSeconds(5)); // first retransmission after 4 s
        assertThat(bothUp()).as(wire.toString()).isTrue();
        // The responder installed its child once: the repeated IKE_AUTH got the cached answer.
        assertThat(cloudPort.log.stream().filter(l -> l.startsWith("addSa"))).hasSize(2);
        assertThat(wire.stream().filter(w -> w.equals("192.0.2.2 IKE_AUTH response 1"))).hasSize(2);
        assertThat(failures).isEmpty();
    }

    @Test
    void tamperedRequestIsDroppedSilentlyAndTheRetransmissionSucceeds() {
        int[] tampered = {0};
        rule = (from, to, d) -> {
            if (is(ExchangeType.IKE_AUTH, false).test(d) && tampered[0]++ == 0) {
                byte[] bad = d.clone();
                bad[bad.length - 1] ^= 1; // last ICV byte
                loop.execute(() -> cloud.receive(to, from, bad));
                return Verdict.HANDLED;
            }
            return Verdict.DELIVER;
        };
        corp.initiate(corpConn, List.of());
        run(Duration.ofSeconds(1));
        assertThat(wire).doesNotContain("192.0.2.2 IKE_AUTH response 1");
        assertThat(cloud.snapshot().getFirst().state()).isEqualTo("CONNECTING");
        run(Duration.ofSeconds(5));
        assertThat(bothUp()).as(wire.toString()).isTrue();
        assertThat(failures).isEmpty();
    }

    @Test
    void messagesForUnknownSpisAndGarbageAreIgnored() {
        corp.initiate(corpConn, List.of());
        run(Duration.ofSeconds(1));
        int before = wire.size();
        IkeHeader h = new IkeHeader(0x1122334455667788L, 0x99L, ExchangeType.INFORMATIONAL, true, false, 7);
        cloud.receive(CLOUD, CORP, IkeMessageCodec.encode(new IkeMessage(h)));
        cloud.receive(CLOUD, CORP, new byte[] {0, 1, 2});
        cloud.receive(CLOUD, CORP, new byte[40]);
        run(Duration.ofSeconds(1));
        assertThat(wire).hasSize(before);
        assertThat(bothUp()).isTrue();
    }

    /**
     * Every malformed message of the codec's table, sent to a responder that has an established SA:
     * an IKE_SA_INIT request is answered with the codec's notify in the clear, anything else gets
     * silence, and neither the responder's SAs nor its data plane change.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("io.ipsecd.ike.message.MalformedMessageTest#cases")
    void aMalformedMessageGetsTheExactAnswerAndChangesNothing(String name, byte[] datagram, NotifyType answer,
                                                             String message) {
        corp.initiate(corpConn, List.of());
        run(Duration.ofSeconds(1));
        assertThat(bothUp()).isTrue();
        List<IkeSaInfo> before = cloud.snapshot();
        List<String> portBefore = List.copyOf(cloudPort.log);
        List<byte[]> answers = new ArrayList<>();
        rule = (from, to, d) -> {
            if (from.equals(CLOUD)) {
                answers.add(d);
            }
            return Verdict.HANDLED;
        };
        cloud.receive(CLOUD, CORP, datagram);
        run(Duration.ofSeconds(1));
        assertThat(cloud.snapshot()).as(name).isEqualTo(before);
        assertThat(cloudPort.log).as(name).isEqualTo(portBefore);
        boolean initRequest = initRequestHeader(datagram);
        if (initRequest) {
            assertThat(answers).as(name).hasSize(1);
            IkeMessage reply = decode(answers.getFirst());
            assertThat(reply.header().responseFlag()).isTrue();
            assertThat(reply.notify(answer)).as(name + ": answered with " + answer).isPresent();
        } else {
            assertThat(answers).as(name + ": silence").isEmpty();
        }
    }

    /** Whether the part of the message that could be read is an IKE_SA_INIT request: only those get an answer. */
    private static boolean initRequestHeader(byte[] datagram) {
        try {
            IkeMessageCodec.decode(datagram);
            throw new AssertionError("the malformed case decoded");
        } catch (io.ipsecd.ike.message.IkeDecodeException e) {
            return e.header().filter(h -> h.exchangeType() == ExchangeType.IKE_SA_INIT.value() && !h.responseFlag()
                    && h.responderSpi() == 0).isPresent();
        }
    }

    @Test
    void aRequestOutsideTheWindowIsDropped() {
        corp.initiate(corpConn, List.of());
        run(Duration.ofSeconds(1));
        IkeSaInfo sa = cloud.snapshot().getFirst();
        int before = wire.size();
        IkeHeader h = new IkeHeader(sa.spiInitiator(), sa.spiResponder(), ExchangeType.INFORMATIONAL, true, false, 9);
        cloud.receive(CLOUD, CORP, IkeMessageCodec.encode(new IkeMessage(h)));
        run(Duration.ofSeconds(1));
        assertThat(wire).hasSize(before);
    }

    @Test
    void childIsRekeyedBeforeItsLifetimeEndsMakeBeforeBreak() {
        corp.initiate(corpConn, List.of());
        run(Duration.ofSeconds(1));
        IkeSaInfo.ChildSaInfo first = corp.snapshot().getFirst().children().getFirst();
        run(Duration.ofMinutes(57)); // lifetime 1 h: rekey between 51 and 54 min
        IkeSaInfo.ChildSaInfo second = corp.snapshot().getFirst().children().getFirst();
        assertThat(corp.snapshot().getFirst().children()).hasSize(1);
        assertThat(cloud.snapshot().getFirst().children()).hasSize(1);
        assertThat(second.spiIn()).isNotEqualTo(first.spiIn());
        assertThat(cloud.snapshot().getFirst().children().getFirst().spiOut()).isEqualTo(second.spiIn());
        // New inbound and outbound in, the policy moved to the new outbound SA, then the old ones out,
        // on the same policy (reqid): the rekey initiator moves it at once, the responder on the DELETE.
        List<String> log = List.copyOf(corpPort.log);
        int newIn = log.indexOf("addSa " + sa(second.spiIn(), true));
        int newOut = log.indexOf("addSa " + sa(second.spiOut(), false));
        int moved = Math.max(log.lastIndexOf("addPolicy 1"), log.lastIndexOf("switchOutbound 1"));
        int oldOut = log.indexOf("deleteSa " + sa(first.spiOut(), false));
        int oldIn = log.indexOf("deleteSa " + sa(first.spiIn(), true));
        assertThat(List.of(newIn, newOut, moved, oldOut, oldIn)).as(log.toString()).doesNotContain(-1).isSorted();
        assertThat(corpPort.policies).containsKey(1);
        assertThat(corpPort.sas).hasSize(2);
        assertThat(cloudPort.sas).hasSize(2);
        assertThat(corpPort.sas.get(new io.ipsecd.ike.port.SaId(second.spiIn(), io.ipsecd.esp.SaDirection.INBOUND)).esp().keys())
                .isEqualTo(cloudPort.sas.get(new io.ipsecd.ike.port.SaId(second.spiIn(), io.ipsecd.esp.SaDirection.OUTBOUND))
                        .esp().keys());
        assertThat(failures).isEmpty();
    }

    private static String sa(int spi, boolean inbound) {
        return new io.ipsecd.ike.port.SaId(spi, inbound ? io.ipsecd.esp.SaDirection.INBOUND
                : io.ipsecd.esp.SaDirection.OUTBOUND).toString();
    }

    @Test
    void ikeSaIsRekeyedKeepsItsChildAndWorksAfterwards() {
        corp.initiate(corpConn, List.of());
        run(Duration.ofSeconds(1));
        IkeSaInfo before = corp.snapshot().getFirst();
        corp.rekey("s2s", Optional.empty());
        run(Duration.ofSeconds(1));
        assertThat(corp.snapshot()).hasSize(1);
        assertThat(cloud.snapshot()).hasSize(1);
        IkeSaInfo after = corp.snapshot().getFirst();
        assertThat(after.spiInitiator()).isNotEqualTo(before.spiInitiator());
        assertThat(cloud.snapshot().getFirst().spiInitiator()).isEqualTo(after.spiInitiator());
        assertThat(cloud.snapshot().getFirst().spiResponder()).isEqualTo(after.spiResponder());
        assertThat(after.children()).extracting(IkeSaInfo.ChildSaInfo::spiIn)
                .containsExactly(before.children().getFirst().spiIn());

        // Children created and deleted over the new IKE SA, and a scheduled IKE rekey after 8 h.
        corp.rekey("s2s", Optional.of("net"));
        run(Duration.ofSeconds(1));
        assertThat(cloud.snapshot().getFirst().children()).hasSize(1);
        run(Duration.ofHours(8));
        assertThat(corp.snapshot()).hasSize(1);
        assertThat(corp.snapshot().getFirst().spiInitiator()).isNotEqualTo(after.spiInitiator());
        assertThat(corp.snapshot().getFirst().children()).hasSize(1);
        cloud.terminate("s2s", Optional.empty());
        run(Duration.ofSeconds(1));
        assertThat(corp.snapshot()).isEmpty();
        assertThat(cloud.snapshot()).isEmpty();
        assertThat(corpPort.sas).isEmpty();
        assertThat(cloudPort.sas).isEmpty();
        assertThat(failures).isEmpty();
    }

    @Test
    void halfOpenResponderSaIsDroppedAfterThirtySeconds() {
        rule = (from, to, d) -> is(ExchangeType.IKE_AUTH, false).test(d) ? Verdict.DROP : Verdict.DELIVER;
        corp.initiate(corpConn, List.of());
        run(Duration.ofSeconds(1));
        assertThat(cloud.snapshot()).extracting(IkeSaInfo::state).containsExactly("CONNECTING");
        run(Duration.ofSeconds(30));
        assertThat(cloud.snapshot()).isEmpty();
        run(Duration.ofMinutes(5));
        assertThat(failures).containsExactly("peer 192.0.2.2 not answering: gave up after 5 retransmits (165 s)");
        assertThat(corp.snapshot()).isEmpty();
    }

    @Test
    void trapChildIsInitiatedByTrafficAndFallsBackToItsTrapWhenDeleted() {
        io.ipsecd.conf.Child net = corpConn.children().get("net");
        Connection trapping = new Connection(corpConn.name(), corpConn.local(), corpConn.remote(), corpConn.psk(),
                corpConn.ike(), java.util.Map.of("net", new io.ipsecd.conf.Child(net.name(), net.localTs(), net.remoteTs(),
                        net.espProposals(), io.ipsecd.conf.StartAction.TRAP, net.lifetime())));
        corp.connections(List.of(trapping));
        assertThat(corpPort.policies.get(1).action()).isEqualTo(io.ipsecd.ike.port.IpsecPolicy.Action.TRAP);

        corp.acquire(1);
        corp.acquire(1); // a second packet while negotiating starts nothing new
        run(Duration.ofSeconds(1));
        assertThat(bothUp()).isTrue();
        assertThat(corp.snapshot()).hasSize(1);
        // Still TRAP, now with the SA: the data plane sends what it held while we negotiated.
        assertThat(corpPort.policies.get(1).action()).isEqualTo(io.ipsecd.ike.port.IpsecPolicy.Action.TRAP);
        assertThat(corpPort.policies.get(1).outboundSpi()).isPresent();

        cloud.terminate("s2s", Optional.empty());
        run(Duration.ofSeconds(1));
        assertThat(corp.snapshot()).isEmpty();
        assertThat(corpPort.policies.get(1).action()).isEqualTo(io.ipsecd.ike.port.IpsecPolicy.Action.TRAP);
        assertThat(corpPort.policies.get(1).outboundSpi()).isEmpty();
        corp.remove("s2s");
        assertThat(corpPort.policies).isEmpty();
    }

    @Test
    void aChildWithoutAnSaHoldsADropPolicyFromConfigurationUntilItsConnectionIsRemoved() {
        corp.connections(List.of(corpConn)); // start: none
        io.ipsecd.ike.port.IpsecPolicy before = corpPort.policies.get(1);
        assertThat(before.action()).isEqualTo(io.ipsecd.ike.port.IpsecPolicy.Action.PROTECT);
        assertThat(before.outboundSpi()).isEmpty();

        corp.initiate(corpConn, List.of());
        run(Duration.ofSeconds(1));
        assertThat(bothUp()).isTrue();
        int spiOut = corp.snapshot().getFirst().children().getFirst().spiOut();
        assertThat(corpPort.policies.get(1).outboundSpi()).hasValue(spiOut);

        corp.terminate("s2s", Optional.empty());
        run(Duration.ofSeconds(1));
        assertThat(corp.snapshot()).isEmpty();
        assertThat(corpPort.sas).isEmpty();
        assertThat(corpPort.policies.get(1).outboundSpi()).isEmpty(); // dropped, never sent in clear
        List<String> log = List.copyOf(corpPort.log);
        int dropPolicy = log.lastIndexOf("addPolicy 1");
        int outboundGone = log.indexOf("deleteSa " + new io.ipsecd.ike.port.SaId(spiOut, io.ipsecd.esp.SaDirection.OUTBOUND));
        assertThat(dropPolicy).as("the policy lets go of the SA before it dies").isBetween(0, outboundGone);
        assertThat(log).doesNotContain("deletePolicy 1");

        corp.remove("s2s");
        assertThat(corpPort.policies).isEmpty();
    }

    @Test
    void softExpiryRekeysAndHardExpiryDeletesTheChild() {
        corp.initiate(corpConn, List.of());
        run(Duration.ofSeconds(1));
        IkeSaInfo.ChildSaInfo first = corp.snapshot().getFirst().children().getFirst();
        corp.expired(new io.ipsecd.ike.port.SaId(first.spiOut(), io.ipsecd.esp.SaDirection.OUTBOUND), false);
        run(Duration.ofSeconds(1));
        IkeSaInfo.ChildSaInfo second = corp.snapshot().getFirst().children().getFirst();
        assertThat(corp.snapshot().getFirst().children()).hasSize(1);
        assertThat(second.spiIn()).isNotEqualTo(first.spiIn());
        corp.expired(new io.ipsecd.ike.port.SaId(second.spiIn(), io.ipsecd.esp.SaDirection.INBOUND), true);
        run(Duration.ofSeconds(1));
        assertThat(corp.snapshot().getFirst().children()).isEmpty();
        assertThat(cloud.snapshot().getFirst().children()).isEmpty();
        assertThat(corpPort.sas).isEmpty();
    }

    @Test
    void behindANatBothSidesFloatToPort4500AndTheNattedOneSendsKeepalives() {
        // corp's 192.0.2.1:P appears to cloud as 203.0.113.5:40000+P.
        rule = (from, to, d) -> {
            if (from.getAddress().equals(CORP.getAddress())) {
                InetSocketAddress outside = new InetSocketAddress("203.0.113.5", 40000 + from.getPort());
                loop.execute(() -> cloud.receive(to, outside, d));
            } else {
                InetSocketAddress inside = new InetSocketAddress("192.0.2.1", to.getPort() - 40000);
                loop.execute(() -> corp.receive(inside, from, d));
            }
            return Verdict.HANDLED;
        };
        io.ipsecd.conf.Endpoint anyone = new io.ipsecd.conf.Endpoint("%any", Optional.empty(), 500,
                cloudConn.remote().id(), io.ipsecd.conf.AuthMethod.PSK);
        cloud.connections(List.of(new Connection(cloudConn.name(), cloudConn.local(), anyone, cloudConn.psk(),
                cloudConn.ike(), cloudConn.children())));
        corp.initiate(corpConn, List.of());
        run(Duration.ofSeconds(1));
        assertThat(bothUp()).as(wire.toString()).isTrue();
        IkeSaInfo mine = corp.snapshot().getFirst();
        IkeSaInfo theirs = cloud.snapshot().getFirst();
        assertThat(mine.local().getPort()).isEqualTo(4500);
        assertThat(mine.remote().getPort()).isEqualTo(4500);
        assertThat(theirs.remote()).isEqualTo(new InetSocketAddress("203.0.113.5", 44500));
        assertThat(mine.children().getFirst().udpEncapsulation()).isTrue();
        assertThat(theirs.children().getFirst().udpEncapsulation()).isTrue();
        assertThat(mine.natDetected()).isTrue();
        assertThat(theirs.natDetected()).isTrue();

        run(Duration.ofSeconds(61));
        assertThat(wire.stream().filter(w -> w.contains("keepalive"))).containsOnly(
                "192.0.2.1 keepalive to " + new InetSocketAddress("192.0.2.2", 4500)).hasSize(3);
    }

    private static IkeMessage decode(byte[] d) {
        try {
            return IkeMessageCodec.decode(d);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
