package io.ipsecd.ike.port;

import io.ipsecd.esp.TrafficSelector;
import java.util.List;
import java.util.OptionalInt;

/**
 * A security policy: traffic between {@code local} and {@code remote} selectors is protected by
 * the Child SA with {@code reqid}. With {@link Action#TRAP} and no outbound SA yet, the first
 * matching packet raises an acquire and waits in a small queue; with {@link Action#PROTECT} and no
 * usable SA, packets are dropped and counted — never sent in clear.
 *
 * <p>{@code name} is {@code connection/child} as configured. IKE knows nothing about interfaces: a
 * port that needs more than the selectors (which interface a route-based child's policy belongs
 * to, its MSS clamp) looks the child up in the configuration by this name.
 */
public record IpsecPolicy(int reqid, String name, List<TrafficSelector> local, List<TrafficSelector> remote,
                          Action action, OptionalInt outboundSpi) {
    public enum Action { PROTECT, TRAP }

    public IpsecPolicy {
        local = List.copyOf(local);
        remote = List.copyOf(remote);
        if (local.isEmpty() || remote.isEmpty()) {
            throw new IllegalArgumentException("policy " + name + " needs local and remote selectors");
        }
    }
}
