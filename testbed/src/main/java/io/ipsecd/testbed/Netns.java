package io.ipsecd.testbed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Thin wrappers around {@code ip netns}; every call is bounded. */
public final class Netns {
    static final Duration SHORT = Duration.ofSeconds(10);

    private Netns() {}

    public static List<String> list() {
        return Exec.run(SHORT, "ip", "netns", "list").check().out().lines()
                .map(l -> l.split("\\s+")[0]).filter(s -> !s.isBlank()).toList();
    }

    public static void add(String ns) {
        Exec.run(SHORT, "ip", "netns", "add", ns).check();
        ip(ns, "link", "set", "lo", "up");
    }

    /** {@code ip -n NS ARGS...}, failing loudly. */
    public static Exec.Result ip(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(Arrays.asList(args));
        return Exec.run(SHORT, cmd).check();
    }

    /** The command line that runs {@code command} inside {@code ns}. */
    public static List<String> exec(String ns, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(command);
        return cmd;
    }

    public static Exec.Result run(String ns, Duration timeout, String... command) {
        return Exec.run(timeout, exec(ns, List.of(command)));
    }

    public static List<Long> pids(String ns) {
        Exec.Result r = Exec.run(SHORT, "ip", "netns", "pids", ns);
        if (!r.ok()) return List.of();
        return r.out().lines().map(String::strip).filter(s -> s.matches("\\d+")).map(Long::parseLong).toList();
    }

    /**
     * Kills every process in the namespace (charon, containers, iperf3, tcpdump...), then deletes
     * it, which also removes its veth ends and TUN devices. Container mounts live in private mount
     * namespaces and vanish with their processes.
     */
    public static void destroy(String ns) {
        for (int round = 0; round < 20; round++) {
            List<Long> pids = pids(ns);
            if (pids.isEmpty()) break;
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            Exec.sleep(100);
        }
        // Stale XFRM state can outlive charon inside a namespace that somebody keeps open.
        Exec.run(SHORT, "ip", "-n", ns, "xfrm", "state", "flush");
        Exec.run(SHORT, "ip", "-n", ns, "xfrm", "policy", "flush");
        Exec.Result del = Exec.run(SHORT, "ip", "netns", "del", ns);
        if (!del.ok() && list().contains(ns)) {
            throw new IllegalStateException("cannot delete namespace " + ns + ": " + del.err());
        }
    }
}
