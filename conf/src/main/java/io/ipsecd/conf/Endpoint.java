package io.ipsecd.conf;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One side of a connection. {@code address} is the literal as written (or {@value #ANY});
 * {@code ip} is empty exactly when the address is {@value #ANY}.
 */
public record Endpoint(String address, Optional<InetAddress> ip, int port, Identity id, AuthMethod auth) {
    public static final String ANY = "%any";
    public static final int DEFAULT_PORT = 500;

    public Endpoint {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(auth, "auth");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    public boolean isAny() {
        return ip.isEmpty();
    }
}
