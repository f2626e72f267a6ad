package io.ipsecd.testbed;

import io.ipsecd.testbed.SaInfo.IkeSa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A strongSwan charon with kernel-libipsec in a gateway namespace: the host's 5.9.8 in a private
 * mount namespace (for a private /run), or a 6.x container (own mount, PID and UTS namespaces,
 * chrooted into a cached Debian rootfs, with the peer directory bind-mounted at /ipt).
 * Controlled through swanctl over a private VICI socket.
 */
public final class StrongSwan implements Gateway {
    private static final Duration CMD = Duration.ofSeconds(30);

    private final Lab lab;
    private final Site site;
    private final StrongSwanVersion version;
    private final Path dir;
    private final String confDir;
    private final Process process;
    private List<String> swanctl;

    private StrongSwan(Lab lab, Site site, StrongSwanVersion version, Path dir, String confDir, Process process) {
        this.lab = lab;
        this.site = site;
        this.version = version;
        this.dir = dir;
        this.confDir = confDir;
        this.process = process;
    }

    public static StrongSwan start(Lab lab, Site site, StrongSwanVersion version) {
        return start(lab, site, version, Map.of());
    }

    /**
     * Daemon settings for {@link #start(Lab, Site, StrongSwanVersion, Map)} that make charon send IKE
     * fragments of at most {@code bytes} (an IP datagram size, as ipsecd's {@code ike.fragment_size});
     * swanctl.conf already has {@code fragmentation = yes}. Its log then shows "splitting IKE message
     * ... into N fragments" and "received fragment #i of N".
     */
    public static Map<String, String> fragmentSize(int bytes) {
        return Map.of("fragment_size", Integer.toString(bytes));
    }

