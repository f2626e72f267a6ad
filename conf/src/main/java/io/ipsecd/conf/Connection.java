package io.ipsecd.conf;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One IKE connection to a peer gateway, with its child SAs (possibly none: IKE only).
 *
 * @param routeInterface present when a child is route-based: the connection's own interface and its routes
 */
public record Connection(String name, Endpoint local, Endpoint remote, Optional<Secret> psk,
                         IkeSettings ike, Map<String, Child> children, Optional<RouteInterface> routeInterface) {
    public Connection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(psk, "psk");
        Objects.requireNonNull(ike, "ike");
        children = Immutables.map(children);
        Objects.requireNonNull(routeInterface, "routeInterface");
    }

    /** A connection whose interface, if it needs one, has the default name and no routes. */
    public Connection(String name, Endpoint local, Endpoint remote, Optional<Secret> psk, IkeSettings ike,
                      Map<String, Child> children) {
        this(name, local, remote, psk, ike, children, children.values().stream().anyMatch(Child::routeBased)
                ? Optional.of(new RouteInterface(RouteInterface.defaultName(name), java.util.List.of(),
                        java.util.OptionalInt.empty()))
                : Optional.empty());
    }
}
