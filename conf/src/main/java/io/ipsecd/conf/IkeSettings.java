package io.ipsecd.conf;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** IKE SA settings of a connection. */
public record IkeSettings(List<Proposal> proposals, Duration lifetime, Dpd dpd, boolean encap,
                          boolean allowWeakGroups) {
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(8);
    public static final List<String> DEFAULT_PROPOSALS =
            List.of("aes256gcm16-prfsha384-ecp384", "aes128gcm16-prfsha256-ecp256", "aes256-sha256-modp2048");

    public IkeSettings {
        proposals = List.copyOf(proposals);
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(dpd, "dpd");
    }
}
