package io.ipsecd.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipsecd.testbed.SaInfo.ChildSa;
import io.ipsecd.testbed.SaInfo.IkeSa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Our daemon from this build ({@code <repo>/bin/ipsecd}) in a gateway namespace, driven with
 * {@code bin/ipsecctl --json}. The daemon needs its config at start, so {@link #load} writes the
 * YAML and starts it. JSON is read generically: the schema is still moving.
 */
public final class Ipsecd implements Gateway {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CMD = Duration.ofSeconds(30);

    private final Lab lab;
    private final Site site;
    private final Path dir;
    private final Path socket;
    private Process process;

    private Ipsecd(Lab lab, Site site, Path dir) {
        this.lab = lab;
        this.site = site;
        this.dir = dir;
        this.socket = dir.resolve("ipsecd.sock");
    }

    public static Ipsecd start(Lab lab, Site site) {
        Path launcher = repo().resolve("bin/ipsecd");
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException("ipsecd is not built: " + launcher + " missing (run mvn package first)");
        }
        Ipsecd d = new Ipsecd(lab, site, lab.dir(site.name() + "-ipsecd"));
        lab.addLog(site.name() + " ipsecd stderr", d.dir.resolve("ipsecd.log"));
        lab.onClose(d);
        return d;
    }

    /** The repository root: -Dipsecd.repo, else the nearest ancestor of the working directory with bin/ipsecctl. */
    /** Skips the calling test unless ipsecd is built ({@code cli/target}) or installed ({@code lib/}). */
    public static void assumePackaged() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(repo().resolve("cli/target/ipsecd-cli.jar"))
                || Files.exists(repo().resolve("lib/ipsecd-cli.jar")), "ipsecd is not packaged (mvn -DskipTests package)");
    }

    public static Path repo() {
        String p = System.getProperty("ipsecd.repo");
        if (p != null) return Path.of(p).toAbsolutePath();
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("bin")) && Files.exists(d.resolve("testbed/pom.xml"))) return d;
        }
        throw new IllegalStateException("cannot find the ipsecd repository; set -Dipsecd.repo=DIR");
    }

    private String globalYaml = "";
    private String ikeOptions = "";
    private String connectionOptions = "";
    private String logLevel = "debug";

    @Override
    public String describe() { return "ipsecd on " + site.name() + "-gw"; }

    /** The control socket, for {@code ipsecctl --socket}. */
    public Path socket() { return socket; }

    /**
     * A {@code global:} section for the configs {@link #load} writes from now on, e.g. a faster
     * {@code ike.retransmit} schedule.
     */
    public Ipsecd withGlobal(String globalYaml) {
        this.globalYaml = globalYaml.endsWith("\n") ? globalYaml : globalYaml + "\n";
        return this;
    }

    /**
     * More {@code ike:} settings for every connection in the configs {@link #load} and
     * {@link #writeConfig} write from now on, in YAML flow style, e.g. {@code fragment_size: 1000}.
     */
    public Ipsecd withIkeOptions(String ikeOptions) {
        this.ikeOptions = ikeOptions;
        return this;
    }

    /**
     * More keys of every connection (one per line, YAML flow style) in the configs {@link #load} and
     * {@link #writeConfig} write from now on, e.g. {@code ppk: { id: q1, file: /path }}.
     */
    public Ipsecd withConnectionOptions(String connectionOptions) {
        this.connectionOptions = connectionOptions;
        return this;
    }

    /** The daemon's log (stdout and stderr, at debug level). */
    public Path log() { return dir.resolve("ipsecd.log"); }

    /** The {@code --log-level} of the daemons {@link #load} starts from now on (default debug). */
    public Ipsecd withLogLevel(String level) {
        this.logLevel = level;
        return this;
    }

    /** The YAML config {@link #load} wrote (its PSKs are in 0600 files next to it). */
    public Path configFile() { return dir.resolve("ipsecd.yaml"); }

    @Override
    public Site site() { return site; }

    @Override
    public void load(List<TunnelConfig> tunnels) {
        Path config = writeConfig(tunnels);
        if (process != null) close();
        Path java = Path.of(System.getProperty("java.home"));
        process = Exec.start(dir.resolve("ipsecd.log"), Netns.exec(site.gatewayNs(), List.of(
                repo().resolve("bin/ipsecd").toString(), "--config", config.toString(), "--socket", socket.toString(),
                "--log-level", logLevel)), Map.of("JAVA_HOME", java.toString()));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && process.isAlive() && !Files.exists(socket)) {
            if (!Exec.sleep(100)) break;
        }
        if (!Files.exists(socket)) {
            throw new IllegalStateException(describe() + " did not open " + socket + " (alive=" + process.isAlive()
                    + "):\n" + Exec.tail(dir.resolve("ipsecd.log"), 3000));
        }
    }

    /**
     * Rewrites the YAML config (and PSK files) without touching the running daemon: what an admin
     * does before {@code ipsecctl reload}.
     */
    public Path writeConfig(List<TunnelConfig> tunnels) {
        Path config = dir.resolve("ipsecd.yaml");
        try {
            Files.writeString(config, globalYaml + IpsecdYaml.render(tunnels, dir, ikeOptions, connectionOptions));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }

    /** {@code ipsecctl --socket S ARGS...}. */
    public Exec.Result ipsecctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(repo().resolve("bin/ipsecctl").toString(), "--socket", socket.toString()));
        cmd.addAll(List.of(args));
        return Exec.run(CMD, cmd, Map.of("JAVA_HOME", System.getProperty("java.home")));
    }

    public JsonNode status() { return json(ipsecctl("status", "--json").check().out()); }

    @Override
    public void initiate(String connection, String child, Duration timeout) {
        Exec.Result r = ipsecctl("up", connection);
        if (!r.ok()) {
            // One line: the bench prints it as the reason a column is "not available".
            String why = (r.err() + " " + r.out()).strip().replaceAll("\\s+", " ");
            throw new IllegalStateException(describe() + ": ipsecctl up " + connection + " failed: " + why);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (listSas().stream().anyMatch(sa -> sa.established() && sa.children().stream().anyMatch(ChildSa::installed))) {
                return;
            }
            if (!Exec.sleep(200)) break;
        }
        throw new IllegalStateException(describe() + ": " + connection + " not up within " + timeout.toSeconds() + " s");
    }

    @Override
    public void terminate(String connection) { ipsecctl("down", connection); }

    /** {@code list-sas --json} mapped to the records strongSwan's SAs use (schema: docs/control-protocol.md). */
    @Override
    public List<IkeSa> listSas() {
        Exec.Result r = ipsecctl("list-sas", "--json");
        if (!r.ok()) return List.of();
        JsonNode root = json(r.out());
        return sas(root.has("result") ? root.path("result").path("ikeSas") : root.path("ikeSas"));
    }

    /**
     * {@code list-sas} over the control socket from this JVM: the same records as {@link #listSas},
     * cheap enough to poll several times a second.
     */
    public List<IkeSa> listSasNow() {
        return sas(control("list-sas", Map.of()).path("ikeSas"));
    }

    /** One control request from this JVM (no ipsecctl process): its {@code result}, or an exception. */
    public JsonNode control(String command, Map<String, String> args) {
        return ControlSocket.result(socket, command, args, CMD);
    }

    private static List<IkeSa> sas(JsonNode sas) {
        List<IkeSa> out = new ArrayList<>();
        for (JsonNode n : sas) {
            List<ChildSa> children = new ArrayList<>();
            for (JsonNode c : n.path("children")) {
                children.add(new ChildSa(c.path("name").asText(), c.path("state").asText(), c.path("mode").asText(),
                        c.path("udpEncap").asBoolean(), c.path("spiIn").asText(), c.path("spiOut").asText(),
                        algorithms(c.path("encryption"), c.path("integrity"), c.path("keyExchange")),
                        c.path("bytesIn").asLong(), c.path("bytesOut").asLong(), c.path("packetsIn").asLong(),
                        c.path("packetsOut").asLong(), texts(c.path("localTs")), texts(c.path("remoteTs"))));
            }
            out.add(new IkeSa(n.path("name").asText(), n.path("state").asText(), n.path("spiInitiator").asText(),
                    n.path("spiResponder").asText(), n.path("localAddress").asText(), n.path("remoteAddress").asText(),
                    n.path("localId").asText(), n.path("remoteId").asText(),
                    algorithms(n.path("encryption"), n.path("integrity"), n.path("prf"), n.path("keyExchange")), false,
                    children));
        }
        return out;
    }

    private static String algorithms(JsonNode... parts) {
        return String.join("/", java.util.Arrays.stream(parts).filter(p -> p.isTextual() && !p.asText().isEmpty())
                .map(JsonNode::asText).toList());
    }

    private static List<String> texts(JsonNode array) {
        List<String> l = new ArrayList<>();
        array.forEach(e -> l.add(e.asText()));
        return l;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("ipsecctl printed no JSON: " + text, e);
        }
    }

    @Override
    public void close() {
        if (process != null) Exec.stop(process, Duration.ofSeconds(10));
        process = null;
    }

    /**
     * SIGKILL, as a crash or {@code kill -9} would: no DELETE goes out, the peer keeps its SAs. The
     * dead daemon's socket file stays; it is removed so that a new {@link #load} waits for its own.
     */
    public void kill() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException(describe() + " survived SIGKILL for 10 s");
            }
            Files.deleteIfExists(socket);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process = null;
    }

    /** The daemon's events from now on ({@code monitor} on the control socket), until closed or the lab goes. */
    public ControlSocket.Monitor monitor() {
        ControlSocket.Monitor m = ControlSocket.monitor(socket);
        lab.onClose(m);
        return m;
    }

    /** The PSK file must be 0600; the daemon refuses anything readable by others. */
    static Path writePsk(Path dir, String name, String secret) throws IOException {
        Path f = dir.resolve(name + ".psk");
        Files.deleteIfExists(f);
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(f, secret);
    }

    Lab lab() { return lab; }
}
