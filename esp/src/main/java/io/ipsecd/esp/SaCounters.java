package io.ipsecd.esp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counters written by the one thread that owns the SA direction and read by anyone.
 *
 * <p>Single writer, so no atomic read-modify-write: an opaque store is enough for readers on other
 * threads to see every value eventually and never a torn one, and costs a plain store on x86.
 */
final class SaCounters {
    static final int PACKETS = 0, BYTES = 1, REPLAY = 2, AUTH = 3, PADDING = 4, MALFORMED = 5, REFUSED = 6,
            LAST_NANOS = 7;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    // Padded on both sides so two SAs' counters never share a cache line.
    private static final int BASE = 8;
    private final long[] slots = new long[BASE + 8 + 8];

    void increment(int counter) { add(counter, 1); }

    void add(int counter, long delta) {
        int i = BASE + counter;
        SLOT.setOpaque(slots, i, slots[i] + delta);
    }

    /** One successful packet of {@code bytes} inner bytes. */
    void packet(int bytes) {
        add(PACKETS, 1);
        add(BYTES, bytes);
        SLOT.setOpaque(slots, BASE + LAST_NANOS, System.nanoTime());
    }

    /** Read by the owning thread only. */
    long own(int counter) { return slots[BASE + counter]; }

    long read(int counter) { return (long) SLOT.getOpaque(slots, BASE + counter); }

    SaStats snapshot() {
        return new SaStats(read(PACKETS), read(BYTES), read(REPLAY), read(AUTH), read(PADDING), read(MALFORMED),
                read(REFUSED), read(LAST_NANOS));
    }
}
