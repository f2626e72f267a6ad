package io.ipsecd.ike.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * For any bytes, decoding either yields a message or throws {@link IkeDecodeException}; nothing else
 * escapes. A decoded message also re-encodes to something that decodes to the same message.
 */
class DecoderRobustnessProperties {

    @Property(tries = 2000)
    void randomBytes(@ForAll @Size(max = 400) byte[] datagram) {
        decodeAndCheck(datagram);
    }

    @Property(tries = 2000)
    void randomBodiesBehindAValidHeader(@ForAll @Size(max = 300) byte[] body, @ForAll("payloadTypes") int first) {
        decodeAndCheck(withValidHeader(first, body));
    }

    @Property(tries = 6000)
    void mutatedValidMessages(@ForAll("mutated") byte[] datagram) {
        decodeAndCheck(datagram);
    }

    @Property(tries = 1000)
    void mutatedInnerChains(@ForAll("mutated") byte[] datagram, @ForAll("payloadTypes") int first) {
        byte[] body = java.util.Arrays.copyOfRange(datagram, Math.min(28, datagram.length), datagram.length);
        try {
            PayloadCodec.decodeInnerChain(first, body, body.length);
        } catch (IkeDecodeException expected) {
            assertThat(expected.notifyType()).isIn(NotifyType.INVALID_SYNTAX, NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD);
        }
    }

    private static void decodeAndCheck(byte[] datagram) {
        IkeMessage m;
        try {
            m = IkeMessageCodec.decode(datagram);
        } catch (IkeDecodeException expected) {
            assertThat(expected.notifyType()).isIn(NotifyType.INVALID_SYNTAX, NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD,
                    NotifyType.INVALID_MAJOR_VERSION);
            return;
        }
        try {
            assertThat(IkeMessageCodec.decode(IkeMessageCodec.encode(m))).isEqualTo(m);
        } catch (IkeDecodeException e) {
            throw new AssertionError("re-encoded message does not decode: " + e, e);
        }
    }

    static byte[] withValidHeader(int first, byte[] body) {
        byte[] header = Fixtures.requestHeader().encode(first, 28 + body.length);
        byte[] out = new byte[28 + body.length];
        System.arraycopy(header, 0, out, 0, 28);
        System.arraycopy(body, 0, out, 28, body.length);
        return out;
    }

    @Provide
    Arbitrary<Integer> payloadTypes() {
        return Arbitraries.oneOf(Arbitraries.integers().between(33, 48), Arbitraries.integers().between(0, 255));
    }

    /** Seeds: every round-trip fixture plus the full IKE_SA_INIT request. */
    static List<byte[]> seeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(Fixtures.hex(IkeMessageCodecTest.SA_INIT_REQUEST));
        PayloadRoundTripTest.fixtures().forEach(a -> seeds.add(Fixtures.request((int) a.get()[1], (String) a.get()[2])));
        return seeds;
    }

    @Provide
    Arbitrary<byte[]> mutated() throws Exception {
        List<byte[]> seeds = seeds();
        Arbitrary<byte[]> seed = Arbitraries.of(seeds).map(byte[]::clone);
        Arbitrary<List<int[]>> edits = Combinators.combine(
                        Arbitraries.integers().between(0, 4),       // kind of edit
                        Arbitraries.integers().between(0, 400),     // position
                        Arbitraries.integers().between(0, 255))     // value
                .as((kind, pos, value) -> new int[] {kind, pos, value}).list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(seed, edits, Arbitraries.of(true, false)).as(DecoderRobustnessProperties::apply);
    }

    private static byte[] apply(byte[] datagram, List<int[]> edits, boolean fixLength) {
        byte[] d = datagram;
        for (int[] e : edits) {
            if (d.length == 0) {
                break;
            }
            int pos = e[1] % d.length;
            d = switch (e[0]) {
                case 0 -> { d[pos] = (byte) e[2]; yield d; }                      // overwrite a byte
                case 1 -> { d[pos] ^= (byte) (1 << (e[2] & 7)); yield d; }        // flip a bit
                case 2 -> java.util.Arrays.copyOf(d, pos);                        // truncate
                case 3 -> {                                                       // insert a byte
                    byte[] n = new byte[d.length + 1];
                    System.arraycopy(d, 0, n, 0, pos);
                    n[pos] = (byte) e[2];
                    System.arraycopy(d, pos, n, pos + 1, d.length - pos);
                    yield n;
                }
                default -> {                                                      // smash a 16-bit length field
                    if (pos + 1 < d.length) {
                        d[pos] = 0;
                        d[pos + 1] = (byte) e[2];
                    }
                    yield d;
                }
            };
        }
        // Half the time repair the header length so the mutation reaches the payload decoders.
        if (fixLength && d.length >= 28) {
            for (int i = 0; i < 4; i++) {
                d[24 + i] = (byte) (d.length >>> (24 - 8 * i));
            }
            d[17] = 0x20;
        }
        return d;
    }
}
