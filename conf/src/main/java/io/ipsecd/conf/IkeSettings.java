package io.ipsecd.conf;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * IKE SA settings of a connection.
 *
 * @param lifetime when the IKE SA is rekeyed and when it expires (by time only)
 * @param fragmentation RFC 7383 IKE fragmentation: offered or not, and the fragment size
 */
public record IkeSettings(List<Proposal> proposals, Lifetime lifetime, Dpd dpd, boolean encap,
                          boolean allowWeakGroups, Fragmentation fragmentation) {
    /** AWS and Azure both keep IKE SAs for 8 hours (28,800 s). */
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(8);
    public static final List<String> DEFAULT_PROPOSALS =
            List.of("aes256gcm16-prfsha384-ecp384", "aes128gcm16-prfsha256-ecp256", "aes256-sha256-modp2048");

    public IkeSettings {
        proposals = List.copyOf(proposals);
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(dpd, "dpd");
        Objects.requireNonNull(fragmentation, "fragmentation");
        if (lifetime.bytes().isPresent() || lifetime.packets().isPresent()) {
            throw new IllegalArgumentException("an IKE SA's lifetime is by time only");
        }
    }

    /** With the default fragmentation (offered, {@value Fragmentation#DEFAULT_SIZE}-byte fragments). */
    public IkeSettings(List<Proposal> proposals, Lifetime lifetime, Dpd dpd, boolean encap, boolean allowWeakGroups) {
        this(proposals, lifetime, dpd, encap, allowWeakGroups, Fragmentation.DEFAULT);
    }

    /** With a time lifetime (default margin and jitter) and the default fragmentation. */
    public IkeSettings(List<Proposal> proposals, Duration lifetime, Dpd dpd, boolean encap, boolean allowWeakGroups) {
        this(proposals, Lifetime.of(lifetime), dpd, encap, allowWeakGroups, Fragmentation.DEFAULT);
    }
}
