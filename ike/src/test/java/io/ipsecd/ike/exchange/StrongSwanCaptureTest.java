package io.ipsecd.ike.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.ike.crypto.RandomSource;
import io.ipsecd.ike.message.Bytes;
import io.ipsecd.ike.message.ExchangeType;
import io.ipsecd.ike.message.IkeMessage;
import io.ipsecd.ike.message.IkeMessageCodec;
import io.ipsecd.ike.message.KePayload;
import io.ipsecd.ike.message.NoncePayload;
import io.ipsecd.ike.message.NotifyPayload;
import io.ipsecd.ike.message.NotifyType;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.SaPayload;
import io.ipsecd.ike.message.SkPayload;
import io.ipsecd.ike.net.IkeTransport;
import io.ipsecd.ike.sa.ManualEventLoop;
import io.ipsecd.ike.sa.RetransmitPolicy;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Messages strongSwan 5.9.8 sent to ipsecd in the testbed (captured with tcpdump on corp-gw,
 * proposal aes256gcm16-prfsha384-x25519, strongSwan on 192.0.2.2 initiating to us on 192.0.2.1).
 */
class StrongSwanCaptureTest {
    /** IKE_SA_INIT request: SA, KE, Ni, N(NATD_S), N(NATD_D), N(FRAG_SUP), N(HASH_ALG), N(REDIR_SUP). */
    static final Bytes INIT = Bytes.fromHex("""
            99d5ce0fb310987800000000000000002120220800000000000000e82200002800000024010100030300000c01000014
            800e01000300000802000006000000080400001f28000028001f000021591e5b6f0c713639a0497510fa03b1dd38689c
            a8d651401b63ae9dda4069392900002409fa80acb5f1a73968dbbe669f72cb43858414e1639b51d955b24ebd013c4169
            2900001c000040049fae7cdb7af8792f71f9dba8250ba45cd471f9a02900001c00004005e045d5ee00500be8629a678f
            6929ffd448b4df64290000080000402e290000100000402f00020003000400050000000800004016
            """);

    /** IKE_AUTH request on port 4500 (non-ESP marker removed): header and SK payload. */
    static final Bytes AUTH = Bytes.fromHex("""
            99d5ce0fb31098780668a8642bad364b2e20230800000001000000f6230000dab4e770ebdc3ff748c8f518e6938fda25
            80f848732558d4414174a27b4aa3fb84c6cbc0d307b0720d49e04e0824f111fe07fbe7ea184b2ee4010298a8ff3babd5
            fdb81ef4fb15706a969c4fd54cc237e260853a3dc3824cc97b8d1c14fa45d8e8ee16f33039b4c15e8887a2442741abfe
            0f3215131d19cfef0da475b49ffbb692c1f9bf091c6801ea319ee0fe6bbf91b60ef70a5bcfe5dbf51fa160a9dcdea3e9
            3d8d067c4e6884665d5e39ff2c8cf15b196a1d9bcb688f27b17d6a735f471ec742fca9b937962a7ad2f6745cc4ffa5e0
            57c71de5b40d
            """);

    @Test
    void initRequestDecodesAndReencodesToTheSameBytes() throws Exception {
        IkeMessage m = IkeMessageCodec.decode(INIT.toArray());
        assertThat(m.header().exchange()).contains(ExchangeType.IKE_SA_INIT);
        assertThat(m.header().initiatorFlag()).isTrue();
        assertThat(m.payloads()).extracting(Payload::getClass).containsExactly(SaPayload.class, KePayload.class,
                NoncePayload.class, NotifyPayload.class, NotifyPayload.class, NotifyPayload.class, NotifyPayload.class,
                NotifyPayload.class);
        assertThat(m.notify(NotifyType.FRAGMENTATION_SUPPORTED)).isPresent();
        assertThat(m.first(KePayload.class).orElseThrow().group()).isEqualTo(31);
        assertThat(Proposals.describe(m.first(SaPayload.class).orElseThrow().proposals()))
                .isEqualTo("[aes256gcm16-prfsha384-x25519]");
        assertThat(IkeMessageCodec.encode(m)).isEqualTo(INIT.toArray());
    }

    @Test
    void authRequestDecodesToAnSkPayloadAndReencodesToTheSameBytes() throws Exception {
        IkeMessage m = IkeMessageCodec.decode(AUTH.toArray());
        assertThat(m.header().exchange()).contains(ExchangeType.IKE_AUTH);
        assertThat(m.header().messageId()).isEqualTo(1);
        assertThat(m.payloads()).singleElement().isInstanceOf(SkPayload.class);
        assertThat(IkeMessageCodec.encode(m)).isEqualTo(AUTH.toArray());
    }

    /** Our responder answers strongSwan's real request, and sees the NAT strongSwan fakes for libipsec. */
    @Test
    void ourResponderAnswersTheCapturedRequest() throws Exception {
        ManualEventLoop loop = new ManualEventLoop(Instant.parse("2026-01-01T00:00:00Z"));
        List<byte[]> sent = new ArrayList<>();
        Negotiator n = new Negotiator(loop, new MemoryPort(), RandomSource.deterministic(3),
                new Negotiator.Settings(500, 4500, RetransmitPolicy.DEFAULT), (c, ch, msg) -> { });
        n.attach(new IkeTransport() {
            @Override
            public void send(InetSocketAddress local, InetSocketAddress remote, byte[] message) {
                sent.add(message);
            }

            @Override
            public void close() {
            }
        });
        n.connections(List.of(LoopbackGateway.connection("192.0.2.1", "corp", "192.0.2.2", "cloud", 500, "psk-psk-psk",
                "aes256gcm16-prfsha384-x25519", "aes256gcm16", "10.1.0.0/24", "10.2.0.0/24")));
        n.receive(new InetSocketAddress("192.0.2.1", 500), new InetSocketAddress("192.0.2.2", 500), INIT.toArray());

        IkeMessage response = IkeMessageCodec.decode(sent.getFirst());
        assertThat(response.header().responseFlag()).isTrue();
        assertThat(response.header().responderSpi()).isNotZero();
        assertThat(Proposals.describe(response.first(SaPayload.class).orElseThrow().proposals()))
                .isEqualTo("[aes256gcm16-prfsha384-x25519]");
        assertThat(response.first(KePayload.class).orElseThrow().data().length()).isEqualTo(32);
        assertThat(n.snapshot()).singleElement().satisfies(sa -> {
            assertThat(sa.state()).isEqualTo("CONNECTING");
            assertThat(sa.natDetected()).isTrue(); // strongSwan's faked NATD_S forces UDP encapsulation
        });
        assertThat(response.notify(NotifyType.NAT_DETECTION_DESTINATION_IP)).isPresent();
    }
}
