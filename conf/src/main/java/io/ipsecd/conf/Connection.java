package io.ipsecd.conf;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One IKE connection to a peer gateway, with its child SAs (possibly none: IKE only). */
public record Connection(String name, Endpoint local, Endpoint remote, Optional<Secret> psk,
                         IkeSettings ike, Map<String, Child> children) {
    public Connection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(psk, "psk");
        Objects.requireNonNull(ike, "ike");
        children = Immutables.map(children);
    }
}
