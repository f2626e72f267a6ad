package io.ipsecd.esp;

/** A byte and packet budget for an SA; time limits are IKE's timers, not the data path's. */
public record SaLifetime(long bytes, long packets) {
    public static final SaLifetime UNLIMITED = new SaLifetime(Long.MAX_VALUE, Long.MAX_VALUE);

    public SaLifetime {
        if (bytes <= 0 || packets <= 0) {
            throw new IllegalArgumentException("lifetime limits must be positive: " + bytes + " bytes, " + packets + " packets");
        }
    }

    /** True once either budget is used up. */
    public boolean reachedBy(long usedBytes, long usedPackets) {
        return usedBytes >= bytes || usedPackets >= packets;
    }
}
