package io.ipsecd.testbed;

import static io.ipsecd.testbed.Peer.ipsecd;
import static io.ipsecd.testbed.Peer.strongswan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Prints one table comparing plain routing, strongSwan and ipsecd on the same site-to-site
 * topology, measured in one run (the machine is noisy: compare within a table, not across runs).
 * A column whose tunnel does not come up prints "not available"; speed never fails the bench.
 *
 * <p>The strongSwan pairs run kernel-libipsec, which always sends ESP in UDP; the like-for-like
 * ipsecd column forces ESP-in-UDP too ({@code encap: true}), and a second one shows raw ESP, what
 * ipsecd sends by default when no NAT is detected.
 *
 * <p>Usage: {@code Bench [--seconds N] [--only TEXT]} (iperf3 duration per run, default 8; only the
 * columns whose title contains TEXT). Needs root.
 */
public final class Bench {
    private static final String PROPOSAL = "aes256gcm16-prfsha384-x25519";
    private static final int WARMUP_SECONDS = 3;
    static final String IPSECD_PAIR = "ipsecd<->ipsecd ESP-in-UDP";
    static final List<String> STRONGSWAN_PAIRS = List.of("strongSwan 5.9.8<->5.9.8", "strongSwan 6.1.0<->6.1.0");

    record Column(String title, Scenario scenario) {}

    /** A column's numbers, or why it has none. */
    sealed interface Outcome {
        record Measured(ScenarioReport report) implements Outcome {}
        record Unavailable(String reason) implements Outcome {}
    }

    public static void main(String[] args) {
        int seconds = 8;
        String only = "";
        try {
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--seconds") && i + 1 < args.length) seconds = Integer.parseInt(args[++i]);
                else if (args[i].equals("--only") && i + 1 < args.length) only = args[++i];
                else throw new IllegalArgumentException(args[i]);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("usage: bench [--seconds N] [--only TEXT]");
            System.exit(2);
        }
        if (!TestbedExtension.isRoot()) {
            System.err.println("the bench builds network namespaces: run it as root");
            System.exit(3);
        }
        // Every column first carries WARMUP_SECONDS of unmeasured traffic: the figures are the steady
        // state a tunnel lives in for months, not a JVM's first seconds while its JIT compiles the
        // data path (about 15% slower in the lab). It runs 2 streams, which no row reports.
        Probe[] probes = {Probe.firstPacket(), Probe.iperf(2, WARMUP_SECONDS), Probe.ping(20, 0.05),
                Probe.iperf(1, seconds), Probe.iperf(4, seconds)};
        List<Column> columns = List.of(
                new Column("plain routing", Scenario.siteToSite().plainRouting()),
                new Column(STRONGSWAN_PAIRS.get(0), tunnel(strongswan(StrongSwanVersion.V5_9_8), strongswan(StrongSwanVersion.V5_9_8))),
                new Column(STRONGSWAN_PAIRS.get(1), tunnel(strongswan(StrongSwanVersion.V6_1_0), strongswan(StrongSwanVersion.V6_1_0))),
                new Column("ipsecd<->strongSwan 5.9.8", tunnel(ipsecd(), strongswan(StrongSwanVersion.V5_9_8))),
                new Column(IPSECD_PAIR, tunnel(ipsecd(), ipsecd()).encap()),
                new Column("ipsecd<->ipsecd raw ESP", tunnel(ipsecd(), ipsecd())));
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (Column c : columns) {
            if (!c.title().contains(only)) continue;
            System.err.println("bench: " + c.title() + " ...");
            outcomes.put(c.title(), measure(c.scenario().probes(probes)));
        }
        System.out.println(table(outcomes, seconds));
    }

    private static Scenario tunnel(Peer corp, Peer cloud) {
        return Scenario.siteToSite().corp(corp).cloud(cloud).proposals(PROPOSAL).espProposals("aes256gcm16").psk()
                .upTimeout(Duration.ofSeconds(15));
    }

    private static Outcome measure(Scenario s) {
        try {
            ScenarioReport r = s.run();
            System.err.print(r.summary());
            return new Outcome.Measured(r);
        } catch (Throwable t) {
            String first = String.valueOf(t.getMessage()).lines().findFirst().orElse("");
            System.err.println("bench: " + s.name() + ": not available: " + first);
            return new Outcome.Unavailable(first);
        }
    }

