package io.ipsecd.ike.sa;

import java.time.Duration;

/**
 * When to resend an unanswered request (RFC 7296 §2.1): exponential backoff from
 * {@code initialTimeout}, capped at {@code maxTimeout}, giving up after {@code retransmits}
 * resends. The default is strongSwan's: 4 s, factor 1.8, 5 retransmits (about 165 s in all).
 */
public record RetransmitPolicy(Duration initialTimeout, double factor, Duration maxTimeout, int retransmits) {
    public static final RetransmitPolicy DEFAULT = new RetransmitPolicy(Duration.ofSeconds(4), 1.8,
            Duration.ofMinutes(5), 5);

    public RetransmitPolicy {
        if (initialTimeout.isNegative() || initialTimeout.isZero() || factor < 1.0 || retransmits < 0
                || maxTimeout.compareTo(initialTimeout) < 0) {
            throw new IllegalArgumentException("bad retransmit policy " + initialTimeout + " x" + factor + " max "
                    + maxTimeout + ", " + retransmits + " retransmits");
        }
    }

    /** How long to wait for a response after send number {@code attempt} (0 = the first send). */
    public Duration timeoutAfter(int attempt) {
        double millis = initialTimeout.toMillis() * Math.pow(factor, attempt);
        return millis >= maxTimeout.toMillis() ? maxTimeout : Duration.ofMillis(Math.round(millis));
    }

    /** Time from the first send until the request is given up. */
    public Duration giveUpAfter() {
        Duration total = Duration.ZERO;
        for (int attempt = 0; attempt <= retransmits; attempt++) {
            total = total.plus(timeoutAfter(attempt));
        }
        return total;
    }
}
