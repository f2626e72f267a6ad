package io.ipsecd.ike.crypto;

import static io.ipsecd.ike.crypto.Fragments.feed;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.ike.crypto.FragmentReassembler.Limits;
import io.ipsecd.ike.crypto.FragmentReassembler.Result;
import io.ipsecd.ike.message.Payload;
import io.ipsecd.ike.message.PayloadType;
import io.ipsecd.ike.sa.ManualEventLoop;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Reassembly rules of RFC 7383 §2.6 and the bounds, on AES-GCM and AES-CBC+HMAC. */
class FragmentReassemblerTest {
    private static final List<Payload> INNER = Fragments.inner(3000, 7);
    private static final int SIZE = 600;

    private final ManualEventLoop loop = Fragments.loop();

    private FragmentReassembler reassembler(int cipher) {
        return new FragmentReassembler(Fragments.cipher(cipher), loop, Limits.DEFAULT);
    }

    private static List<byte[]> split(int cipher, List<Payload> inner, long messageId, int size) {
        return IkeFragmenter.split(Fragments.header(messageId), inner, Fragments.cipher(cipher), size);
    }

    private static Result.Complete whole(long messageId) {
        return new Result.Complete(Fragments.header(messageId), INNER);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void outOfOrderFragmentsComplete(int cipher) {
        List<byte[]> fragments = split(cipher, INNER, 1, SIZE);
        assertThat(fragments).hasSize(6);
        FragmentReassembler r = reassembler(cipher);
        for (int i = 5; i > 0; i--) {
            assertThat(feed(r, fragments.get(i))).isEqualTo(new Result.Pending(6 - i, 6));
        }
        assertThat(feed(r, fragments.getFirst())).isEqualTo(whole(1));
        assertThat(r.pendingMessages()).isZero();
        assertThat(loop.pendingTimers()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void duplicatesAreIgnored(int cipher) {
        List<byte[]> fragments = split(cipher, INNER, 1, SIZE);
        FragmentReassembler r = reassembler(cipher);
        assertThat(feed(r, fragments.get(2))).isEqualTo(new Result.Pending(1, 6));
        assertThat(feed(r, fragments.get(2))).isEqualTo(new Result.Dropped("duplicate fragment 3/6"));
        for (int i = 0; i < 5; i++) {
            if (i != 2) {
                assertThat(feed(r, fragments.get(i))).isInstanceOf(Result.Pending.class);
            }
        }
        assertThat(feed(r, fragments.get(5))).isEqualTo(whole(1));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void aForgedFragmentCostsNothingAndTheRealOneStillCompletes(int cipher) {
        List<byte[]> fragments = split(cipher, INNER, 1, SIZE);
        FragmentReassembler r = reassembler(cipher);
        for (int position : new int[] {fragments.get(1).length - 1, 100, 36, 33, 20}) {
            byte[] forged = fragments.get(1).clone();
            forged[position] ^= 0x01;   // ICV, ciphertext, IV, Fragment Number, exchange header
            assertThat(feed(r, forged)).as("flip at %d", position).isEqualTo(new Result.Dropped("integrity check failed"));
        }
        assertThat(r.pendingMessages()).isZero();
        assertThat(loop.pendingTimers()).isZero();

        for (int i = 0; i < 5; i++) {
            assertThat(feed(r, fragments.get(i))).isInstanceOf(Result.Pending.class);
        }
        // a forged larger Total Fragments must not throw the stored ones away
        byte[] forgedTotal = fragments.get(5).clone();
        forgedTotal[35] = 7;
        assertThat(feed(r, forgedTotal)).isEqualTo(new Result.Dropped("integrity check failed"));
        assertThat(feed(r, fragments.get(5))).isEqualTo(whole(1));
    }

    @Test
    void aLargerTotalFromTheSenderRestartsAndASmallerOneIsDropped() {
        List<byte[]> big = split(0, INNER, 1, 1200);
        List<byte[]> small = split(0, INNER, 1, SIZE);
        assertThat(big).hasSize(3);
        FragmentReassembler r = reassembler(0);
        feed(r, big.get(0));
        assertThat(feed(r, big.get(1))).isEqualTo(new Result.Pending(2, 3));
        assertThat(feed(r, small.get(4))).isEqualTo(new Result.Pending(1, 6));
        assertThat(feed(r, big.get(2))).isEqualTo(new Result.Dropped("Total Fragments 3 is smaller than the 6 of the "
                + "fragments already received"));
        for (int i = 0; i < 6; i++) {
            if (i != 4) {
                feed(r, small.get(i));
            }
        }
        assertThat(r.pendingMessages()).isZero();
        assertThat(feed(r, small.get(4))).isEqualTo(new Result.Pending(1, 6)); // a new round: completion was reported
    }

    @Test
    void tooManyFragmentsAreDroppedBeforeAnyCrypto() {
        List<byte[]> fragments = split(0, INNER, 1, SIZE);
        FragmentReassembler r = new FragmentReassembler(Fragments.cipher(0), loop, new Limits(5, 65536, 2,
                Duration.ofSeconds(30)));
        assertThat(feed(r, fragments.getFirst())).isEqualTo(new Result.Dropped("Total Fragments 6 exceeds the limit of 5"));
        assertThat(r.pendingMessages()).isZero();
        assertThat(Limits.DEFAULT.maxFragments()).isEqualTo(64);
    }

    @Test
    void tooManyBytesDropTheWholeMessage() {
        List<byte[]> fragments = split(0, INNER, 1, SIZE);
        FragmentReassembler r = new FragmentReassembler(Fragments.cipher(0), loop, new Limits(64, 2000, 2,
                Duration.ofSeconds(30)));
        assertThat(feed(r, fragments.get(0))).isInstanceOf(Result.Pending.class);
        assertThat(feed(r, fragments.get(1))).isInstanceOf(Result.Pending.class);
        assertThat(feed(r, fragments.get(2))).isInstanceOf(Result.Pending.class);
        assertThat(feed(r, fragments.get(3))).isEqualTo(new Result.Dropped("message 1 exceeds 2000 bytes of fragments; "
                + "all its fragments dropped"));
        assertThat(r.pendingMessages()).isZero();
        assertThat(loop.pendingTimers()).isZero();
        assertThat(feed(r, fragments.get(4))).isEqualTo(new Result.Pending(1, 6));
    }

    @Test
    void anIncompleteMessageIsForgottenAfterTheTimeout() {
        List<byte[]> fragments = split(0, INNER, 1, SIZE);
        FragmentReassembler r = reassembler(0);
        feed(r, fragments.get(0));
        loop.advance(Duration.ofSeconds(29));
        assertThat(r.pendingMessages()).isEqualTo(1);
        loop.advance(Duration.ofSeconds(2));
        assertThat(r.pendingMessages()).isZero();
        for (int i = 1; i < 6; i++) {
            assertThat(feed(r, fragments.get(i))).isEqualTo(new Result.Pending(i, 6));
        }
    }

    @Test
    void clearForgetsEveryIncompleteMessageAndItsTimer() {
        List<byte[]> first = split(0, INNER, 1, SIZE);
        List<byte[]> second = split(0, INNER, 2, SIZE);
        FragmentReassembler r = reassembler(0);
        feed(r, first.get(0));
        feed(r, first.get(1));
        feed(r, second.get(3));
        assertThat(r.pendingMessages()).isEqualTo(2);
        r.clear();
        assertThat(r.pendingMessages()).isZero();
        assertThat(loop.pendingTimers()).isZero();
        assertThat(feed(r, first.get(1))).as("nothing of it is left").isEqualTo(new Result.Pending(1, 6));
    }

    @Test
    void aThirdMessageEvictsTheOldest() {
        FragmentReassembler r = reassembler(0);
        List<List<byte[]>> messages = List.of(split(0, INNER, 1, SIZE), split(0, INNER, 2, SIZE), split(0, INNER, 3, SIZE));
        messages.forEach(m -> feed(r, m.getFirst()));
        assertThat(r.pendingMessages()).isEqualTo(2);
        assertThat(loop.pendingTimers()).isEqualTo(2);
        for (int i = 1; i < 5; i++) {
            feed(r, messages.get(2).get(i));
        }
        assertThat(feed(r, messages.get(2).get(5))).isEqualTo(whole(3));
        assertThat(feed(r, messages.get(1).get(1))).isEqualTo(new Result.Pending(2, 6));
        for (int i = 1; i < 5; i++) {
            feed(r, messages.get(0).get(i));
        }
        // message 1 lost its first fragment to the eviction: it cannot complete
        assertThat(feed(r, messages.get(0).get(5))).isEqualTo(new Result.Pending(5, 6));
    }

    @Test
    void authenticGarbageIsMalformedNotComplete() {
        byte[] garbage = new byte[900];
        Arrays.fill(garbage, (byte) 0xee);
        List<byte[]> fragments = IkeFragmenter.split(Fragments.HEADER, PayloadType.NONCE.value(), garbage,
                Fragments.cipher(0), SIZE);
        FragmentReassembler r = reassembler(0);
        feed(r, fragments.get(0));
        assertThat(feed(r, fragments.get(1))).isInstanceOfSatisfying(Result.Malformed.class,
                m -> assertThat(m.header()).isEqualTo(Fragments.HEADER));
    }

    /** The GCM associated data is the IKE header plus the whole 8-byte SKF header, checked with raw javax.crypto. */
    @Test
    void gcmFragmentsAuthenticateTheSkfHeaderAsAssociatedData() throws Exception {
        byte[] keyAndSalt = SkCodecTest.key(36, 9);
        List<byte[]> fragments = split(0, INNER, 1, SIZE);
        byte[] second = fragments.get(1);
        assertThat(HexFormat.of().formatHex(second, 28, 36)).isEqualTo("0000" + String.format("%04x", second.length - 28)
                + "00020006");
        assertThat(fragments.get(0)[28]).isEqualTo((byte) PayloadType.VENDOR_ID.value());
        assertThat(fragments.get(0)[16]).isEqualTo((byte) 53);

        byte[] nonce = new byte[12];
        System.arraycopy(keyAndSalt, 32, nonce, 0, 4);
        System.arraycopy(second, 36, nonce, 4, 8);
        assertThat(HexFormat.of().formatHex(nonce, 4, 12)).isEqualTo("0000000000000001"); // the sender's counter IV
        Cipher raw = Cipher.getInstance("AES/GCM/NoPadding");
        raw.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyAndSalt, 0, 32, "AES"), new GCMParameterSpec(128, nonce));
        raw.updateAAD(second, 0, 36);
        byte[] plaintext = raw.doFinal(second, 44, second.length - 44);
        int perFragment = IkeFragmenter.contentPerFragment(Fragments.cipher(0), SIZE);
        byte[] chain = io.ipsecd.ike.message.PayloadCodec.encodeChain(INNER);
        assertThat(Arrays.copyOf(plaintext, plaintext.length - 1))
                .isEqualTo(Arrays.copyOfRange(chain, perFragment, 2 * perFragment));
        assertThat(plaintext[plaintext.length - 1]).isZero();
    }

    @Test
    void sizesAccountForEveryHeader() {
        assertThat(IkeFragmenter.DEFAULT_FRAGMENT_SIZE).isEqualTo(1280);
        assertThat(IkeFragmenter.messageBudget(1280, true, false)).isEqualTo(1232);
        assertThat(IkeFragmenter.messageBudget(1280, false, true)).isEqualTo(1248);
        // 28 IKE header + 8 SKF header + 8 IV + 16 ICV + 1 pad length
        assertThat(IkeFragmenter.contentPerFragment(Fragments.cipher(0), 1232)).isEqualTo(1232 - 61);
        // 28 + 8 + 16 IV + 16 ICV, then whole 16-byte blocks holding the pad length
        assertThat(IkeFragmenter.contentPerFragment(Fragments.cipher(1), 1232)).isEqualTo((1232 - 68) / 16 * 16 - 1);
    }
}
