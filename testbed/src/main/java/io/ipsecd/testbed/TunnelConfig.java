package io.ipsecd.testbed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a gateway is told to do, independent of which daemon does it. Each driver renders it into
 * its own files (swanctl.conf, ipsecd YAML).
 *
 * @param name      connection name, also used for swanctl/ipsecctl commands
 * @param local     our outer address and identity
 * @param remote    the peer's outer address ({@code null} for "any") and identity
 * @param proposals IKE proposals in strongSwan syntax, e.g. {@code aes256gcm16-prfsha384-x25519}
 * @param auth      how both sides authenticate
 * @param children  the child SAs (traffic selectors and ESP proposals)
 * @param encap     force ESP-in-UDP (port 4500) even without a NAT, as strongSwan's {@code encap = yes}
 * @param routes    networks routed into the connection's own interface, for a route-based child
 *                  (any-to-any selectors); ipsecd renders them, strongSwan has no such setting
 * @param ikeLifetime the IKE SA lifetime, rekeyed before it ends; {@code null} for the daemon's default
 * @param dpd       dead peer detection, or {@code null} for each daemon's default
 */
public record TunnelConfig(String name, Endpoint local, Endpoint remote, List<String> proposals, Auth auth,
                           List<Child> children, boolean encap, List<String> routes, Duration ikeLifetime, Dpd dpd) {

    public TunnelConfig {
        proposals = List.copyOf(proposals);
        children = List.copyOf(children);
        routes = List.copyOf(routes);
    }

    public TunnelConfig(String name, Endpoint local, Endpoint remote, List<String> proposals, Auth auth,
                        List<Child> children, boolean encap, List<String> routes, Duration ikeLifetime) {
        this(name, local, remote, proposals, auth, children, encap, routes, ikeLifetime, null);
    }

    public TunnelConfig(String name, Endpoint local, Endpoint remote, List<String> proposals, Auth auth,
                        List<Child> children, boolean encap, List<String> routes) {
        this(name, local, remote, proposals, auth, children, encap, routes, null);
    }

    public TunnelConfig(String name, Endpoint local, Endpoint remote, List<String> proposals, Auth auth,
                        List<Child> children, boolean encap) {
        this(name, local, remote, proposals, auth, children, encap, List.of());
    }

    /** ESP-in-UDP only where NAT detection asks for it. */
    public TunnelConfig(String name, Endpoint local, Endpoint remote, List<String> proposals, Auth auth,
                        List<Child> children) {
        this(name, local, remote, proposals, auth, children, false);
    }

    public TunnelConfig withRoutes(List<String> routes) {
        return new TunnelConfig(name, local, remote, proposals, auth, children, encap, routes, ikeLifetime, dpd);
    }

    /** The same tunnel with this IKE SA lifetime (rekeyed before it ends). */
    public TunnelConfig withIkeLifetime(Duration lifetime) {
        return new TunnelConfig(name, local, remote, proposals, auth, children, encap, routes, lifetime, dpd);
    }

    /** The same tunnel with other children (e.g. changed selectors for a reload). */
    public TunnelConfig withChildren(List<Child> children) {
        return new TunnelConfig(name, local, remote, proposals, auth, children, encap, routes, ikeLifetime, dpd);
    }

    /** The same tunnel with this dead peer detection. */
    public TunnelConfig withDpd(Dpd dpd) {
        return new TunnelConfig(name, local, remote, proposals, auth, children, encap, routes, ikeLifetime, dpd);
    }

    /**
     * Dead peer detection: a check after {@code delay} without traffic from the peer, the peer dead
     * after {@code timeout} without an answer (ipsecd only: strongSwan's IKEv2 gives up on its
     * retransmission settings), then {@code action} (restart, trap or clear) for its children.
     */
    public record Dpd(Duration delay, Duration timeout, String action) {}

    public record Endpoint(String address, String id) {}

    /**
     * How a child SA starts: {@code NONE} waits for an explicit initiate, {@code START} comes up at
     * once, {@code TRAP} on the first matching packet (ipsecd only: strongSwan's libipsec never
     * triggers negotiation from a trap policy).
     */
    public enum StartAction {
        NONE, START, TRAP;

        /** The keyword both swanctl.conf ({@code start_action}) and ipsecd's YAML ({@code start}) use. */
        public String keyword() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /**
     * {@code mssClamp}: the TCP MSS the child clamps SYNs to, 0 for none (ipsecd only). {@code lifetime}:
     * the Child SA lifetime, rekeyed before it ends; {@code null} for the daemon's default.
     */
    public record Child(String name, List<String> localTs, List<String> remoteTs, List<String> espProposals,
                        StartAction start, int mssClamp, Duration lifetime) {
        public Child {
            localTs = List.copyOf(localTs);
            remoteTs = List.copyOf(remoteTs);
            espProposals = List.copyOf(espProposals);
        }

        public Child(String name, List<String> localTs, List<String> remoteTs, List<String> espProposals,
                     StartAction start, int mssClamp) {
            this(name, localTs, remoteTs, espProposals, start, mssClamp, null);
        }

        public Child(String name, List<String> localTs, List<String> remoteTs, List<String> espProposals,
                     StartAction start) {
            this(name, localTs, remoteTs, espProposals, start, 0);
        }

        /** The same child with this lifetime. */
        public Child withLifetime(Duration lifetime) {
            return new Child(name, localTs, remoteTs, espProposals, start, mssClamp, lifetime);
        }
    }

    /** Authentication: a PSK or certificates. */
    public sealed interface Auth permits Psk, Certificates {}

    /** A pre-shared key; both sides get the same secret. */
    public record Psk(String secret) implements Auth {
        @Override
        public String toString() { return "Psk[***]"; }
    }

    /**
     * Certificates on both sides ({@code auth: pubkey}): this gateway's certificate and PKCS#8 key,
     * the intermediate CA certificates it sends along, the CAs the peer's certificate must chain to,
     * and CRLs to check the peer against. ipsecd signs RSA with PSS by default; strongSwan does with
     * its daemon setting {@code rsa_pss = yes} ({@link StrongSwan#start(Lab, Site, StrongSwanVersion, java.util.Map)}).
     */
    public record Certificates(Path certificate, Path privateKey, List<Path> intermediates, List<Path> caCertificates,
                               List<Path> crls) implements Auth {
        public Certificates {
            intermediates = List.copyOf(intermediates);
            caCertificates = List.copyOf(caCertificates);
            crls = List.copyOf(crls);
        }
    }
}
