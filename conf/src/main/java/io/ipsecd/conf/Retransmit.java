package io.ipsecd.conf;

import java.time.Duration;

/**
 * {@code global.ike.retransmit}: when an unanswered IKE request is sent again, and when it is given
 * up (RFC 7296 §2.1). The defaults are strongSwan's: 4 s, times 1.8 per resend, at most 5 min
 * apart, 5 resends (about 165 s in all). Dead peer detection bounds its own checks by
 * {@code dpd.timeout} instead.
 */
public record Retransmit(Duration timeout, double factor, Duration maxTimeout, int retransmits) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(4);
    public static final double DEFAULT_FACTOR = 1.8;
    public static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_RETRANSMITS = 5;

    public Retransmit {
        if (timeout.isNegative() || timeout.isZero() || factor < 1.0 || retransmits < 0 || maxTimeout.compareTo(timeout) < 0) {
            throw new IllegalArgumentException("bad retransmit settings " + timeout + " x" + factor + " max " + maxTimeout
                    + ", " + retransmits + " retransmits");
        }
    }

    public static Retransmit defaults() {
        return new Retransmit(DEFAULT_TIMEOUT, DEFAULT_FACTOR, DEFAULT_MAX_TIMEOUT, DEFAULT_RETRANSMITS);
    }
}
