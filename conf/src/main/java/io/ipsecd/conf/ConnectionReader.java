package io.ipsecd.conf;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/** Reads one entry of {@code connections:}: endpoints, PSK, PPK, IKE settings, children. */
final class ConnectionReader {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");
    /** A PPK_ID: printable ASCII without spaces, so both sides (and strongSwan's ppk_id) spell it alike. */
    private static final Pattern PPK_ID = Pattern.compile("[\\x21-\\x7e]{1," + PpkSettings.MAX_ID_LENGTH + "}");

    private final Problems problems;
    private final Path baseDir;
    private final Function<String, String> environment;
    private final ValueReader values;
    private final InterfaceReader interfaces;
    private final PubkeyReader pubkey;
    private Node remoteAddressNode;
    /** Whether the side just read declared auth: psk (or no auth), even when something else in it was wrong. */
    private boolean sideUsesPsk;

    ConnectionReader(Problems problems, Path baseDir, Function<String, String> environment) {
        this.problems = problems;
        this.baseDir = baseDir;
        this.environment = environment;
        this.values = new ValueReader(problems);
        this.interfaces = new InterfaceReader(problems, values);
        this.pubkey = new PubkeyReader(problems, baseDir, environment, values);
    }

    /** The connection, or empty when anything in it was wrong (then it has been reported). */
    Optional<Connection> read(String name, NodeTuple entry, String path) {
        int before = problems.count();
        MapView c = new MapView(entry.getValueNode(), entry.getKeyNode(), path, problems,
                List.of("local", "remote", "psk", "ike", "children", "interface", "ppk"));
        if (c.broken()) return Optional.empty();
        Optional<Endpoint> local = endpoint(c, "local");
        boolean needsPsk = sideUsesPsk;
        Optional<Endpoint> remote = endpoint(c, "remote");
        needsPsk |= sideUsesPsk;
        if (local.isPresent() && remote.isPresent()) sameFamily(c, local.get(), remote.get());
        boolean remoteAny = remote.map(Endpoint::isAny).orElse(false);
        IkeSettings ike = ike(c.map("ike", List.of("proposals", "lifetime", "dpd", "encap", "allow_weak_groups",
                "fragmentation", "fragment_size")), remoteAny);
        if (!needsPsk && c.has("psk")) {
            problems.at(c.keyNode("psk"), c.child("psk"), "'psk' is not used: local and remote both authenticate with auth: pubkey; remove it");
        }
        Optional<Secret> psk = needsPsk ? psk(c) : Optional.empty();
        Optional<PpkSettings> ppk = ppk(c);
        Map<String, Child> children = new LinkedHashMap<>();
        MapView ch = c.map("children", null);
        ChildReader childReader = new ChildReader(problems, values, ike.allowWeakGroups(), remoteAny);
        for (var e : ch.entries().entrySet()) {
            String childPath = ch.child(e.getKey());
            if (!ConfigReader.NAME.matcher(e.getKey()).matches()) {
                problems.at(e.getValue().getKeyNode(), childPath, "invalid child name '" + e.getKey()
                        + "': expected letters, digits, '-' and '_' (starting with a letter or digit, at most 64)");
                continue;
            }
            childReader.read(e.getKey(), e.getValue(), childPath).ifPresent(x -> children.put(x.name(), x));
        }
        Optional<RouteInterface> routeInterface = interfaces.read(c, name, children, ch,
                remote.flatMap(Endpoint::ip));
        if (problems.count() != before || local.isEmpty() || remote.isEmpty()) return Optional.empty();
        return Optional.of(new Connection(name, local.get(), remote.get(), psk, ike, children, routeInterface, ppk));
    }

