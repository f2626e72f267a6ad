package io.ipsecd.esp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class DamagedPacketTest {
    static final java.util.List<EspTransform> TRANSFORMS = Fixtures.ALL_TRANSFORMS;

    private static byte[] packet(Fixtures.Pair sa, int length) {
        byte[] inner = Fixtures.innerPacket(false, length, length);
        byte[] buf = new byte[sa.out().transform().encapsulatedLength(length)];
        assertThat(sa.out().encapsulate(inner, 0, length, buf, 0)).isEqualTo(EspStatus.OK);
        return buf;
    }

    @ParameterizedTest
    @FieldSource("TRANSFORMS")
    void aTamperedByteAnywhereIsDroppedAndCounted(EspTransform t) {
        Fixtures.Pair sa = Fixtures.pair(t, true);
        byte[] good = packet(sa, 61);
        byte[] dst = new byte[good.length];
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= (byte) (1 << (i % 8));
            EspStatus status = sa.in().decapsulate(bad, 0, bad.length, dst, 0);
            Set<EspStatus> expected = i < 4 ? EnumSet.of(EspStatus.WRONG_SPI) : EnumSet.of(EspStatus.AUTH_FAILED);
            assertThat(status).as("byte %d", i).isIn(expected);
        }
        SaStats stats = sa.in().stats();
        assertThat(stats.malformed() + stats.authFailures()).isEqualTo(good.length);
        assertThat(stats.malformed()).isEqualTo(4);
        // The window did not move: the genuine packet still goes through, once.
        assertThat(sa.in().decapsulate(good, 0, good.length, dst, 0)).isEqualTo(EspStatus.OK);
        assertThat(sa.in().decapsulate(good, 0, good.length, dst, 0)).isEqualTo(EspStatus.REPLAY);
        assertThat(sa.in().stats().replayDrops()).isEqualTo(1);
    }

    @ParameterizedTest
    @FieldSource("TRANSFORMS")
    void truncationAtEveryLengthIsDropped(EspTransform t) {
        Fixtures.Pair sa = Fixtures.pair(t, false);
        byte[] good = packet(sa, 77);
        byte[] dst = new byte[good.length];
        for (int length = 0; length < good.length; length++) {
            EspStatus status = sa.in().decapsulate(good, 0, length, dst, 0);
            assertThat(status).as("length %d", length).isIn(EspStatus.TRUNCATED, EspStatus.AUTH_FAILED);
            if (length < t.headerSize() + t.icvSize() + t.paddedLength(0)) {
                assertThat(status).isEqualTo(EspStatus.TRUNCATED);
            }
        }
        assertThat(sa.in().decapsulate(good, 0, good.length, dst, 0)).isEqualTo(EspStatus.OK);
    }

    /** Authentic packets (sealed with the SA's keys) whose trailer is wrong. */
    @ParameterizedTest
    @FieldSource("TRANSFORMS")
    void badPaddingAndNextHeaderOfAuthenticPackets(EspTransform t) throws Exception {
        Fixtures.Pair sa = Fixtures.pair(t, false);
        PacketProtection sealer = PacketProtection.create(t, Fixtures.keys(t, 42), SaDirection.OUTBOUND);
        int payload = 2 * t.blockSize() * (t.aead() ? 4 : 1); // 32 bytes
        byte[][] trailers = {
                {1, 2, 4, 3, 4},       // padding 1,2,4 instead of 1,2,3
                {0, 0, 0, 3, 4},       // zero padding
                {1, 2, 3, (byte) 200, 4}, // pad length beyond the payload
                {1, 2, 3, 3, 17},      // next header UDP: not tunnel mode
                {1, 2, 3, 3, 59},      // dummy packet
                {1, 2, 3, 3, 41},      // fine
        };
        EspStatus[] expected = {EspStatus.BAD_PADDING, EspStatus.BAD_PADDING, EspStatus.BAD_PADDING,
                EspStatus.BAD_NEXT_HEADER, EspStatus.DUMMY, EspStatus.OK};
        byte[] dst = new byte[200];
        for (int i = 0; i < trailers.length; i++) {
            byte[] buf = new byte[t.headerSize() + payload + t.icvSize()];
            EspPacket.putInt(buf, 0, Fixtures.SPI);
            EspPacket.putInt(buf, 4, i + 1);
            buf[t.headerSize()] = 0x60;
            System.arraycopy(trailers[i], 0, buf, t.headerSize() + payload - 5, 5);
            sealer.seal(buf, 0, payload, i + 1, false, i + 1);
            assertThat(sa.in().decapsulate(buf, 0, buf.length, dst, 0)).as("trailer %d", i).isEqualTo(expected[i]);
        }
        SaStats stats = sa.in().stats();
        assertThat(stats.badPadding()).isEqualTo(3);
        assertThat(stats.malformed()).isEqualTo(1);
        assertThat(stats.packets()).isEqualTo(1);
        assertThat(sa.in().innerLength()).isEqualTo(payload - 5);
    }

    @ParameterizedTest
    @FieldSource("TRANSFORMS")
    void aPacketOfAnotherSpiIsRefused(EspTransform t) {
        Fixtures.Pair sa = Fixtures.pair(t, false);
        byte[] good = packet(sa, 100);
        EspPacket.putInt(good, 0, Fixtures.SPI + 1);
        assertThat(sa.in().decapsulate(good, 0, good.length, new byte[good.length], 0)).isEqualTo(EspStatus.WRONG_SPI);
        assertThat(sa.in().stats().malformed()).isEqualTo(1);
    }

    @ParameterizedTest
    @FieldSource("TRANSFORMS")
    void tooSmallAnOutputBufferIsAStatus(EspTransform t) {
        Fixtures.Pair sa = Fixtures.pair(t, false);
        byte[] inner = Fixtures.innerPacket(true, 100, 1);
        byte[] small = new byte[t.encapsulatedLength(100) - 1];
        assertThat(sa.out().encapsulate(inner, 0, 100, small, 0)).isEqualTo(EspStatus.BUFFER_TOO_SMALL);
        assertThat(sa.out().encapsulate(new byte[] {0x10, 0}, 0, 2, new byte[200], 0)).isEqualTo(EspStatus.INVALID_INNER);
        assertThat(sa.out().encapsulate(inner, 0, 0, new byte[200], 0)).isEqualTo(EspStatus.INVALID_INNER);
        assertThat(sa.out().stats().refused()).isEqualTo(3);
        byte[] good = packet(sa, 100);
        assertThat(sa.in().decapsulate(good, 0, good.length, new byte[50], 0)).isEqualTo(EspStatus.BUFFER_TOO_SMALL);
    }

    @Provide
    Arbitrary<EspTransform> transforms() { return Arbitraries.of(TRANSFORMS); }

    /** Whatever the bytes, decapsulation answers with a drop status and never throws. */
    @Property(tries = 1000)
    void randomBytesNeverThrowAndNeverPass(@ForAll("transforms") EspTransform t, @ForAll boolean esn,
                                           @ForAll @Size(max = 300) byte[] bytes, @ForAll boolean rightSpi,
                                           @ForAll @IntRange(max = 8) int offset) {
        Fixtures.Pair sa = Fixtures.pair(t, esn);
        byte[] pkt = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, pkt, offset, bytes.length);
        if (rightSpi && bytes.length >= 4) {
            EspPacket.putInt(pkt, offset, Fixtures.SPI);
        }
        EspStatus status = sa.in().decapsulate(pkt, offset, bytes.length, new byte[400], 0);
        assertThat(status).isIn(EspStatus.TRUNCATED, EspStatus.WRONG_SPI, EspStatus.REPLAY, EspStatus.AUTH_FAILED);
        // And in place, over the packet itself.
        sa.in().decapsulate(pkt, offset, bytes.length, pkt, Math.min(pkt.length, offset + t.headerSize()));
    }
}
