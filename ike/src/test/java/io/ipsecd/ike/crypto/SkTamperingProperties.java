package io.ipsecd.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.ike.message.IkeDecodeException;
import io.ipsecd.ike.message.IkeMessageCodec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Every bit of a protected message is authenticated: any single flip is a decode error or a rejection, never an exception. */
class SkTamperingProperties {

    @Property(tries = 1500)
    void anySingleBitFlipIsCaught(@ForAll @IntRange(min = 0, max = 2) int cipher, @ForAll @IntRange(min = 0, max = 10_000) int where,
                                  @ForAll @IntRange(min = 0, max = 7) int bit) {
        byte[] datagram = SkCodec.seal(SkCodecTest.HEADER, SkCodecTest.INNER, SkCodecTest.twin(cipher));
        datagram[where % datagram.length] ^= (byte) (1 << bit);
        try {
            SkOpenResult r = SkCodec.open(datagram, IkeMessageCodec.decode(datagram), SkCodecTest.twin(cipher));
            assertThat(r).isInstanceOf(SkOpenResult.Rejected.class);
        } catch (IkeDecodeException expected) {
            // the flip broke the outer framing (length, version, next payload): also caught
        }
    }
}
