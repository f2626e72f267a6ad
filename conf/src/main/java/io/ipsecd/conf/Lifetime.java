package io.ipsecd.conf;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How long an SA lives, by time and (Child SAs only) by traffic. Each given limit is a hard one:
 * the SA is deleted when it is reached. The rekey (soft limit) comes {@code rekeyMarginPercent}
 * of it earlier, and a further random share of up to {@code jitterPercent} earlier still, so that
 * two peers with the same lifetime rarely rekey at the same moment. strongSwan's {@code life_time}
 * is our {@code time}, its {@code rekey_time} our {@code time} less the margin, its
 * {@code rand_time} our jitter.
 *
 * @param bytes ESP payload bytes, per direction; absent: no byte limit
 * @param packets ESP packets, per direction; absent: no packet limit
 */
public record Lifetime(Duration time, OptionalLong bytes, OptionalLong packets, int rekeyMarginPercent,
                       int jitterPercent) {
    public static final int DEFAULT_REKEY_MARGIN_PERCENT = 10;
    public static final int DEFAULT_JITTER_PERCENT = 5;
    public static final int MIN_REKEY_MARGIN_PERCENT = 1;
    public static final int MAX_REKEY_MARGIN_PERCENT = 50;
    public static final int MAX_JITTER_PERCENT = 25;

    public Lifetime {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(packets, "packets");
        if (time.isNegative() || time.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive: " + time);
        }
        if (bytes.isPresent() && bytes.getAsLong() <= 0 || packets.isPresent() && packets.getAsLong() <= 0) {
            throw new IllegalArgumentException("byte and packet lifetimes must be positive");
        }
        if (rekeyMarginPercent < MIN_REKEY_MARGIN_PERCENT || rekeyMarginPercent > MAX_REKEY_MARGIN_PERCENT) {
            throw new IllegalArgumentException("rekey margin must be " + MIN_REKEY_MARGIN_PERCENT + ".."
                    + MAX_REKEY_MARGIN_PERCENT + "%, not " + rekeyMarginPercent);
        }
        if (jitterPercent < 0 || jitterPercent > MAX_JITTER_PERCENT) {
            throw new IllegalArgumentException("jitter must be 0.." + MAX_JITTER_PERCENT + "%, not " + jitterPercent);
        }
    }

    /** A time limit with the default margin and jitter, and no traffic limits (the scalar {@code lifetime: 1h}). */
    public static Lifetime of(Duration time) {
        return new Lifetime(time, OptionalLong.empty(), OptionalLong.empty(), DEFAULT_REKEY_MARGIN_PERCENT,
                DEFAULT_JITTER_PERCENT);
    }

    /** The latest rekey for {@code hard} (a time in milliseconds, bytes or packets): the margin before it. */
    public long latestRekey(long hard) {
        return hard - share(hard, rekeyMarginPercent);
    }

    /** The most the rekey is brought forward at random, beyond the margin. */
    public long jitterRange(long hard) {
        return share(hard, jitterPercent);
    }

    /** {@code percent} of {@code value}, without overflowing for values near {@code Long.MAX_VALUE}. */
    private static long share(long value, int percent) {
        return value / 100 * percent + value % 100 * percent / 100;
    }
}
