package io.ipsecd.testbed;

import io.ipsecd.testbed.TunnelConfig.Certificates;
import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Psk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Renders the ipsecd YAML config; PSKs go to 0600 files next to it, never into the YAML. */
final class IpsecdYaml {
    private IpsecdYaml() {}

    static String render(List<TunnelConfig> tunnels, Path dir) {
        return render(tunnels, dir, "");
    }

    /** @param ikeOptions more {@code ike:} settings for every connection, e.g. {@code fragment_size: 1000}; "" for none */
    static String render(List<TunnelConfig> tunnels, Path dir, String ikeOptions) {
        return render(tunnels, dir, ikeOptions, "");
    }

    /** @param connectionOptions more keys of every connection, one per line, e.g. {@code ppk: { id: q1, file: F }}; "" for none */
    static String render(List<TunnelConfig> tunnels, Path dir, String ikeOptions, String connectionOptions) {
        StringBuilder sb = new StringBuilder("connections:\n");
        for (TunnelConfig t : tunnels) {
            String localAuth = switch (t.auth()) {
                case Psk p -> "psk";
                case Certificates c -> "pubkey, cert: " + q(c.certificate().toString()) + ", key: " + q(c.privateKey().toString())
                        + (c.intermediates().isEmpty() ? "" : ", intermediates: " + paths(c.intermediates()));
            };
            String remoteAuth = switch (t.auth()) {
                case Psk p -> "psk";
                case Certificates c -> "pubkey, cacerts: " + paths(c.caCertificates())
                        + (c.crls().isEmpty() ? "" : ", crls: " + paths(c.crls()));
            };
            sb.append("  ").append(t.name()).append(":\n");
            sb.append("    local:  { address: ").append(q(t.local().address())).append(", id: ").append(q(t.local().id()))
                    .append(", auth: ").append(localAuth).append(" }\n");
            sb.append("    remote: { address: ").append(q(t.remote().address() == null ? "%any" : t.remote().address()))
                    .append(", id: ").append(q(t.remote().id())).append(", auth: ").append(remoteAuth).append(" }\n");
            if (t.auth() instanceof Psk(String secret)) {
                try {
                    Path psk = Ipsecd.writePsk(dir, t.name(), secret);
                    sb.append("    psk:    { file: ").append(q(psk.toString())).append(" }\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            connectionOptions.lines().forEach(l -> sb.append("    ").append(l).append('\n'));
            sb.append("    ike:    { proposals: ").append(list(t.proposals())).append(t.encap() ? ", encap: true" : "")
                    .append(t.ikeLifetime() == null ? "" : ", lifetime: " + t.ikeLifetime().toSeconds() + "s")
                    .append(t.dpd() == null ? "" : ", dpd: { delay: " + t.dpd().delay().toSeconds() + "s, timeout: "
                            + t.dpd().timeout().toSeconds() + "s, action: " + t.dpd().action() + " }")
                    .append(ikeOptions.isEmpty() ? "" : ", " + ikeOptions)
                    .append(" }\n");
            if (!t.routes().isEmpty()) {
                sb.append("    interface: { routes: ").append(list(t.routes())).append(" }\n");
            }
            sb.append("    children:\n");
            for (Child c : t.children()) {
                sb.append("      ").append(c.name()).append(": { local_ts: ").append(list(c.localTs()))
                        .append(", remote_ts: ").append(list(c.remoteTs()))
                        .append(", esp_proposals: ").append(list(c.espProposals()))
                        .append(", start: ").append(c.start().keyword())
                        .append(c.mssClamp() > 0 ? ", mss_clamp: " + c.mssClamp() : "")
                        .append(c.lifetime() == null ? "" : ", lifetime: " + c.lifetime().toSeconds() + "s")
                        .append(" }\n");
            }
        }
        return sb.toString();
    }

    private static String paths(List<Path> files) {
        return list(files.stream().map(Path::toString).toList());
    }

    private static String list(List<String> values) {
        return values.stream().map(IpsecdYaml::q).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Double-quoted so IPv6 colons and '%' need no thought. */
    private static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
