package io.ipsecd.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    @Provide
    Arbitrary<EspTransform> transforms() { return Arbitraries.of(Fixtures.ALL_TRANSFORMS); }

    /** maxInnerLength is the tunnel MTU: the largest inner packet whose ESP packet fits the budget. */
    @Property(tries = 500)
    void maxInnerLengthIsTheLargestThatFits(@ForAll("transforms") EspTransform t,
                                            @ForAll @IntRange(min = 60, max = 9000) int budget) {
        int max = t.maxInnerLength(budget);
        if (t.encapsulatedLength(0) > budget) {
            assertThat(max).isZero(); // not even an empty packet fits
            return;
        }
        assertThat(t.encapsulatedLength(max)).isLessThanOrEqualTo(budget);
        assertThat(t.encapsulatedLength(max + 1)).isGreaterThan(budget);
        assertThat(t.encapsulatedLength(max) - max).isLessThanOrEqualTo(t.maxOverhead());
        assertThat(t.decryptedLength(t.encapsulatedLength(max))).isEqualTo(t.paddedLength(max));
    }

    @Test
    void sizesOfTheTransforms() {
        assertThat(EspTransform.AES_GCM_256.maxOverhead()).isEqualTo(8 + 8 + 3 + 2 + 16);
        assertThat(EspTransform.AES_GCM_128.keyMaterialSize()).isEqualTo(20);
        assertThat(EspTransform.CHACHA20_POLY1305.keyMaterialSize()).isEqualTo(36);
        EspTransform cbc = EspTransform.cbc(EspEncryption.AES_CBC_256, EspIntegrity.HMAC_SHA2_384_192);
        assertThat(cbc.keyMaterialSize()).isEqualTo(32 + 48);
        assertThat(cbc.headerSize()).isEqualTo(24);
        assertThat(cbc.icvSize()).isEqualTo(24);
        assertThat(cbc.maxOverhead()).isEqualTo(24 + 15 + 2 + 24);
        assertThat(EspEncryption.AES_GCM_16_256.ikeTransformId()).isEqualTo(20);
        assertThat(EspEncryption.AES_GCM_16_256.ikeKeyLengthBits()).isEqualTo(256);
        assertThat(EspEncryption.CHACHA20_POLY1305.ikeKeyLengthBits()).isZero();
        assertThat(EspIntegrity.HMAC_SHA2_512_256.ikeTransformId()).isEqualTo(14);
        assertThatThrownBy(() -> new EspTransform(EspEncryption.AES_GCM_16_128, EspIntegrity.HMAC_SHA1_96))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EspTransform(EspEncryption.AES_CBC_128, EspIntegrity.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysAreTakenFromKeymatInRfc7296Order() {
        byte[] keymat = new byte[100];
        for (int i = 0; i < keymat.length; i++) {
            keymat[i] = (byte) i;
        }
        EspKeys gcm = EspKeys.fromKeyMaterial(EspTransform.AES_GCM_128, keymat, 10);
        assertThat(gcm.encryptionKey()).isEqualTo(Arrays.copyOfRange(keymat, 10, 26));
        assertThat(gcm.salt()).isEqualTo(Arrays.copyOfRange(keymat, 26, 30));
        assertThat(gcm.integrityKey()).isEmpty();
        EspTransform cbc = EspTransform.cbc(EspEncryption.AES_CBC_128, EspIntegrity.HMAC_SHA1_96);
        EspKeys k = EspKeys.fromKeyMaterial(cbc, keymat, 0);
        assertThat(k.encryptionKey()).isEqualTo(Arrays.copyOfRange(keymat, 0, 16));
        assertThat(k.salt()).isEmpty();
        assertThat(k.integrityKey()).isEqualTo(Arrays.copyOfRange(keymat, 16, 36));

        assertThat(k).isEqualTo(EspKeys.cbc(Arrays.copyOf(keymat, 16), Arrays.copyOfRange(keymat, 16, 36)))
                .isNotEqualTo(gcm);
        keymat[0] = 99; // the record holds copies
        assertThat(k.encryptionKey()[0]).isZero();
        assertThat(k.toString()).doesNotContain("0, 1, 2").contains("16 bytes");
        k.destroy();
        assertThat(k.encryptionKey()).containsOnly(0);
        assertThat(k.integrityKey()).containsOnly(0);
        assertThatThrownBy(() -> EspKeys.fromKeyMaterial(cbc, new byte[35], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void saParametersRejectWhatCannotWork() {
        EspTransform t = EspTransform.AES_GCM_256;
        EspKeys keys = Fixtures.keys(t, 1);
        assertThatThrownBy(() -> SaParameters.of(255, SaDirection.INBOUND, t, keys))
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> SaParameters.of(0x1000, SaDirection.INBOUND, t, keys).withReplayWindow(1000))
                .hasMessageContaining("power of two");
        assertThatThrownBy(() -> SaParameters.of(0x1000, SaDirection.INBOUND, t, Fixtures.keys(EspTransform.AES_GCM_128, 1)))
                .hasMessageContaining("do not fit");
        assertThatThrownBy(() -> SaParameters.of(0x1000, SaDirection.INBOUND, t, keys)
                .withLifetimes(new SaLifetime(10, 10), new SaLifetime(5, 10))).hasMessageContaining("exceeds");
        assertThat(SaParameters.of(0xFFFF_FFFF, SaDirection.INBOUND, t, keys).withEsn(true).esn()).isTrue();
        assertThatThrownBy(() -> OutboundSa.create(SaParameters.of(0x1000, SaDirection.INBOUND, t, keys)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static InetAddress ip(String s) throws Exception { return InetAddress.getByName(s); }

    @Test
    void trafficSelectors() throws Exception {
        TrafficSelector net10 = TrafficSelector.ofPrefix(ip("10.1.0.0"), 16);
        assertThat(net10.startAddress()).isEqualTo(ip("10.1.0.0"));
        assertThat(net10.endAddress()).isEqualTo(ip("10.1.255.255"));
        assertThat(net10.contains(ip("10.1.2.3"), 6, 443)).isTrue();
        assertThat(net10.contains(ip("10.2.0.0"), 6, 443)).isFalse();
        assertThat(net10.contains(ip("::1"), 6, 443)).isFalse();

        TrafficSelector https = TrafficSelector.ofPrefix(ip("10.1.2.0"), 24, 6, 443, 443);
        assertThat(https.contains(ip("10.1.2.3"), 6, 443)).isTrue();
        assertThat(https.contains(ip("10.1.2.3"), 17, 443)).isFalse();
        assertThat(https.contains(ip("10.1.2.3"), 6, 80)).isFalse();
        assertThat(net10.covers(https)).isTrue();
        assertThat(https.covers(net10)).isFalse();
        assertThat(net10.overlaps(https)).isTrue();
        assertThat(net10.intersection(https)).contains(https);

        TrafficSelector udp = new TrafficSelector(ip("10.1.2.128"), ip("10.9.0.0"), 17, 0, 65535);
        assertThat(https.overlaps(udp)).isFalse(); // protocols differ
        assertThat(net10.intersection(udp)).contains(new TrafficSelector(ip("10.1.2.128"), ip("10.1.255.255"), 17, 0, 65535));
        assertThat(TrafficSelector.anyIpv4().overlaps(TrafficSelector.anyIpv6())).isFalse();
        assertThat(TrafficSelector.anyIpv6().contains(ip("2001:db8::1"), 58, 0)).isTrue();
        assertThat(TrafficSelector.ofPrefix(ip("2001:db8::"), 32).endAddress()).isEqualTo(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));

        assertThatThrownBy(() -> new TrafficSelector(ip("10.0.0.2"), ip("10.0.0.1"), 0, 0, 65535))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrafficSelector(ip("10.0.0.1"), ip("::2"), 0, 0, 65535))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrafficSelector(ip("10.0.0.1"), ip("10.0.0.2"), 0, 10, 9))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
