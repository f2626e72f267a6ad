package io.ipsecd.esp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The window against a reference model: a set of seen numbers and the highest one. A number is
 * accepted exactly when it is not 0, not seen, and above highest - window.
 */
class ReplayWindowTest {

    /** The reference model. */
    static final class Model {
        final int window;
        final Set<Long> seen = new HashSet<>();
        long highest;

        Model(int window, long start) {
            this.window = window;
            this.highest = start;
        }

        boolean accepts(long seq) {
            return seq != 0 && seq + window > highest && !seen.contains(seq);
        }

        void record(long seq) {
            seen.add(seq);
            highest = Math.max(highest, seq);
        }
    }

    /** One arrival: an offset from the start, and whether the packet is a forgery. */
    record Arrival(int offset, boolean forged) {}

    @Provide
    Arbitrary<List<Arrival>> arrivals() {
        // Mostly near the front (in order, reordered, duplicated), some far behind or far ahead.
        Arbitrary<Integer> offset = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0, 400)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 5000)));
        Arbitrary<Boolean> forged = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, Arbitraries.just(false)), net.jqwik.api.Tuple.of(1, Arbitraries.just(true)));
        return Combinators.combine(offset, forged).as(Arrival::new).list().ofMinSize(1).ofMaxSize(300);
    }

    @Provide
    Arbitrary<Integer> windows() { return Arbitraries.of(64, 128, 256, 1024); }

    @Provide
    Arbitrary<Long> starts() {
        return Arbitraries.of(0L, 1000L, (1L << 32) - 700, (1L << 32) - 64, (1L << 32), 5L * (1L << 32) - 3);
    }

    /** The bare window, with full 64-bit numbers. */
    @Property(tries = 500)
    void windowMatchesTheModel(@ForAll("arrivals") List<Arrival> arrivals, @ForAll("windows") int size,
                               @ForAll("starts") long start) {
        ReplayWindow window = new ReplayWindow(size);
        window.restartAt(start);
        Model model = new Model(size, start);
        for (Arrival a : arrivals) {
            long seq = start + a.offset();
            assertThat(window.check(seq)).as("seq %d top %d", seq, window.top()).isEqualTo(model.accepts(seq));
            if (model.accepts(seq) && !a.forged()) {
                window.update(seq);
                model.record(seq);
            }
            assertThat(window.top()).isEqualTo(model.highest);
        }
    }

    /** ESN inference gives back the full number for everything inside or ahead of the window. */
    @Property(tries = 500)
    void esnInferenceRecoversNumbersNearTheWindow(@ForAll("windows") int size, @ForAll("starts") long start,
                                                  @ForAll("arrivals") List<Arrival> arrivals) {
        ReplayWindow window = new ReplayWindow(size);
        window.restartAt(start + size);
        for (Arrival a : arrivals) {
            long seq = start + a.offset() + 1;
            if (seq + size > window.top()) {
                assertThat(window.inferEsn((int) seq)).as("seq %x top %x", seq, window.top()).isEqualTo(seq);
            }
            if (window.check(seq)) {
                window.update(seq);
            }
        }
    }

    /** Whole SAs: accepted exactly when the model accepts and the packet is genuine. */
    @Property(tries = 60)
    void decapsulationMatchesTheModel(@ForAll("arrivals") List<Arrival> arrivals, @ForAll("windows") int size,
                                      @ForAll("starts") long start, @ForAll boolean esn, @ForAll boolean gcm) {
        if (!esn && start + 5001 > 0xFFFF_FFFFL) {
            start = 1000; // 32-bit sequence numbers cannot go there
        }
        EspTransform t = gcm ? EspTransform.AES_GCM_256
                : EspTransform.cbc(EspEncryption.AES_CBC_128, EspIntegrity.HMAC_SHA2_256_128);
        Fixtures.Pair sa = Fixtures.pair(t, esn, size, start + 1);
        Model model = new Model(size, start);
        byte[] inner = Fixtures.innerPacket(false, 60, 7);
        byte[] buf = new byte[200];
        byte[] dst = new byte[200];
        java.util.Map<Long, byte[]> sent = new java.util.HashMap<>();
        for (Arrival a : arrivals) {
            long seq = start + a.offset();
            if (seq == start) {
                continue; // "sent" before the SA's first packet
            }
            // A duplicate is the same packet again: the sender never encrypts twice under one IV.
            byte[] packet = sent.computeIfAbsent(seq, s -> {
                sa.out().skipTo(s);
                assertThat(sa.out().encapsulate(inner, 0, inner.length, buf, 0)).isEqualTo(EspStatus.OK);
                return java.util.Arrays.copyOf(buf, sa.out().length());
            });
            int length = packet.length;
            System.arraycopy(packet, 0, buf, 0, length);
            if (a.forged()) {
                buf[length - 1] ^= 0x55;
            }
            EspStatus status = sa.in().decapsulate(buf, 0, length, dst, 0);
            boolean inWindow = seq + size > model.highest;
            if (model.accepts(seq) && !a.forged()) {
                assertThat(status).as("seq %x", seq).isEqualTo(EspStatus.OK);
                model.record(seq);
            } else if (model.accepts(seq)) {
                assertThat(status).isEqualTo(EspStatus.AUTH_FAILED);
            } else if (inWindow || !esn) {
                assertThat(status).as("seq %x highest %x", seq, model.highest).isEqualTo(EspStatus.REPLAY);
            } else {
                // Far behind with ESN: Appendix A guesses the next 2^32 block, and the ICV says no.
                assertThat(status).isIn(EspStatus.REPLAY, EspStatus.AUTH_FAILED);
            }
            assertThat(sa.in().highestSequence()).isEqualTo(model.highest);
        }
    }
}
