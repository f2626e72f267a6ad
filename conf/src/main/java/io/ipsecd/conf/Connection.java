package io.ipsecd.conf;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One IKE connection to a peer gateway, with its child SAs (possibly none: IKE only).
 *
 * @param routeInterface present when a child is route-based: the connection's own interface and its routes
 * @param ppk            the post-quantum preshared key (RFC 8784), when configured
 */
public record Connection(String name, Endpoint local, Endpoint remote, Optional<Secret> psk,
                         IkeSettings ike, Map<String, Child> children, Optional<RouteInterface> routeInterface,
                         Optional<PpkSettings> ppk) {
    public Connection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(psk, "psk");
        Objects.requireNonNull(ike, "ike");
        children = Immutables.map(children);
        Objects.requireNonNull(routeInterface, "routeInterface");
        Objects.requireNonNull(ppk, "ppk");
    }

    /** A connection without a PPK. */
    public Connection(String name, Endpoint local, Endpoint remote, Optional<Secret> psk, IkeSettings ike,
                      Map<String, Child> children, Optional<RouteInterface> routeInterface) {
        this(name, local, remote, psk, ike, children, routeInterface, Optional.empty());
    }

    /** The same connection with other children (what a reload of only some children compares). */
    public Connection withChildren(Map<String, Child> otherChildren) {
        return new Connection(name, local, remote, psk, ike, otherChildren, routeInterface, ppk);
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
