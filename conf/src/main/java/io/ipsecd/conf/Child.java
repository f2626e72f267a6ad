package io.ipsecd.conf;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** A child SA (ESP tunnel) of a connection. */
public record Child(String name, List<TrafficSelectorSpec> localTs, List<TrafficSelectorSpec> remoteTs,
                    List<Proposal> espProposals, StartAction start, Duration lifetime) {
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    public static final List<String> DEFAULT_ESP_PROPOSALS = List.of("aes256gcm16", "aes128gcm16");

    public Child {
        Objects.requireNonNull(name, "name");
        localTs = List.copyOf(localTs);
        remoteTs = List.copyOf(remoteTs);
        espProposals = List.copyOf(espProposals);
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(lifetime, "lifetime");
    }
}