    private Optional<Endpoint> endpoint(MapView c, String side) {
        sideUsesPsk = true;
        if (!c.has(side)) {
            c.missing(side, "");
            return Optional.empty();
        }
        int before = problems.count();
        boolean isLocal = side.equals("local");
        List<String> keys = new java.util.ArrayList<>(List.of("address", "id", "auth", "port"));
        keys.addAll(isLocal ? PubkeyReader.LOCAL_KEYS : PubkeyReader.REMOTE_KEYS);
        MapView e = c.map(side, keys);
        if (e.broken()) return Optional.empty();
        Optional<String> address = e.requiredScalar("address", "");
        Optional<InetAddress> ip = Optional.empty();
        if (address.isPresent()) {
            Node at = e.value("address").get();
            if (!isLocal) remoteAddressNode = at;
            if (address.get().equals(Endpoint.ANY)) {
                if (isLocal) problems.at(at, e.child("address"), "expected an IP address of this gateway, found '%any' (only remote.address may be \"%any\")");
            } else {
                ip = Addresses.parse(address.get());
                if (ip.isEmpty()) {
                    problems.at(at, e.child("address"), "expected an IPv4 or IPv6 address" + (isLocal ? "" : " or \"%any\"")
                            + ", found '" + address.get() + "'");
                }
            }
        }
        int port = port(e);
        Identity id = null;
        if (e.has("id")) {
            Optional<String> text = e.scalar("id");
            if (text.isPresent()) id = values.report(IdentityParser.parse(text.get()), e.value("id").get(), e.child("id")).orElse(null);
        } else if (ip.isPresent()) {
            id = new Identity(Addresses.isV6(ip.get()) ? IdKind.IPV6_ADDR : IdKind.IPV4_ADDR, address.get());
        } else if (address.isPresent() && address.get().equals(Endpoint.ANY) && !isLocal) {
            e.missing("id", " (required when the address is \"%any\")");
        }
        AuthMethod auth = e.choice("auth", List.of("psk", "pubkey")).map(a -> a.equals("pubkey") ? AuthMethod.PUBKEY : AuthMethod.PSK)
                .orElse(AuthMethod.PSK);
        boolean isPubkey = auth == AuthMethod.PUBKEY;
        sideUsesPsk = !isPubkey;
        Optional<LocalCertificate> certificate = isLocal ? pubkey.local(e, isPubkey) : Optional.empty();
        Optional<TrustStore> trustStore = isLocal ? Optional.empty() : pubkey.remote(e, isPubkey);
        if (problems.count() != before || address.isEmpty() || id == null) return Optional.empty();
        return Optional.of(new Endpoint(address.get(), ip, port, id, auth, certificate, trustStore));
    }

    private int port(MapView e) {
        Optional<String> text = e.scalar("port");
        if (text.isEmpty()) return Endpoint.DEFAULT_PORT;
        if (PORT.matcher(text.get()).matches()) {
            int p = Integer.parseInt(text.get());
            if (p >= 1 && p <= 65535) return p;
        }
        problems.at(e.value("port").get(), e.child("port"), "expected a port number 1..65535, found '" + text.get() + "'");
        return Endpoint.DEFAULT_PORT;
    }

    private void sameFamily(MapView c, Endpoint local, Endpoint remote) {
        if (local.ip().isEmpty() || remote.ip().isEmpty()) return;
        InetAddress l = local.ip().get(), r = remote.ip().get();
        if (Addresses.isV6(l) == Addresses.isV6(r)) return;
        problems.at(remoteAddressNode, c.child("remote.address"), "remote address " + remote.address() + " is " + Addresses.family(r)
                + " but local address " + local.address() + " is " + Addresses.family(l) + ": expected the same address family on both ends");
    }

    private Optional<Secret> psk(MapView c) {
        if (!c.has("psk")) {
            c.missing("psk", " (auth is psk)");
            return Optional.empty();
        }
        MapView p = c.map("psk", List.of("file", "env"));
        if (p.broken()) return Optional.empty();
        return secret(p, "PSK");
    }

    /** {@code file} or {@code env} of a secret block ({@code kind} "PSK" or "PPK" in messages). */
    private Optional<Secret> secret(MapView p, String kind) {
        if (p.has("file") && p.has("env")) {
            Node file = p.keyNode("file"), env = p.keyNode("env");
            Node second = file.getStartMark().getIndex() > env.getStartMark().getIndex() ? file : env;
            problems.at(second, p.path(), "expected either 'file' or 'env', found both");
            return Optional.empty();
        }
        if (p.has("file")) {
            Optional<String> file = p.scalar("file");
            if (file.isEmpty()) return Optional.empty();
            Path resolved = baseDir.resolve(file.get());
            return values.report(SecretReader.fromFile(resolved, kind), p.value("file").get(), p.child("file"));
        }
        if (p.has("env")) {
            Optional<String> name = p.scalar("env");
            if (name.isEmpty()) return Optional.empty();
            Node at = p.value("env").get();
            if (!ENV_NAME.matcher(name.get()).matches()) {
                problems.at(at, p.child("env"), "expected an environment variable name like AZURE_" + kind + ", found '" + name.get() + "'");
                return Optional.empty();
            }
            return values.report(SecretReader.fromEnv(name.get(), environment, kind), at, p.child("env"));
        }
        problems.at(p.anchor(), p.path(), "missing required key: expected 'file' or 'env'");
        return Optional.empty();
    }

