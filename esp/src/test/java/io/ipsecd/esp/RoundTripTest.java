package io.ipsecd.esp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class RoundTripTest {
    static final int HEADROOM = 48; // room a data plane keeps for outer IP/UDP headers

    @Provide
    Arbitrary<EspTransform> transforms() { return Arbitraries.of(Fixtures.ALL_TRANSFORMS); }

    @Property(tries = 300)
    void encapsulateThenDecapsulateGivesTheInnerPacketBack(
            @ForAll("transforms") EspTransform t, @ForAll boolean esn, @ForAll boolean ipv6,
            @ForAll @IntRange(min = 1, max = 1500) int length, @ForAll boolean inPlace, @ForAll long seed) {
        Fixtures.Pair sa = Fixtures.pair(t, esn);
        byte[] inner = Fixtures.innerPacket(ipv6, length, seed);
        byte[] buf = new byte[HEADROOM + t.encapsulatedLength(length)];
        int innerOff = HEADROOM + t.headerSize();
        byte[] src = inPlace ? buf : inner;
        if (inPlace) {
            System.arraycopy(inner, 0, buf, innerOff, length);
        }

        assertThat(sa.out().encapsulate(src, inPlace ? innerOff : 0, length, buf, HEADROOM)).isEqualTo(EspStatus.OK);
        int espLength = sa.out().length();
        assertThat(espLength).isEqualTo(t.encapsulatedLength(length)).isLessThanOrEqualTo(length + t.maxOverhead());
        assertThat(EspPacket.spi(buf, HEADROOM)).isEqualTo(Fixtures.SPI);
        assertThat(EspPacket.sequenceLow(buf, HEADROOM)).isEqualTo(1);

        byte[] dst = inPlace ? buf : new byte[t.decryptedLength(espLength)];
        int dstOff = inPlace ? innerOff : 0;
        assertThat(sa.in().decapsulate(buf, HEADROOM, espLength, dst, dstOff)).isEqualTo(EspStatus.OK);
        assertThat(sa.in().innerLength()).isEqualTo(length);
        assertThat(sa.in().nextHeader()).isEqualTo(ipv6 ? 41 : 4);
        assertThat(Arrays.copyOfRange(dst, dstOff, dstOff + length)).isEqualTo(inner);

        assertThat(sa.out().stats().packets()).isEqualTo(1);
        assertThat(sa.out().stats().bytes()).isEqualTo(length);
        assertThat(sa.in().stats().packets()).isEqualTo(1);
        assertThat(sa.in().stats().bytes()).isEqualTo(length);
        assertThat(sa.in().stats().lastPacketNanos()).isPositive();
    }

    @Property(tries = 40)
    void manyPacketsInARowWithEsnAcrossTheLow32BitWrap(@ForAll("transforms") EspTransform t, @ForAll long seed) {
        Fixtures.Pair sa = Fixtures.pair(t, true, 1024, (1L << 32) - 3);
        byte[] buf = new byte[2000];
        byte[] dst = new byte[2000];
        for (int i = 0; i < 6; i++) {
            byte[] inner = Fixtures.innerPacket(i % 2 == 0, 40 + i * 7, seed + i);
            assertThat(sa.out().encapsulate(inner, 0, inner.length, buf, 0)).isEqualTo(EspStatus.OK);
            assertThat(sa.in().decapsulate(buf, 0, sa.out().length(), dst, 0)).isEqualTo(EspStatus.OK);
            assertThat(sa.in().sequence()).isEqualTo((1L << 32) - 3 + i);
            assertThat(Arrays.copyOf(dst, sa.in().innerLength())).isEqualTo(inner);
        }
    }

    /** A CBC packet is plain RFC 3602 CBC under the IV it carries, MACed per RFC 4303 and 4868. */
    @Property(tries = 60)
    void cbcPacketsAreStandardCbcAndHmac(@ForAll("transforms") EspTransform t, @ForAll boolean esn,
                                          @ForAll @IntRange(min = 1, max = 300) int length) throws Exception {
        if (t.aead()) {
            return;
        }
        Fixtures.Pair sa = Fixtures.pair(t, esn, 1024, esn ? 0x7_0000_0009L : 9);
        EspKeys keys = Fixtures.keys(t, 42);
        byte[] inner = Fixtures.innerPacket(false, length, length);
        byte[] buf = new byte[t.encapsulatedLength(length)];
        assertThat(sa.out().encapsulate(inner, 0, length, buf, 0)).isEqualTo(EspStatus.OK);

        Cipher cbc = Cipher.getInstance("AES/CBC/NoPadding");
        cbc.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys.encryptionKey(), "AES"),
                new IvParameterSpec(buf, 8, 16));
        byte[] plain = cbc.doFinal(buf, 24, t.paddedLength(length));
        assertThat(Arrays.copyOf(plain, length)).isEqualTo(inner);

        Mac mac = Mac.getInstance(t.integrity().macAlgorithm());
        mac.init(new SecretKeySpec(keys.integrityKey(), t.integrity().macAlgorithm()));
        int authenticated = buf.length - t.icvSize();
        mac.update(buf, 0, authenticated);
        if (esn) {
            mac.update(new byte[] {0, 0, 0, 7});
        }
        assertThat(Arrays.copyOfRange(buf, authenticated, buf.length))
                .isEqualTo(Arrays.copyOf(mac.doFinal(), t.icvSize()));
    }
}
