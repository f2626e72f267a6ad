package io.ipsecd.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipsecd.testbed.TunnelConfig.Child;
import io.ipsecd.testbed.TunnelConfig.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A load generator, not a test: how many IKE SAs per second one ipsecd sets up with another, on one
 * machine. Two ipsecd run in a site-to-site lab; the cloud gateway gets one extra WAN address per
 * tunnel (ipsecd's responder picks a connection by the address pair), so N connections with
 * distinct identities (and, unless {@code --childless}, one Child SA each with its own selectors)
 * exist on both sides. corp is told to bring all of them up in a burst over its control socket; the
 * IKE SAs count as set up when corp's monitor reports {@code ike-established}, stamped by the
 * daemon's clock. Each round tears everything down and starts again: the first round includes the
 * JIT warming up, the later ones show the steady state.
 *
 * <p>Usage: {@code SetupRate [--scenario psk-x25519|ecdsa-x25519-mlkem768|all] [--tunnels N]
 * [--rounds R] [--childless]}. Needs root. A burst above ipsecd's cookie threshold (30 half-open
 * IKE SAs) is answered with COOKIEs (RFC 7296 §2.6), so part of each burst takes one more round
 * trip, as it would in production.
 */
public final class SetupRate {
    static final int MAX_TUNNELS = 200;
    /** The cloud gateway's extra WAN addresses: 192.0.2.30 and up (corp is .1, cloud .2, more corps .11..). */
    private static final int FIRST_HOST = 30;
    /** Control connections open at once during a burst. */
    static final int PARALLEL = 16;
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(Long.getLong("setupRate.timeout", 180));

    /** What is measured: a name for the command line, the IKE proposal, and how the tunnels authenticate. */
    enum Kind {
        PSK_X25519("psk-x25519", "aes256gcm16-prfsha384-x25519"),
        ECDSA_X25519_MLKEM768("ecdsa-x25519-mlkem768", "aes256gcm16-prfsha384-x25519-ke1_mlkem768");

        final String arg;
        final String proposal;

        Kind(String arg, String proposal) {
            this.arg = arg;
            this.proposal = proposal;
        }
    }

    /** One burst: how long until the first and the last IKE SA was established, counted from the first up. */
    record Round(int number, int tunnels, int established, int children, Duration burst, Duration first, Duration median,
                 Duration all, String algorithms) {
        double rate() {
            return all.isZero() ? 0 : established * 1000.0 / all.toMillis();
        }
    }