    static String table(Map<String, Outcome> outcomes, int seconds) {
        Map<String, Function<ScenarioReport, OptionalDouble>> rows = new LinkedHashMap<>();
        Map<String, Boolean> higherIsBetter = new LinkedHashMap<>();
        rows.put("TCP 1 stream, Gbit/s", r -> iperf(r, 1));
        rows.put("TCP 4 streams, Gbit/s", r -> iperf(r, 4));
        rows.put("ping RTT avg, ms", r -> r.all(Probe.PingResult.class).stream()
                .filter(p -> p.family().equals("IPv4")).mapToDouble(Probe.PingResult::avgRttMs).findFirst());
        rows.put("up -> first packet, ms", r -> r.all(Probe.FirstPacketResult.class).stream()
                .mapToDouble(Probe.FirstPacketResult::millis).findFirst());
        rows.keySet().forEach(k -> higherIsBetter.put(k, k.contains("Gbit/s")));
        List<String> titles = new ArrayList<>(outcomes.keySet());
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("site-to-site, AES-256-GCM, " + seconds + " s iperf3 after "
                + WARMUP_SECONDS + " s warm-up"));
        header.addAll(titles);
        header.addAll(List.of("ipsecd vs best strongSwan", "ipsecd vs plain"));
        cells.add(header);
        for (var row : rows.entrySet()) {
            List<String> line = new ArrayList<>(List.of(row.getKey()));
            for (String t : titles) line.add(cell(outcomes.get(t), row.getValue()));
            // ipsecd<->ipsecd (same transport as libipsec) against the better strongSwan pair in this
            // row, and against no encryption at all.
            Outcome bestSwan = best(outcomes, row.getValue(), higherIsBetter.get(row.getKey()));
            line.add(ratio(outcomes.get(IPSECD_PAIR), bestSwan, row.getValue()));
            line.add(ratio(outcomes.get(IPSECD_PAIR), outcomes.get("plain routing"), row.getValue()));
            cells.add(line);
        }
        return render(cells) + notes(outcomes);
    }

    /** The strongSwan pair with the better value in a row, or null when none was measured. */
    private static Outcome best(Map<String, Outcome> outcomes, Function<ScenarioReport, OptionalDouble> f,
                                boolean higherIsBetter) {
        Outcome best = null;
        double bestValue = Double.NaN;
        for (String title : STRONGSWAN_PAIRS) {
            if (!(outcomes.get(title) instanceof Outcome.Measured(ScenarioReport r))) continue;
            OptionalDouble v = f.apply(r);
            if (v.isEmpty() || Double.isNaN(v.getAsDouble())) continue;
            double x = v.getAsDouble();
            if (best == null || (higherIsBetter ? x > bestValue : x < bestValue)) {
                best = outcomes.get(title);
                bestValue = x;
            }
        }
        return best;
    }

    private static OptionalDouble iperf(ScenarioReport r, int streams) {
        return r.all(Probe.IperfResult.class).stream().filter(i -> i.streams() == streams)
                .mapToDouble(Probe.IperfResult::gbps).findFirst();
    }

    private static String cell(Outcome o, Function<ScenarioReport, OptionalDouble> f) {
        return switch (o) {
            case Outcome.Unavailable u -> "not available";
            case Outcome.Measured(ScenarioReport r) -> {
                OptionalDouble v = f.apply(r);
                yield v.isPresent() && !Double.isNaN(v.getAsDouble()) ? format(v.getAsDouble()) : "n/a";
            }
        };
    }

    private static String ratio(Outcome a, Outcome b, Function<ScenarioReport, OptionalDouble> f) {
        if (a instanceof Outcome.Measured(ScenarioReport ra) && b instanceof Outcome.Measured(ScenarioReport rb)) {
            OptionalDouble x = f.apply(ra);
            OptionalDouble y = f.apply(rb);
            if (x.isPresent() && y.isPresent() && y.getAsDouble() > 0) return "%.2fx".formatted(x.getAsDouble() / y.getAsDouble());
        }
        return "n/a";
    }

    private static String format(double v) {
        return v >= 100 ? "%.0f".formatted(v) : v >= 1 ? "%.2f".formatted(v) : "%.3f".formatted(v);
    }

    private static String render(List<List<String>> cells) {
        int cols = cells.getFirst().size();
        int[] width = new int[cols];
        for (List<String> row : cells) for (int i = 0; i < cols; i++) width[i] = Math.max(width[i], row.get(i).length());
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            sb.append('|');
            for (int i = 0; i < cols; i++) {
                String v = cells.get(r).get(i);
                sb.append(' ').append(i == 0 ? pad(v, width[i], false) : pad(v, width[i], true)).append(" |");
            }
            sb.append('\n');
            if (r == 0) {
                sb.append('|');
                for (int i = 0; i < cols; i++) sb.append('-').append("-".repeat(width[i])).append(i == 0 ? "-|" : ":|");
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return right ? fill + s : s + fill;
    }

    private static String notes(Map<String, Outcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        outcomes.forEach((title, o) -> {
            if (o instanceof Outcome.Unavailable(String reason)) sb.append("\n").append(title).append(": ").append(reason);
        });
        return sb.isEmpty() ? "" : "\nnot available:" + sb + "\n";
    }
}
