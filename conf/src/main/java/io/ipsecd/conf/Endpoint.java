package io.ipsecd.conf;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One side of a connection. {@code address} is the literal as written (or {@value #ANY});
 * {@code ip} is empty exactly when the address is {@value #ANY}.
 *
 * @param certificate present exactly on a local side with {@code auth: pubkey}
 * @param trustStore  present exactly on a remote side with {@code auth: pubkey}
 */
public record Endpoint(String address, Optional<InetAddress> ip, int port, Identity id, AuthMethod auth,
                       Optional<LocalCertificate> certificate, Optional<TrustStore> trustStore) {
    public static final String ANY = "%any";
    public static final int DEFAULT_PORT = 500;

    public Endpoint {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(trustStore, "trustStore");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /** An endpoint without certificate files (a PSK side). */
    public Endpoint(String address, Optional<InetAddress> ip, int port, Identity id, AuthMethod auth) {
        this(address, ip, port, id, auth, Optional.empty(), Optional.empty());
    }

    public boolean isAny() {
        return ip.isEmpty();
    }
}
