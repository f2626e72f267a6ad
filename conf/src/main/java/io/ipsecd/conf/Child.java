package io.ipsecd.conf;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A child SA (ESP tunnel) of a connection.
 *
 * @param lifetime when the Child SA is rekeyed and when it expires, by time, bytes and packets
 * @param mssClamp the largest TCP MSS that SYNs through this child may announce (both directions); absent: off
 */
public record Child(String name, List<TrafficSelectorSpec> localTs, List<TrafficSelectorSpec> remoteTs,
                    List<Proposal> espProposals, StartAction start, Lifetime lifetime, OptionalInt mssClamp) {
    /** Azure rekeys Child SAs after 27,000 s, AWS after 3,600 s: an hour suits both. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    public static final List<String> DEFAULT_ESP_PROPOSALS = List.of("aes256gcm16", "aes128gcm16");
    /** The smallest MSS every IPv4 host must accept (RFC 9293); a clamp below it would break peers. */
    public static final int MIN_MSS = 536;
    public static final int MAX_MSS = 65535;

    public Child {
        Objects.requireNonNull(name, "name");
        localTs = List.copyOf(localTs);
        remoteTs = List.copyOf(remoteTs);
        espProposals = List.copyOf(espProposals);
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(mssClamp, "mssClamp");
    }

    /** A child without MSS clamping, with a time lifetime only (default margin and jitter). */
    public Child(String name, List<TrafficSelectorSpec> localTs, List<TrafficSelectorSpec> remoteTs,
                 List<Proposal> espProposals, StartAction start, Duration lifetime) {
        this(name, localTs, remoteTs, espProposals, start, Lifetime.of(lifetime), OptionalInt.empty());
    }

    /** A child without MSS clamping. */
    public Child(String name, List<TrafficSelectorSpec> localTs, List<TrafficSelectorSpec> remoteTs,
                 List<Proposal> espProposals, StartAction start, Lifetime lifetime) {
        this(name, localTs, remoteTs, espProposals, start, lifetime, OptionalInt.empty());
    }

    /**
     * Route-based: every selector on both sides is a whole address family ({@code 0.0.0.0/0},
     * {@code ::/0}) with any protocol and port, as Azure's route-based gateways propose. Such a
     * child's traffic is chosen by the routes of its connection's {@link RouteInterface}.
     */
    public boolean routeBased() {
        return localTs.stream().allMatch(Child::anything) && remoteTs.stream().allMatch(Child::anything);
    }

    private static boolean anything(TrafficSelectorSpec ts) {
        return ts.prefixLength() == 0 && ts.protocol() == 0 && ts.anyPort();
    }

    /** Whether the child carries IPv6 (it has an IPv6 selector). */
    public boolean carriesV6() {
        return localTs.stream().anyMatch(TrafficSelectorSpec::isV6);
    }

    /** Whether the child carries IPv4. */
    public boolean carriesV4() {
        return localTs.stream().anyMatch(ts -> !ts.isV6());
    }
}
