package io.ipsecd.conf;

import java.util.Map;
import java.util.Objects;

/** A whole, validated configuration file. Connections keep the order of the file. */
public record Config(Global global, Map<String, Connection> connections) {
    public Config {
        Objects.requireNonNull(global, "global");
        connections = Immutables.map(connections);
    }
}
