package io.ipsecd.esp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SequenceLimitTest {
    final byte[] inner = Fixtures.innerPacket(false, 40, 1);
    final byte[] out = new byte[200];

    private EspStatus send(OutboundSa sa) {
        return sa.encapsulate(inner, 0, inner.length, out, 0);
    }

    @Test
    void softThresholdThenHardStopWithout32BitWrap() {
        Fixtures.Pair pair = Fixtures.pair(EspTransform.AES_GCM_256, false, 1024, OutboundSa.SOFT_LIMIT_32 - 1);
        OutboundSa sa = pair.out();
        AtomicInteger signals = new AtomicInteger();
        sa.onRekeyNeeded(signals::incrementAndGet);

        assertThat(send(sa)).isEqualTo(EspStatus.OK);
        assertThat(sa.rekeyNeeded()).isFalse();
        assertThat(send(sa)).isEqualTo(EspStatus.OK); // 2^32 - 2^24
        assertThat(sa.rekeyNeeded()).isTrue();
        assertThat(signals).hasValue(1);

        sa.skipTo(0xFFFF_FFFEL);
        assertThat(send(sa)).isEqualTo(EspStatus.OK);
        assertThat(EspPacket.sequenceLow(out, 0)).isEqualTo(0xFFFF_FFFE);
        assertThat(send(sa)).isEqualTo(EspStatus.OK);
        assertThat(EspPacket.sequenceLow(out, 0)).isEqualTo(0xFFFF_FFFF);
        assertThat(sa.exhausted()).isTrue();
        for (int i = 0; i < 3; i++) {
            out[4] = 0x11;
            assertThat(send(sa)).isEqualTo(EspStatus.SEQUENCE_EXHAUSTED);
            assertThat(out[4]).isEqualTo((byte) 0x11); // nothing written
        }
        assertThat(signals).hasValue(1);
        assertThat(sa.stats().packets()).isEqualTo(4);
        assertThat(sa.stats().refused()).isEqualTo(3);
    }

    @Test
    void esnCarriesOnPast2To32AndStopsAt2To64() {
        Fixtures.Pair pair = Fixtures.pair(EspTransform.CHACHA20_POLY1305, true, 1024, 0xFFFF_FFFFL);
        OutboundSa sa = pair.out();
        byte[] dst = new byte[200];
        for (int i = 0; i < 2; i++) {
            assertThat(send(sa)).isEqualTo(EspStatus.OK);
            assertThat(pair.in().decapsulate(out, 0, sa.length(), dst, 0)).isEqualTo(EspStatus.OK);
        }
        assertThat(pair.in().sequence()).isEqualTo(1L << 32);
        assertThat(sa.rekeyNeeded()).isFalse();

        sa.skipTo(OutboundSa.SOFT_LIMIT_64);
        assertThat(send(sa)).isEqualTo(EspStatus.OK);
        assertThat(sa.rekeyNeeded()).isTrue();
        sa.skipTo(-2L); // 2^64 - 2
        assertThat(send(sa)).isEqualTo(EspStatus.OK);
        assertThat(send(sa)).isEqualTo(EspStatus.OK);
        assertThat(sa.exhausted()).isTrue();
        assertThat(send(sa)).isEqualTo(EspStatus.SEQUENCE_EXHAUSTED);
    }

    @Test
    void packetAndByteLifetimes() throws Exception {
        EspTransform t = EspTransform.AES_GCM_128;
        SaParameters params = SaParameters.of(Fixtures.SPI, SaDirection.OUTBOUND, t, Fixtures.keys(t, 1))
                .withLifetimes(new SaLifetime(Long.MAX_VALUE, 2), new SaLifetime(Long.MAX_VALUE, 3));
        OutboundSa sa = OutboundSa.create(params);
        assertThat(send(sa)).isEqualTo(EspStatus.OK);
        assertThat(sa.rekeyNeeded()).isFalse();
        assertThat(send(sa)).isEqualTo(EspStatus.OK);
        assertThat(sa.rekeyNeeded()).isTrue();
        assertThat(send(sa)).isEqualTo(EspStatus.OK);
        assertThat(send(sa)).isEqualTo(EspStatus.LIFETIME_EXPIRED);

        SaParameters in = SaParameters.of(Fixtures.SPI, SaDirection.INBOUND, t, Fixtures.keys(t, 1))
                .withLifetimes(new SaLifetime(50, Long.MAX_VALUE), new SaLifetime(80, Long.MAX_VALUE));
        InboundSa inbound = InboundSa.create(in);
        OutboundSa sender = OutboundSa.create(params.withLifetimes(SaLifetime.UNLIMITED, SaLifetime.UNLIMITED));
        byte[] dst = new byte[200];
        EspStatus[] expected = {EspStatus.OK, EspStatus.OK, EspStatus.LIFETIME_EXPIRED};
        for (EspStatus e : expected) {
            assertThat(send(sender)).isEqualTo(EspStatus.OK);
            assertThat(inbound.decapsulate(out, 0, sender.length(), dst, 0)).isEqualTo(e);
        }
        assertThat(inbound.rekeyNeeded()).isTrue();
    }

    @Test
    void destroyedSasRefuseEverything() {
        Fixtures.Pair pair = Fixtures.pair(EspTransform.cbc(EspEncryption.AES_CBC_256, EspIntegrity.HMAC_SHA2_512_256),
                false);
        assertThat(send(pair.out())).isEqualTo(EspStatus.OK);
        int length = pair.out().length();
        pair.out().destroy();
        pair.in().destroy();
        assertThat(send(pair.out())).isEqualTo(EspStatus.SA_DESTROYED);
        assertThat(pair.in().decapsulate(out, 0, length, new byte[200], 0)).isEqualTo(EspStatus.SA_DESTROYED);
    }
}