    /**
     * The same with extra settings in strongswan.conf's daemon section, e.g. {@code fragment_size}
     * (the largest IKE fragment it sends, as an IP datagram size).
     */
    public static StrongSwan start(Lab lab, Site site, StrongSwanVersion version, Map<String, String> daemonSettings) {
        Path rootfs = version.onHost() ? null : Rootfs.ensure(version.suite());
        Path dir = lab.dir(site.name() + "-strongswan");
        String confDir = version.onHost() ? dir.toString() : "/" + Rootfs.MOUNT_POINT;
        write(dir.resolve("strongswan.conf"), SwanctlConf.strongswanConf(version, confDir, daemonSettings));
        Path stdout = dir.resolve("daemon.out");
        lab.addLog(site.name() + " strongSwan " + version.version() + " charon.log", dir.resolve("charon.log"));
        lab.addLog(site.name() + " strongSwan " + version.version() + " stdout/stderr", stdout);
        Map<String, String> env = Map.of("STRONGSWAN_CONF", confDir + "/strongswan.conf");
        List<String> cmd;
        if (version.onHost()) {
            cmd = List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                    "mount -t tmpfs none /run && exec \"$1\"", "sh", version.daemonPath());
        } else {
            mkdirs(rootfs.resolve(Rootfs.MOUNT_POINT));
            // Everything mounted here lives in the container's private mount namespace and
            // disappears with its last process; nothing leaks into the host's mount table.
            String script = """
                    set -e
                    mount -t proc proc "$1/proc"
                    mount --rbind /dev "$1/dev"
                    mount -t tmpfs none "$1/run"
                    mount -t tmpfs none "$1/tmp"
                    mount --bind "$2" "$1/$3"
                    hostname "$4"
                    exec chroot "$1" "$5"
                    """;
            cmd = List.of("unshare", "-m", "-p", "-f", "--uts", "--kill-child", "--propagation", "private",
                    "sh", "-c", script, "sh", rootfs.toString(), dir.toString(), Rootfs.MOUNT_POINT,
                    site.name() + "-gw", version.daemonPath());
        }
        Process p = Exec.start(stdout, Netns.exec(site.gatewayNs(), cmd), env);
        StrongSwan s = new StrongSwan(lab, site, version, dir, confDir, p);
        lab.onClose(s);
        s.awaitSocket(Duration.ofSeconds(20));
        return s;
    }

    private void awaitSocket(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path socket = dir.resolve("vici");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) break;
            if (Files.exists(socket) && resolveSwanctl()) return;
            if (!Exec.sleep(50)) break;
        }
        throw new IllegalStateException(describe() + " did not open its VICI socket " + socket + " within "
                + timeout.toSeconds() + " s (alive=" + process.isAlive() + ")");
    }

    /** swanctl of the same version: the host's, or the container's run inside its mount namespace and root. */
    private boolean resolveSwanctl() {
        if (version.onHost()) {
            swanctl = List.of("swanctl");
            return true;
        }
        var daemon = process.descendants().filter(h -> h.info().command().orElse("").endsWith("charon-systemd"))
                .findFirst();
        if (daemon.isEmpty()) return false;
        swanctl = List.of("nsenter", "-t", Long.toString(daemon.get().pid()), "-m", "-r", "--", "/usr/sbin/swanctl");
        return true;
    }

    /** Runs {@code swanctl ARGS --uri SOCKET}; the option must follow the command. */
    public Exec.Result swanctl(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(swanctl);
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--uri", "unix://" + confDir + "/vici"));
        return Exec.run(timeout, cmd);
    }

    @Override
    public String describe() {
        return "strongSwan " + version.version() + (version.onHost() ? " (host)" : " (" + version.suite() + " container)")
                + " on " + site.name() + "-gw";
    }

    @Override
    public Site site() { return site; }

    public StrongSwanVersion version() { return version; }

    /** charon's log (ike and cfg at level 2), for what only the log shows, such as IKE fragments. */
    public Path log() { return dir.resolve("charon.log"); }

    @Override
    public void load(List<TunnelConfig> tunnels) {
        write(dir.resolve("swanctl.conf"), SwanctlConf.swanctlConf(tunnels));
        boolean certificates = tunnels.stream().anyMatch(t -> t.auth() instanceof TunnelConfig.Certificates);
        if (certificates) copyCredentials(tunnels);
        // "opening directory ... failed" lines from --load-all are harmless: we pass one file.
        Exec.Result r = certificates
                ? swanctl(CMD, "--load-all", "--clear", "--noprompt", "--file", confDir + "/swanctl.conf")
                : swanctl(CMD, "--load-all", "--file", confDir + "/swanctl.conf");
        if (!r.ok() || !r.out().contains("loaded connection")) {
            throw new IllegalStateException(describe() + ": swanctl --load-all failed:\n" + r.out() + r.err());
        }
    }

    /**
     * The certificate files of the tunnels into swanctl's directories next to swanctl.conf
     * ({@code x509}, {@code x509ca}, {@code pkcs8}, {@code x509crl}: swanctl looks beside the file
     * given with --file), which the container also sees; earlier files go, so a reload holds only
     * these credentials.
     */
    private void copyCredentials(List<TunnelConfig> tunnels) {
        Path root = dir;
        try {
            for (String sub : List.of("x509", "x509ca", "pkcs8", "x509crl")) {
                Path d = root.resolve(sub);
                Files.createDirectories(d);
                try (var old = Files.list(d)) {
                    for (Path f : old.toList()) Files.delete(f);
                }
            }
            for (TunnelConfig t : tunnels) {
                if (!(t.auth() instanceof TunnelConfig.Certificates c)) continue;
                copy(c.certificate(), root.resolve("x509"));
                copy(c.privateKey(), root.resolve("pkcs8"));
                for (Path f : c.intermediates()) copy(f, root.resolve("x509ca"));
                for (Path f : c.caCertificates()) copy(f, root.resolve("x509ca"));
                for (Path f : c.crls()) copy(f, root.resolve("x509crl"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path file, Path into) throws IOException {
        Files.copy(file, into.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void initiate(String connection, String child, Duration timeout) {
        long secs = Math.max(1, timeout.toSeconds());
        Exec.Result r = swanctl(timeout.plusSeconds(5), "--initiate", "--ike", connection, "--child", child,
                "--timeout", Long.toString(secs));
        if (!r.ok()) {
            throw new IllegalStateException(describe() + ": initiating " + connection + "/" + child + " failed:\n"
                    + r.out().lines().filter(l -> !l.startsWith("[")).toList() + "\n" + r.err());
        }
    }

    @Override
    public void terminate(String connection) {
        swanctl(CMD, "--terminate", "--ike", connection, "--timeout", "5");
    }

    @Override
    public List<IkeSa> listSas() {
        String raw = swanctl(CMD, "--list-sas", "--raw").check().out();
        write(dir.resolve("list-sas.raw"), raw); // the last answer, kept for debugging parser surprises
        return SwanctlRaw.parseListSas(raw);
    }

    /** Output of {@code swanctl --list-algs}: proves a version starts and shows what it offers. */
    public String listAlgorithms() {
        return swanctl(CMD, "--list-algs").check().out();
    }

    @Override
    public void close() {
        Exec.stop(process, Duration.ofSeconds(5));
        // libipsec leaves XFRM state, policies and its routing table behind a killed charon.
        String ns = site.gatewayNs();
        Exec.run(Netns.SHORT, "ip", "-n", ns, "xfrm", "state", "flush");
        Exec.run(Netns.SHORT, "ip", "-n", ns, "xfrm", "policy", "flush");
        Exec.run(Netns.SHORT, "ip", "-n", ns, "route", "flush", "table", "220");
    }

    /**
     * SIGKILL to charon, as a crash would: no DELETE goes out, and the peer keeps its SAs. The dead
     * daemon's VICI socket and libipsec's leftovers go, so a new {@link #start} on this site waits
     * for its own socket and installs afresh.
     */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException(describe() + " survived SIGKILL for 10 s");
            }
            Files.deleteIfExists(dir.resolve("vici"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        close();
    }

    Lab lab() { return lab; }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
