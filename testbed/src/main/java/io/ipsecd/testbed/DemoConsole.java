package io.ipsecd.testbed;

import io.ipsecd.testbed.Probe.PingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How {@link Demo} talks: a numbered step, a sentence of why, then each command exactly as it runs
 * (an admin can paste it) and its output, indented. Paths into this repository are shown relative
 * to it, since demo.sh runs from its root.
 */
final class DemoConsole {
    private static final Duration CMD = Duration.ofSeconds(30);
    private static final Pattern PING_COUNTS = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final Pattern PING_RTT = Pattern.compile("= [\\d.]+/([\\d.]+)/");

    private final PrintStream out;
    private final boolean bold;
    private final String repo = Ipsecd.repo() + "/";

    DemoConsole(PrintStream out) {
        this.out = out;
        this.bold = out == System.out && System.console() != null && System.console().isTerminal();
    }

    void intro(Lab lab, String marker) {
        Site c = lab.corp();
        Site k = lab.cloud();
        out.printf("""
                ipsecd demo: two ipsecd gateways join a corporate site to a cloud site.
                Everything below runs in network namespaces of lab %s and is removed at the end.

                  corp-host ----- corp-gw ========= WAN ========= cloud-gw ----- cloud-host
                  %-15s %-15s %23s %-13s %s
                  %-15s %-15s %23s %-13s %s

                  corp site LAN  %s, %s
                  cloud site LAN %s, %s
                  namespaces     corp-host %s, corp-gw %s,
                                 cloud-gw %s, cloud-host %s
                  marker         %s (in every ping and transfer; must never show on the WAN)
                """, lab.name(),
                c.hostAddress().v4(), c.gatewayLan().v4() + " | " + c.wanAddress().v4(), "", k.wanAddress().v4() + " | "
                        + k.gatewayLan().v4(), k.hostAddress().v4(),
                c.hostAddress().v6(), c.gatewayLan().v6() + " | " + c.wanAddress().v6(), "", k.wanAddress().v6() + " | "
                        + k.gatewayLan().v6(), k.hostAddress().v6(),
                c.lan().v4(), c.lan().v6(), k.lan().v4(), k.lan().v6(), c.hostNs(), c.gatewayNs(), k.gatewayNs(),
                k.hostNs(), marker);
    }

    void step(String title) {
        out.println();
        out.println(bold ? "\033[1m== " + title + "\033[0m" : "== " + title);
    }

    void say(String text) {
        out.println(text);
    }

    /** Prints a command as an admin would type it, without running it (it runs elsewhere). */
    void shown(String ns, List<String> command) {
        List<String> full = new ArrayList<>();
        if (ns != null) full.addAll(List.of("ip", "netns", "exec", ns));
        full.addAll(command);
        out.println("$ " + String.join(" ", full).replace(repo, ""));
    }

    /** Runs a command (in namespace {@code ns}, or on the host when null), showing it and its output. */
    Exec.Result run(String ns, String... command) {
        return run(ns, List.of(command), Map.of());
    }

    private Exec.Result run(String ns, List<String> command, Map<String, String> env) {
        shown(ns, command);
        Exec.Result r = Exec.run(CMD, ns == null ? command : Netns.exec(ns, command), env);
        String text = (r.err() + r.out()).strip(); // tcpdump -r says "reading from file" on stderr, first
        if (!text.isEmpty()) out.println(text.replace(repo, "").indent(2).stripTrailing());
        if (!r.ok()) out.println("  (exit " + r.exit() + ")");
        return r;
    }

    /** {@code ipsecctl} on the gateway, against its daemon's control socket. */
    Exec.Result ctl(Ipsecd gateway, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Ipsecd.repo().resolve("bin/ipsecctl").toString(), "--socket",
                gateway.socket().toString()));
        cmd.addAll(List.of(args));
        return run(gateway.site().gatewayNs(), cmd, Map.of("JAVA_HOME", System.getProperty("java.home")));
    }

    void cat(Path file) {
        shown(null, List.of("cat", file.toString()));
        try {
            out.println(Files.readString(file).indent(2).stripTrailing());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A visible ping from the site's host whose payload carries the marker, so a leak would show on the WAN. */
    PingResult ping(Site from, String destination, String marker, int count) {
        String pattern = HexFormat.of().formatHex(marker.substring(0, Math.min(16, marker.length())).getBytes());
        Exec.Result r = run(from.hostNs(), "ping", "-n", "-c", "" + count, "-i", "0.2", "-W", "1", "-p", pattern,
                destination);
        Matcher m = PING_COUNTS.matcher(r.out());
        if (!m.find()) throw new IllegalStateException("unexpected ping output: " + r.out() + r.err());
        Matcher rtt = PING_RTT.matcher(r.out());
        return new PingResult(destination.contains(":") ? "IPv6" : "IPv4", Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)), rtt.find() ? Double.parseDouble(rtt.group(1)) : Double.NaN);
    }

    void keepInstructions(Lab lab, Ipsecd corp, Ipsecd cloud) {
        Site c = lab.corp();
        Site k = lab.cloud();
        step("The lab stays up (--keep). Look around, as root, from this directory:");
        out.printf("""
                  # corp-host to cloud-host, through the tunnel
                  ip netns exec %s ping %s
                  # each gateway's SAs, counters and drops
                  ip netns exec %s bin/ipsecctl --socket %s list-sas
                  ip netns exec %s bin/ipsecctl --socket %s stats
                  # the WAN: only IKE and ESP
                  ip netns exec %s tcpdump -ni %s
                  # the cloud LAN is routed into ipsecd's TUN
                  ip netns exec %s ip route
                  # corp-gw's daemon log (cloud-gw's is in the directory next to it)
                  less %s
                  # every namespace of the lab
                  ip netns list | grep %s

                Tear it down (daemons, namespaces, files) with:
                  sudo ./demo.sh --teardown
                (the next demo or testbed run removes it too)
                """, c.hostNs(), k.hostAddress().v4(), c.gatewayNs(), corp.socket(), k.gatewayNs(), cloud.socket(),
                lab.wanTapNs(), lab.wanTapInterface(), c.gatewayNs(),
                corp.configFile().resolveSibling("ipsecd.log"), lab.name());
    }
}
