package io.ipsecd.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.ike.crypto.FragmentReassembler.Result;
import io.ipsecd.ike.message.EncryptedFragmentPayload;
import io.ipsecd.ike.message.IkeMessageCodec;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.PayloadCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Split then reassemble, for random message and fragment sizes, in random order with duplicates. */
class FragmentationProperties {
    private static final FragmentReassembler.Limits ROOMY = new FragmentReassembler.Limits(0xffff, 1 << 20, 2,
            Duration.ofSeconds(30));

    @Property(tries = 300)
    void splitFragmentsFitAndReassembleInAnyOrder(@ForAll @IntRange(min = 0, max = 1) int cipher,
                                                  @ForAll @IntRange(min = 5, max = 20_000) int chainBytes,
                                                  @ForAll @IntRange(min = 120, max = 1500) int maxMessageBytes,
                                                  @ForAll long seed) throws Exception {
        List<Payload> inner = Fragments.inner(chainBytes, seed);
        assertThat(PayloadCodec.encodeChain(inner)).hasSize(chainBytes);
        SkCipher sender = Fragments.cipher(cipher);
        int perFragment = IkeFragmenter.contentPerFragment(sender, maxMessageBytes);
        List<byte[]> fragments = IkeFragmenter.split(Fragments.HEADER, inner, sender, maxMessageBytes);

        assertThat(fragments).hasSize((chainBytes + perFragment - 1) / perFragment);
        for (int i = 0; i < fragments.size(); i++) {
            byte[] f = fragments.get(i);
            assertThat(f.length).isLessThanOrEqualTo(maxMessageBytes);
            if (i < fragments.size() - 1) {
                // full fragments use the room: at most one cipher block (padding) is left over
                assertThat(f.length).isGreaterThan(maxMessageBytes - sender.blockBytes());
            }
            EncryptedFragmentPayload skf = (EncryptedFragmentPayload) IkeMessageCodec.decode(f).payloads().getLast();
            assertThat(skf.fragmentNumber()).isEqualTo(i + 1);
            assertThat(skf.totalFragments()).isEqualTo(fragments.size());
            assertThat(skf.firstInnerPayloadType()).isEqualTo(i == 0 ? inner.getFirst().payloadType() : 0);
        }

        Random random = new Random(seed);
        List<byte[]> arrival = new ArrayList<>(fragments);
        for (int d = 0; d < 3; d++) {
            arrival.add(fragments.get(random.nextInt(fragments.size())));
        }
        Collections.shuffle(arrival, random);
        FragmentReassembler reassembler = new FragmentReassembler(Fragments.cipher(cipher), Fragments.loop(), ROOMY);
        Set<Integer> seen = new HashSet<>();
        int completions = 0;
        for (byte[] f : arrival) {
            seen.add(fragments.indexOf(f));
            Result r = Fragments.feed(reassembler, f);
            if (seen.size() == fragments.size()) {
                // the last missing one completes it; a later retransmission starts over (the SA answers it again)
                assertThat(r).isEqualTo(new Result.Complete(Fragments.HEADER, inner));
                completions++;
                seen.clear();
            } else {
                assertThat(r).isInstanceOfAny(Result.Pending.class, Result.Dropped.class);
            }
        }
        assertThat(completions).isPositive();
    }
}