    /** The optional post-quantum preshared key (RFC 8784): {@code id}, {@code file}/{@code env}, {@code required}. */
    private Optional<PpkSettings> ppk(MapView c) {
        if (!c.has("ppk")) return Optional.empty();
        MapView p = c.map("ppk", List.of("id", "file", "env", "required"));
        if (p.broken()) return Optional.empty();
        int before = problems.count();
        Optional<String> id = p.requiredScalar("id", " (the PPK_ID both gateways know this PPK by)");
        if (id.isPresent() && !PPK_ID.matcher(id.get()).matches()) {
            problems.at(p.value("id").get(), p.child("id"), "expected a PPK id of 1 to " + PpkSettings.MAX_ID_LENGTH
                    + " printable ASCII characters without spaces, found '" + id.get().replaceAll("[^\\x20-\\x7e]", "?") + "'");
        }
        boolean required = p.bool("required").orElse(false);
        Optional<Secret> secret = secret(p, "PPK");
        if (problems.count() != before || id.isEmpty() || secret.isEmpty()) return Optional.empty();
        return Optional.of(new PpkSettings(id.get(), secret.get(), required));
    }

    private IkeSettings ike(MapView i, boolean remoteAny) {
        boolean allowWeak = i.bool("allow_weak_groups").orElse(false);
        List<Proposal> proposals = values.proposals(i, "proposals", ProposalParser.Kind.IKE, allowWeak, IkeSettings.DEFAULT_PROPOSALS);
        Lifetime lifetime = new LifetimeReader(problems, values).read(i, "lifetime", IkeSettings.DEFAULT_LIFETIME, false);
        MapView d = i.map("dpd", List.of("delay", "timeout", "action"));
        Duration delay = values.duration(d, "delay").orElse(Dpd.DEFAULT_DELAY);
        Duration timeout = values.duration(d, "timeout").orElse(Dpd.DEFAULT_TIMEOUT);
        if (timeout.compareTo(delay) < 0) {
            Node at = d.value("timeout").or(() -> d.value("delay")).orElseThrow();
            problems.at(at, d.child(d.has("timeout") ? "timeout" : "delay"), "dpd timeout " + Durations.format(timeout)
                    + " is shorter than dpd delay " + Durations.format(delay) + ": expected timeout >= delay");
        }
        Optional<String> action = d.choice("action", List.of("restart", "trap", "clear"));
        DpdAction dpdAction = remoteAny ? DpdAction.CLEAR : DpdAction.RESTART;
        if (action.isPresent()) {
            dpdAction = DpdAction.valueOf(action.get().toUpperCase(java.util.Locale.ROOT));
            if (remoteAny && dpdAction != DpdAction.CLEAR) {
                problems.at(d.value("action").get(), d.child("action"), "dpd action '" + action.get()
                        + "' needs a remote address to initiate to, but remote.address is \"%any\": expected clear");
            }
        }
        boolean encap = i.bool("encap").orElse(false);
        return new IkeSettings(proposals, lifetime, new Dpd(delay, timeout, dpdAction), encap, allowWeak,
                fragmentation(i));
    }

    /** {@code fragmentation} (on by default) and {@code fragment_size}, an IP datagram size in 576..65535. */
    private Fragmentation fragmentation(MapView i) {
        boolean enabled = i.bool("fragmentation").orElse(true);
        Optional<String> text = i.scalar("fragment_size");
        if (text.isEmpty()) return new Fragmentation(enabled, Fragmentation.DEFAULT_SIZE);
        Node at = i.value("fragment_size").get();
        Optional<Long> size = values.report(ByteSizes.parse(text.get()), at, i.child("fragment_size"));
        if (size.isEmpty()) return new Fragmentation(enabled, Fragmentation.DEFAULT_SIZE);
        if (size.get() < Fragmentation.MIN_SIZE || size.get() > Fragmentation.MAX_SIZE) {
            problems.at(at, i.child("fragment_size"), "fragment size " + text.get() + " is out of range: expected "
                    + Fragmentation.MIN_SIZE + " (the IPv4 datagram every host accepts) to " + Fragmentation.MAX_SIZE
                    + " bytes, IP and UDP headers included; " + Fragmentation.DEFAULT_SIZE + " suits IPv6 paths");
            return new Fragmentation(enabled, Fragmentation.DEFAULT_SIZE);
        }
        return new Fragmentation(enabled, size.get().intValue());
    }
}