    public static void main(String[] args) {
        List<Kind> kinds = new ArrayList<>();
        int tunnels = 100;
        int rounds = 5;
        boolean childless = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--scenario" -> kinds.addAll(kinds(args[++i]));
                    case "--tunnels" -> tunnels = Integer.parseInt(args[++i]);
                    case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                    case "--childless" -> childless = true;
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
            if (tunnels < 1 || tunnels > MAX_TUNNELS || rounds < 1 || rounds > 10) {
                throw new IllegalArgumentException("tunnels 1.." + MAX_TUNNELS + ", rounds 1..10");
            }
        } catch (RuntimeException e) {
            System.err.println("usage: setup-rate [--scenario psk-x25519|ecdsa-x25519-mlkem768|all] [--tunnels N (1.."
                    + MAX_TUNNELS + ")] [--rounds R] [--childless]  (" + e.getMessage() + ")");
            System.exit(2);
        }
        if (kinds.isEmpty()) kinds.add(Kind.PSK_X25519);
        if (!TestbedExtension.isRoot()) {
            System.err.println("setup-rate builds network namespaces: run it as root");
            System.exit(3);
        }
        Map<Kind, Object> results = new LinkedHashMap<>(); // List<Round>, or the reason it is not available
        for (Kind k : kinds) {
            System.err.printf("setup-rate: %s, %d tunnels%s, %d rounds ...%n", k.arg, tunnels, childless ? " (childless)" : "",
                    rounds);
            try {
                results.put(k, measure(k, tunnels, rounds, childless));
            } catch (RuntimeException e) {
                results.put(k, String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()));
            }
        }
        System.out.println(table(results, childless));
    }

    private static List<Kind> kinds(String arg) {
        if (arg.equals("all")) return List.of(Kind.values());
        for (Kind k : Kind.values()) {
            if (k.arg.equals(arg)) return List.of(k);
        }
        throw new IllegalArgumentException("unknown scenario '" + arg + "'");
    }

    static List<Round> measure(Kind kind, int n, int rounds, boolean childless) {
        String psk = randomHex(24);
        try (Lab lab = Topologies.siteToSite()) {
            TestCa ca = kind == Kind.ECDSA_X25519_MLKEM768 ? new TestCa(lab.dir("pki"), TestCa.KeyType.ECDSA_P256) : null;
            Site corpSite = lab.corp();
            Site cloudSite = lab.cloud();
            List<String> names = new ArrayList<>();
            List<TunnelConfig> corpTunnels = new ArrayList<>();
            List<TunnelConfig> cloudTunnels = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String address = "192.0.2." + (FIRST_HOST + i);
                Netns.run(cloudSite.gatewayNs(), Netns.SHORT, "ip", "addr", "add", address + "/24", "dev",
                        cloudSite.wanInterface()).check();
                String name = "t" + i;
                names.add(name);
                String corpLan = "10.1." + i + ".0/24";
                String cloudLan = "10.2." + i + ".0/24";
                Endpoint corpEnd = new Endpoint(corpSite.wanAddress().v4(), "corp-" + i + ".example.net");
                Endpoint cloudEnd = new Endpoint(address, "cloud-" + i + ".example.net");
                corpTunnels.add(tunnel(kind, name, corpEnd, cloudEnd, auth(ca, corpEnd, psk),
                        childless ? null : child(corpLan, cloudLan)));
                cloudTunnels.add(tunnel(kind, name, cloudEnd, corpEnd, auth(ca, cloudEnd, psk),
                        childless ? null : child(cloudLan, corpLan)));
            }
            Ipsecd corp = Ipsecd.start(lab, corpSite).withLogLevel("info");
            Ipsecd cloud = Ipsecd.start(lab, cloudSite).withLogLevel("info");
            cloud.load(cloudTunnels);
            corp.load(corpTunnels);
            List<Round> out = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                out.add(round(r, corp, cloud, names, childless));
                System.err.printf("setup-rate: %s round %d: %s%n", kind.arg, r, out.getLast());
                try {
                    down(corp, cloud, names);
                } catch (IllegalStateException e) {
                    // The rounds so far stand; the next would start with SAs left over.
                    System.err.println("setup-rate: " + kind.arg + ": no further rounds: " + e.getMessage());
                    break;
                }
            }
            return out;
        }
    }

    private static Child child(String localTs, String remoteTs) {
        return new Child("net", List.of(localTs), List.of(remoteTs), List.of("aes256gcm16"), TunnelConfig.StartAction.NONE);
    }

    /** The PSK, or (with a CA) a P-256 certificate for this end's identity, trusting the CA's root. */
    private static TunnelConfig.Auth auth(TestCa ca, Endpoint self, String psk) {
        return ca == null ? new TunnelConfig.Psk(psk) : ca.credentials(ca.gateway(self.id()), List.of());
    }

    private static TunnelConfig tunnel(Kind kind, String name, Endpoint local, Endpoint remote, TunnelConfig.Auth auth,
                                       Child child) {
        return new TunnelConfig(name, local, remote, List.of(kind.proposal), auth, child == null ? List.of() : List.of(child));
    }

    private static Round round(int number, Ipsecd corp, Ipsecd cloud, List<String> names, boolean childless) {
        int n = names.size();
        try (ControlSocket.Monitor events = corp.monitor()) {
            Instant start = Instant.now();
            requests(corp, "up", names);
            Duration burst = Duration.between(start, Instant.now());
            boolean done = await(() -> events.count("ike-established") >= n
                    && (childless || children(corp) >= n), ROUND_TIMEOUT);
            List<Instant> times = events.events("ike-established").stream().map(ControlSocket.Monitor::at).sorted().toList();
            if (!done && times.isEmpty()) {
                throw new IllegalStateException("no IKE SA established within " + ROUND_TIMEOUT.toSeconds() + " s; corp "
                        + "events: " + events.dump().lines().limit(5).toList());
            }
            int established = Math.min(n, times.size());
            String algorithms = corp.listSasNow().stream().map(SaInfo.IkeSa::algorithms).findFirst().orElse("?");
            return new Round(number, n, established, childless ? 0 : children(corp), burst,
                    Duration.between(start, times.getFirst()), Duration.between(start, times.get((established - 1) / 2)),
                    Duration.between(start, times.get(established - 1)), algorithms);
        }
    }

    /** Installed Child SAs on corp (a CHILD_SA whose IKE SA is up but is not installed yet does not count). */
    private static int children(Ipsecd corp) {
        return (int) corp.listSasNow().stream().flatMap(s -> s.children().stream()).filter(SaInfo.ChildSa::installed).count();
    }

    private static void down(Ipsecd corp, Ipsecd cloud, List<String> names) {
        requests(corp, "down", names);
        if (!await(() -> corp.listSasNow().isEmpty() && cloud.listSasNow().isEmpty(), ROUND_TIMEOUT)) {
            throw new IllegalStateException("the SAs did not all go down within " + ROUND_TIMEOUT.toSeconds() + " s: corp "
                    + states(corp) + ", cloud " + states(cloud));
        }
    }

    /**
     * {@code command} for every name, {@link #PARALLEL} control connections at a time: the daemon's
     * control socket has the default listen backlog, and a hundred connections at once get some
     * refused. A refused or failed request is tried again, up to three times.
     */
    private static void requests(Ipsecd gateway, String command, List<String> names) {
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(PARALLEL);
        java.util.Queue<String> failed = new java.util.concurrent.ConcurrentLinkedQueue<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (String name : names) {
                pool.submit(() -> {
                    slots.acquireUninterruptibly();
                    try {
                        for (int attempt = 1; ; attempt++) {
                            try {
                                gateway.control(command, Map.of("name", name));
                                return;
                            } catch (RuntimeException e) {
                                if (attempt == 3) {
                                    failed.add(name + ": " + e.getMessage());
                                    return;
                                }
                                Exec.sleep(20);
                            }
                        }
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException(failed.size() + " '" + command + "' requests failed, e.g. " + failed.peek());
        }
    }

    /** "{ESTABLISHED=3, CONNECTING=1}": the IKE SAs a gateway lists, by state. */
    private static Map<String, Long> states(Ipsecd gateway) {
        return gateway.listSasNow().stream().collect(java.util.stream.Collectors.groupingBy(SaInfo.IkeSa::state,
                java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    /** Polls every 100 ms until the condition holds or the timeout passes. */
    private static boolean await(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            if (!Exec.sleep(100)) break;
        }
        return condition.getAsBoolean();
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new java.security.SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String table(Map<Kind, Object> results, boolean childless) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "IKE SA setups per second, ipsecd -> ipsecd on one machine (%s)%n",
                childless ? "childless IKE SAs" : "each IKE_AUTH with one Child SA"));
        sb.append(String.format(Locale.ROOT, "%-24s %5s %8s %9s %9s %9s %9s %9s %10s%n", "scenario", "round", "tunnels",
                "up", "children", "burst", "first", "median", "all"));
        results.forEach((kind, result) -> {
            if (result instanceof List<?> rounds) {
                if (!rounds.isEmpty()) {
                    sb.append(String.format(Locale.ROOT, "%-24s negotiated %s%n", kind.arg, ((Round) rounds.getFirst()).algorithms()));
                }
                for (Object o : rounds) {
                    Round r = (Round) o;
                    sb.append(String.format(Locale.ROOT, "%-24s %5d %8d %9d %9s %8dms %8dms %8dms %8dms  %7.1f/s%n",
                            kind.arg, r.number(), r.tunnels(), r.established(), childless ? "-" : Integer.toString(r.children()),
                            r.burst().toMillis(), r.first().toMillis(), r.median().toMillis(), r.all().toMillis(), r.rate()));
                }
            } else {
                sb.append(String.format(Locale.ROOT, "%-24s not available: %s%n", kind.arg, result));
            }
        });
        sb.append("up: IKE SAs established (corp's ike-established events); first/median/all: from the first 'up' "
                + "request; rate = up / all.\n");
        return sb.toString();
    }
}
