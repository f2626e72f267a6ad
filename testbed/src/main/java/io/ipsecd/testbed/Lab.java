package io.ipsecd.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A network-namespace topology that exists while this object is open. Build one with
 * {@link Topologies}; close it (try-with-resources) to kill its processes and delete its
 * namespaces. A JVM shutdown hook closes labs still open at exit, and {@link Sweep} removes those
 * of JVMs that were killed.
 */
public final class Lab implements AutoCloseable {
    private static final Set<Lab> OPEN = ConcurrentHashMap.newKeySet();
    /** Every lab of this JVM in creation order, so a test extension can find the ones a test made. */
    private static final List<Lab> CREATED = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(Lab::close), "ipt-lab-cleanup"));
    }

    private final String name;
    private final Path dir;
    private final List<String> namespaces = new ArrayList<>();
    private final Deque<AutoCloseable> onClose = new ArrayDeque<>();
    private final Map<String, Path> logs = new LinkedHashMap<>();
    final List<Site> corps = new ArrayList<>();
    Site cloud;
    String wanTapNs;
    String wanTapInterface;
    private final List<String[]> plainRoutes = new ArrayList<>();
    private volatile boolean closed;

    Lab() {
        Sweep.once();
        this.name = Names.newLab();
        this.dir = Names.workRoot().resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OPEN.add(this);
        CREATED.add(this);
    }

    static List<Lab> createdAfter(int index) { return List.copyOf(CREATED.subList(Math.min(index, CREATED.size()), CREATED.size())); }

    static int createdCount() { return CREATED.size(); }

    public boolean isOpen() { return !closed; }

    /**
     * Leaves the lab up when this JVM exits (the demo's {@code --keep}): the exit hook skips it, so
     * its daemons keep running. Once this JVM is gone the lab counts as stale: {@link Sweep#run()}
     * (or the next lab of any JVM) removes it.
     */
    public void keepAfterExit() { OPEN.remove(this); }

    public String name() { return name; }
    public Path dir() { return dir; }
    public Site corp() { return corps.getFirst(); }
    public List<Site> corps() { return List.copyOf(corps); }
    public Site cloud() { return cloud; }
    public List<String> namespaces() { return List.copyOf(namespaces); }
    /** Namespace and interface where every WAN packet can be captured. */
    public String wanTapNs() { return wanTapNs; }
    public String wanTapInterface() { return wanTapInterface; }

    /** A per-component subdirectory of the lab directory. */
    public Path dir(String component) {
        try {
            return Files.createDirectories(dir.resolve(component));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers a daemon log; a failing test prints the tail of each. */
    public void addLog(String label, Path file) { logs.put(label, file); }
    public Map<String, Path> logs() { return Map.copyOf(logs); }

    /** Registers something to stop before the namespaces go (daemons, captures); run in reverse order. */
    public synchronized void onClose(AutoCloseable c) { onClose.push(c); }

    /** Tails of every registered log, for failure messages. */
    public String logTails(int maxPerLog) {
        StringBuilder sb = new StringBuilder();
        logs.forEach((label, file) -> sb.append("\n----- ").append(label).append(" (").append(file).append(") -----\n")
                .append(Exec.tail(file, maxPerLog)));
        return sb.toString();
    }

    // ---- building, used by Topologies ----

    String addNamespace(String role, boolean router) {
        String ns = name + "-" + role;
        Netns.add(ns);
        namespaces.add(ns);
        if (router) {
            Netns.run(ns, Netns.SHORT, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1").check();
        }
        return ns;
    }

    /** A veth pair created directly inside the two namespaces, so its names never clash on the host. */
    void link(String nsA, String ifA, String nsB, String ifB) {
        Netns.ip(nsA, "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        Netns.ip(nsA, "link", "set", ifA, "up");
        Netns.ip(nsB, "link", "set", ifB, "up");
    }

    /** Adds an IPv4 and an IPv6 address (prefix lengths included); IPv6 skips DAD so it is usable at once. */
    void address(String ns, String dev, Site.Dual cidrs) {
        Netns.ip(ns, "addr", "add", cidrs.v4(), "dev", dev);
        Netns.ip(ns, "-6", "addr", "add", cidrs.v6(), "dev", dev, "nodad");
    }

    void route(String ns, Site.Dual to, Site.Dual via) {
        Netns.ip(ns, "route", "add", to.v4(), "via", via.v4());
        Netns.ip(ns, "-6", "route", "add", to.v6(), "via", via.v6());
    }

    /** A route that exists only for the unencrypted baseline; IPsec labs leave it out so nothing leaks. */
    void plainRoute(String ns, Site.Dual to, Site.Dual via) {
        plainRoutes.add(new String[] {ns, to.v4(), via.v4(), to.v6(), via.v6()});
    }

    /** Routes the sites to each other without any tunnel: the "plain routing" baseline. */
    public void enablePlainRouting() {
        for (String[] r : plainRoutes) {
            Netns.ip(r[0], "route", "replace", r[1], "via", r[2]);
            Netns.ip(r[0], "-6", "route", "replace", r[3], "via", r[4]);
        }
    }

    // ---- teardown ----

    /** Stops registered components, kills every process in the lab's namespaces and deletes them. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        List<RuntimeException> errors = new ArrayList<>();
        while (!onClose.isEmpty()) {
            try {
                onClose.pop().close();
            } catch (Exception e) {
                errors.add(new IllegalStateException("stopping a lab component failed", e));
            }
        }
        for (String ns : namespaces.reversed()) {
            try {
                Netns.destroy(ns);
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        deleteCaptures();
        OPEN.remove(this);
        if (!errors.isEmpty()) {
            IllegalStateException e = new IllegalStateException("lab " + name + " did not close cleanly");
            errors.forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Captures can be hundreds of MiB; logs and configs stay until the next run's sweep. */
    private void deleteCaptures() {
        try (var files = Files.walk(dir)) {
            files.filter(p -> p.toString().endsWith(".pcap")).forEach(Exec::deleteQuietly);
        } catch (IOException | UncheckedIOException ignored) {
            // nothing to reclaim
        }
    }
}
