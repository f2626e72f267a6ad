package io.ipsecd.ike.exchange;

import java.time.Duration;
import java.util.Arrays;

/**
 * The rules for two exchanges that cross (RFC 7296 §2.8.1, §2.25): when both peers rekey the same
 * SA at once, each answers the other's request as usual, and once both are done the SA created
 * with the lowest of the four nonces is redundant and is deleted by the peer that created it,
 * while the other peer deletes the old SA. Both peers compute the same answer from the same four
 * nonces, so exactly one new SA survives.
 */
final class Collisions {
    /** RFC 7296 §2.25: who gets TEMPORARY_FAILURE retries "after a short time"; randomised so both don't. */
    static final Duration RETRY_MIN = Duration.ofSeconds(1);
    static final Duration RETRY_SPREAD = Duration.ofSeconds(2);

    private Collisions() {
    }

    /** Whether the exchange with nonces {@code ourNi}/{@code ourNr} created the redundant SA. */
    static boolean weLose(byte[] ourNi, byte[] ourNr, byte[] theirNi, byte[] theirNr) {
        return Arrays.compareUnsigned(lowest(ourNi, ourNr), lowest(theirNi, theirNr)) < 0;
    }

    private static byte[] lowest(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) <= 0 ? a : b;
    }

    /** A delay of 1 to 3 s before retrying an exchange the peer refused with TEMPORARY_FAILURE. */
    static Duration retryDelay(Negotiator n) {
        int r = n.random.bytes(1)[0] & 0xff;
        return RETRY_MIN.plus(RETRY_SPREAD.multipliedBy(r).dividedBy(255));
    }
}
