package io.ipsecd.esp;

import java.util.Objects;

/**
 * Everything the data path needs to build one direction of a Child SA. Build with
 * {@link #of(int, SaDirection, EspTransform, EspKeys)} and the {@code with...} methods.
 *
 * @param spi the SPI as sent in the packet (the peer's choice for outbound, ours for inbound)
 * @param replayWindow anti-replay window in packets, a power of two in [64, 2^20]; inbound only
 * @param softLifetime when reached, the SA asks for a rekey ({@code rekeyNeeded()})
 * @param hardLifetime when reached, the SA refuses packets with {@link EspStatus#LIFETIME_EXPIRED}
 */
public record SaParameters(int spi, SaDirection direction, EspTransform transform, EspKeys keys,
                           boolean esn, int replayWindow, SaLifetime softLifetime, SaLifetime hardLifetime) {

    public static final int DEFAULT_REPLAY_WINDOW = 1024;
    public static final int MAX_REPLAY_WINDOW = 1 << 20;

    public SaParameters {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(softLifetime, "softLifetime");
        Objects.requireNonNull(hardLifetime, "hardLifetime");
        // RFC 4303 section 2.1: 1..255 are reserved by IANA, 0 is for local use only.
        if (Integer.compareUnsigned(spi, 256) < 0) {
            throw new IllegalArgumentException("SPI " + Integer.toUnsignedString(spi) + " is reserved (0..255)");
        }
        if (replayWindow < 64 || replayWindow > MAX_REPLAY_WINDOW || Integer.bitCount(replayWindow) != 1) {
            throw new IllegalArgumentException("replay window must be a power of two in [64, " + MAX_REPLAY_WINDOW
                    + "], not " + replayWindow);
        }
        if (softLifetime.bytes() > hardLifetime.bytes() || softLifetime.packets() > hardLifetime.packets()) {
            throw new IllegalArgumentException("soft lifetime " + softLifetime + " exceeds hard " + hardLifetime);
        }
        keys.requireFits(transform);
    }

    /** No ESN, default window, no byte or packet lifetime. */
    public static SaParameters of(int spi, SaDirection direction, EspTransform transform, EspKeys keys) {
        return new SaParameters(spi, direction, transform, keys, false, DEFAULT_REPLAY_WINDOW,
                SaLifetime.UNLIMITED, SaLifetime.UNLIMITED);
    }

    public SaParameters withEsn(boolean on) {
        return new SaParameters(spi, direction, transform, keys, on, replayWindow, softLifetime, hardLifetime);
    }

    public SaParameters withReplayWindow(int packets) {
        return new SaParameters(spi, direction, transform, keys, esn, packets, softLifetime, hardLifetime);
    }

    public SaParameters withLifetimes(SaLifetime soft, SaLifetime hard) {
        return new SaParameters(spi, direction, transform, keys, esn, replayWindow, soft, hard);
    }

    @Override
    public String toString() {
        return "SaParameters[spi=" + String.format("%08x", spi) + ", " + direction + ", " + transform
                + (esn ? ", esn" : "") + ", window=" + replayWindow + "]";
    }
}
