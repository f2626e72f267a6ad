package io.ipsecd.esp;

/**
 * RFC 6479 anti-replay bitmap with RFC 4303 Appendix A ESN inference.
 *
 * <p>The bitmap is a ring of 64-bit words covering more than the window, so sliding forward
 * clears whole words instead of shifting bits. A sequence number {@code s} is acceptable when it
 * is above the highest authenticated one ({@code top}), or within {@code size} below it and not
 * seen. {@link #check} runs before decryption, {@link #update} only after the packet
 * authenticated, so forged packets never move the window. Owned by one thread.
 */
final class ReplayWindow {
    private final int size;
    private final long[] words;
    private final int mask;
    private long top;

    ReplayWindow(int size) {
        if (size < 64 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("window must be a power of two >= 64: " + size);
        }
        this.size = size;
        // size/64 words for the window plus one for the partly filled word at each end, rounded up
        // to a power of two so the ring index is a mask.
        this.words = new long[Integer.highestOneBit(size / 64 + 1) << 1];
        this.mask = words.length - 1;
    }

    /** Highest authenticated sequence number so far (0 before the first packet). */
    long top() { return top; }

    int size() { return size; }

    /** Tests only: behave as if {@code seq} had been the last authenticated number. */
    void restartAt(long seq) {
        java.util.Arrays.fill(words, 0L);
        top = seq;
    }

    /**
     * The full 64-bit sequence number a packet carrying {@code low} most likely has (RFC 4303
     * Appendix A3), or 0 (never valid) when it would lie outside the 64-bit space.
     */
    long inferEsn(int low) {
        long seql = low & 0xFFFF_FFFFL;
        long tl = top & 0xFFFF_FFFFL;
        long th = top >>> 32;
        long seqh;
        if (tl >= size - 1) {
            // Window inside one 2^32 subspace: below its bottom means the next subspace.
            seqh = seql >= tl - size + 1 ? th : th + 1;
        } else {
            // Window straddles two subspaces: the numbers near 2^32 belong to the previous one.
            seqh = seql >= ((tl - size + 1) & 0xFFFF_FFFFL) ? th - 1 : th;
        }
        if (seqh < 0 || seqh > 0xFFFF_FFFFL) {
            return 0;
        }
        return seqh << 32 | seql;
    }

    /** True when {@code seq} is new and not too old. Does not change the window. */
    boolean check(long seq) {
        if (seq == 0) {
            return false;
        }
        if (Long.compareUnsigned(seq, top) > 0) {
            return true;
        }
        if (top - seq >= size) {
            return false;
        }
        return (words[(int) (seq >>> 6) & mask] & (1L << seq)) == 0;
    }

    /** Records an authenticated {@code seq} that {@link #check} accepted. */
    void update(long seq) {
        if (Long.compareUnsigned(seq, top) > 0) {
            long topWord = top >>> 6;
            long newWord = seq >>> 6;
            long advance = newWord - topWord;
            if (advance >= words.length) {
                java.util.Arrays.fill(words, 0L);
            } else {
                for (long w = topWord + 1; w <= newWord; w++) {
                    words[(int) w & mask] = 0L;
                }
            }
            top = seq;
        }
        words[(int) (seq >>> 6) & mask] |= 1L << seq;
    }
}
