package io.ipsecd.conf;

import java.time.Duration;
import java.util.Objects;

/** Dead peer detection: probe after {@code delay} of silence, act after {@code timeout} without answer. */
public record Dpd(Duration delay, Duration timeout, DpdAction action) {
    public static final Duration DEFAULT_DELAY = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(45);

    public Dpd {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(action, "action");
    }

    public static Dpd defaults() {
        return new Dpd(DEFAULT_DELAY, DEFAULT_TIMEOUT, DpdAction.RESTART);
    }
}
