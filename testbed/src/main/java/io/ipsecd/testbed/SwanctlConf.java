package io.ipsecd.testbed;

import io.ipsecd.testbed.TunnelConfig.Certificates;
import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Psk;
import java.util.List;

/**
 * Renders strongswan.conf and swanctl.conf. Values in both files run to the end of the line, so
 * every setting gets a line of its own.
 */
final class SwanctlConf {
    /**
     * Plugins are listed explicitly: the packaged defaults would load kernel-netlink's ESP support,
     * which fails on a kernel without ESP. {@code kdf} is needed by 5.9.8 for key derivation;
     * {@code openssl} brings ML-KEM on 6.1.0.
     */
    static final String PLUGINS = "random nonce aes aesni sha1 sha2 hmac kdf gcm chapoly curve25519 gmp openssl "
            + "x509 pubkey pem pkcs1 pkcs8 kernel-libipsec kernel-netlink socket-default vici updown";

    private SwanctlConf() {}

    /** @param confDir the directory as the daemon sees it (inside the container for 6.x) */
    static String strongswanConf(StrongSwanVersion v, String confDir) {
        return strongswanConf(v, confDir, java.util.Map.of());
    }

    /**
     * The same with extra daemon settings, one {@code key = value} line each in the daemon's section
     * (e.g. {@code fragment_size = 700}).
     */
    static String strongswanConf(StrongSwanVersion v, String confDir, java.util.Map<String, String> daemonSettings) {
        StringBuilder extra = new StringBuilder();
        new java.util.TreeMap<>(daemonSettings).forEach((k, val) -> extra.append("  ").append(k).append(" = ")
                .append(val).append('\n'));
        return """
                %s {
                %s  load = %s
                  install_virtual_ip = no
                  plugins {
                    vici {
                      socket = unix://%s/vici
                    }
                  }
                  filelog {
                    main {
                      path = %s/charon.log
                      time_format = %%H:%%M:%%S
                      default = 1
                      ike = 2
                      cfg = 2
                      flush_line = yes
                    }
                  }
                }
                """.formatted(v.daemonSection(), extra, PLUGINS, confDir, confDir);
    }

    static String swanctlConf(List<TunnelConfig> tunnels) {
        StringBuilder sb = new StringBuilder("connections {\n");
        for (TunnelConfig t : tunnels) {
            sb.append("  ").append(t.name()).append(" {\n");
            line(sb, 4, "version = 2");
            line(sb, 4, "local_addrs = " + t.local().address());
            line(sb, 4, "remote_addrs = " + (t.remote().address() == null ? "%any" : t.remote().address()));
            line(sb, 4, "proposals = " + String.join(",", t.proposals()));
            if (t.encap()) line(sb, 4, "encap = yes");
            if (t.dpd() != null) line(sb, 4, "dpd_delay = " + t.dpd().delay().toSeconds() + "s");
            // ML-KEM key shares do not fit in one UDP datagram on a 1500-byte path.
            line(sb, 4, "fragmentation = yes");
            // Gateways do not roam; MOBIKE would only advertise LAN addresses to the peer.
            line(sb, 4, "mobike = no");
            if (t.ikeLifetime() != null) {
                // ipsecd's schedule: rekey at 85-90% of the lifetime.
                long l = t.ikeLifetime().toSeconds();
                line(sb, 4, "rekey_time = " + (l * 9 / 10) + "s");
                line(sb, 4, "rand_time = " + Math.max(1, l / 20) + "s");
                line(sb, 4, "over_time = " + Math.max(1, l / 10) + "s");
            }
            String auth = switch (t.auth()) {
                case Psk p -> "psk";
                case Certificates c -> "pubkey";
            };
            sb.append("    local {\n");
            line(sb, 6, "auth = " + auth);
            line(sb, 6, "id = " + t.local().id());
            if (t.auth() instanceof Certificates c) {
                // file names in the swanctl directories StrongSwan.load copies them to
                line(sb, 6, "certs = " + c.certificate().getFileName());
            }
            sb.append("    }\n    remote {\n");
            line(sb, 6, "auth = " + auth);
            line(sb, 6, "id = " + t.remote().id());
            if (t.auth() instanceof Certificates c) {
                line(sb, 6, "cacerts = " + String.join(",", c.caCertificates().stream().map(f -> f.getFileName().toString())
                        .toList()));
            }
            sb.append("    }\n    children {\n");
            for (Child c : t.children()) {
                sb.append("      ").append(c.name()).append(" {\n");
                line(sb, 8, "local_ts = " + String.join(",", c.localTs()));
                line(sb, 8, "remote_ts = " + String.join(",", c.remoteTs()));
                line(sb, 8, "esp_proposals = " + String.join(",", c.espProposals()));
                // Rendered as asked, but trap is no option with libipsec: it never triggers negotiation.
                line(sb, 8, "start_action = " + c.start().keyword());
                if (c.lifetime() != null) {
                    // As ipsecd: rekeyed at 85-90% of the lifetime, expired at its end.
                    long l = c.lifetime().toSeconds();
                    line(sb, 8, "rekey_time = " + (l * 9 / 10) + "s");
                    line(sb, 8, "rand_time = " + Math.max(1, l / 20) + "s");
                    line(sb, 8, "life_time = " + l + "s");
                }
                if (t.dpd() != null) line(sb, 8, "dpd_action = " + t.dpd().action());
                sb.append("      }\n");
            }
            sb.append("    }\n  }\n");
        }
        sb.append("}\nsecrets {\n");
        for (TunnelConfig t : tunnels) {
            if (t.auth() instanceof Psk(String secret)) {
                sb.append("  ike-").append(t.name()).append(" {\n");
                line(sb, 4, "id-local = " + t.local().id());
                line(sb, 4, "id-remote = " + t.remote().id());
                line(sb, 4, "secret = \"" + secret + "\"");
                sb.append("  }\n");
            }
        }
        return sb.append("}\n").toString();
    }

    private static void line(StringBuilder sb, int indent, String text) {
        sb.append(" ".repeat(indent)).append(text).append('\n');
    }
}
