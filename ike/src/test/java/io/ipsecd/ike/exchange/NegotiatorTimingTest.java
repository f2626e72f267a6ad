package io.ipsecd.ike.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.conf.Connection;
import io.ipsecd.ike.crypto.RandomSource;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeHeader;
import io.ipsecd.ike.message.IkeMessageCodec;
import io.ipsecd.ike.net.IkeTransport;
import io.ipsecd.ike.sa.ManualEventLoop;
import io.ipsecd.ike.sa.RetransmitPolicy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Time-driven behaviour with a manual clock and a transport that loses everything. */
class NegotiatorTimingTest {
    private final ManualEventLoop loop = new ManualEventLoop(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<byte[]> sent = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Negotiator negotiator = new Negotiator(loop, new MemoryPort(), RandomSource.deterministic(7),
            new Negotiator.Settings(500, 4500, RetransmitPolicy.DEFAULT), new NegotiatorListener() {
                @Override
                public void failed(String connection, Optional<String> child, String message) {
                    failures.add(connection + ": " + message);
                }
            });

    NegotiatorTimingTest() {
        negotiator.attach(new IkeTransport() {
            @Override
            public void send(InetSocketAddress local, InetSocketAddress remote, byte[] message) {
                sent.add(message);
            }

            @Override
            public void close() {
            }
        });
    }

    private final Connection conn = LoopbackGateway.connection("192.0.2.1", "corp", "192.0.2.2", "cloud", 500, "secret-psk",
            "aes256gcm16-prfsha384-x25519", "aes256gcm16", "10.1.0.0/24", "10.2.0.0/24");

    @Test
    void silentPeerIsGivenUpWithTheRetransmitCountAndTime() throws Exception {
        negotiator.connections(List.of(conn));
        negotiator.initiate(conn, List.of());
        loop.advance(Duration.ofMinutes(10));

        // strongSwan's schedule: 4 s, then x1.8 per resend, 5 resends: 4+7.2+13+23.3+42+75.6 = 165 s.
        assertThat(failures).containsExactly("s2s: peer 192.0.2.2 not answering: gave up after 5 retransmits (165 s)");
        assertThat(sent).hasSize(6);
        IkeHeader first = IkeMessageCodec.decodeHeader(sent.getFirst());
        assertThat(first.exchange()).contains(ExchangeType.IKE_SA_INIT);
        assertThat(sent).allSatisfy(d -> assertThat(d).isEqualTo(sent.getFirst()));
        assertThat(negotiator.snapshot()).isEmpty();
        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void requestFromAnUnconfiguredPeerIsIgnored() {
        negotiator.connections(List.of(conn));
        negotiator.receive(new InetSocketAddress("192.0.2.1", 500), new InetSocketAddress("203.0.113.9", 500),
                new byte[] {1, 2, 3});
        assertThat(sent).isEmpty();
        assertThat(negotiator.snapshot()).isEmpty();
    }
}
