package io.ipsecd.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipsecd.testbed.Probe.FirstPacketResult;
import io.ipsecd.testbed.Probe.IperfResult;
import io.ipsecd.testbed.Probe.PingResult;
import io.ipsecd.testbed.Probe.TransferResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the host-to-host probes with ping, iperf3 and a small python3 sender/receiver. */
final class HostProbes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PING_COUNTS = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final Pattern PING_RTT = Pattern.compile("= [\\d.]+/([\\d.]+)/");
    private static final Pattern REPLY_TS = Pattern.compile("^\\[(\\d+\\.\\d+)] \\d+ bytes from", Pattern.MULTILINE);

    private HostProbes() {}

    /** Pings over IPv4 and IPv6; the payload carries the marker so a leak would show on the WAN. */
    static List<PingResult> ping(Site from, Site to, Probe.Ping p, String marker) {
        String pattern = HexFormat.of().formatHex(marker.substring(0, Math.min(16, marker.length())).getBytes());
        Duration timeout = Duration.ofSeconds((long) (p.count() * p.intervalSeconds()) + 15);
        return List.of(
                onePing(from, "IPv4", timeout, "ping", "-4", "-n", "-q", "-c", "" + p.count(), "-i", "" + p.intervalSeconds(),
                        "-W", "2", "-p", pattern, to.hostAddress().v4()),
                onePing(from, "IPv6", timeout, "ping", "-6", "-n", "-q", "-c", "" + p.count(), "-i", "" + p.intervalSeconds(),
                        "-W", "2", "-p", pattern, to.hostAddress().v6()));
    }

    private static PingResult onePing(Site from, String family, Duration timeout, String... cmd) {
        Exec.Result r = Netns.run(from.hostNs(), timeout, cmd);
        Matcher c = PING_COUNTS.matcher(r.out());
        if (!c.find()) throw new IllegalStateException("unexpected ping output: " + r.out() + r.err());
        Matcher rtt = PING_RTT.matcher(r.out());
        return new PingResult(family, Integer.parseInt(c.group(1)), Integer.parseInt(c.group(2)),
                rtt.find() ? Double.parseDouble(rtt.group(1)) : Double.NaN);
    }

    /** Streams {@code bytes} from one host to the other over IPv4 and returns both sides' SHA-256. */
    static TransferResult transfer(Lab lab, Site from, Site to, long bytes, String marker) {
        return transfer(lab, from, to, bytes, Probe.Family.IPV4, marker);
    }

    /** Streams {@code bytes} from one host to the other over {@code family} and returns both sides' SHA-256. */
    static TransferResult transfer(Lab lab, Site from, Site to, long bytes, Probe.Family family, String marker) {
        return transfer(lab, from, to, bytes, family, marker, 0);
    }

    /**
     * The same, paced to at most {@code bytesPerSecond} (0: as fast as it goes): a steady load for a
     * known time, e.g. across rekeys.
     */
    static TransferResult transfer(Lab lab, Site from, Site to, long bytes, Probe.Family family, String marker,
                                   long bytesPerSecond) {
        Path script = resource(lab, "transfer.py");
        Path dir = lab.dir("probes");
        Path recvLog = dir.resolve("transfer-recv.out");
        Exec.deleteQuietly(recvLog);
        // >= 64 Mbit/s or it failed; a paced one gets its planned time on top
        Duration timeout = Duration.ofSeconds(60 + bytes / (8 * 1024 * 1024) + (bytesPerSecond > 0 ? bytes / bytesPerSecond : 0));
        boolean v6 = family == Probe.Family.IPV6;
        Process receiver = Exec.start(recvLog, Netns.exec(to.hostNs(), List.of(python(), script.toString(), "recv",
                v6 ? "::" : "0.0.0.0", "5001", "" + timeout.toSeconds())), Map.of());
        try {
            Exec.Result sent = Netns.run(from.hostNs(), timeout, python(), script.toString(), "send",
                    v6 ? to.hostAddress().v6() : to.hostAddress().v4(), "5001", "" + bytes, marker,
                    "" + timeout.toSeconds(), "" + bytesPerSecond).check();
            if (!receiver.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("receiver did not finish");
            JsonNode s = JSON.readTree(sent.out());
            JsonNode r = JSON.readTree(lastLine(recvLog));
            return new TransferResult(family, r.path("bytes").asLong(), s.path("sha256").asText(), r.path("sha256").asText(),
                    s.path("seconds").asDouble());
        } catch (IOException e) {
            throw new IllegalStateException("transfer probe printed no JSON; receiver: " + Exec.tail(recvLog, 2000), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            Exec.stop(receiver, Duration.ofSeconds(2));
        }
    }

    /** One iperf3 run; the server serves exactly one client ({@code -1}) and then exits. */
    static IperfResult iperf(Lab lab, Site from, Site to, Probe.Iperf p) {
        Path log = lab.dir("probes").resolve("iperf3-server-" + p.streams() + ".log");
        Process server = Exec.start(log, Netns.exec(to.hostNs(), List.of("iperf3", "-s", "-1", "--forceflush", "-p", "5201")), Map.of());
        try {
            awaitText(log, "Server listening", Duration.ofSeconds(10));
            Exec.Result r = Netns.run(from.hostNs(), Duration.ofSeconds(p.seconds() + 30), "iperf3", "-c",
                    to.hostAddress().v4(), "-p", "5201", "-t", "" + p.seconds(), "-P", "" + p.streams(), "-J").check();
            JsonNode end = JSON.readTree(r.out()).path("end");
            return new IperfResult(p.streams(), end.path("sum_received").path("bits_per_second").asDouble() / 1e9,
                    end.path("sum_sent").path("retransmits").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException("iperf3 printed no JSON", e);
        } finally {
            Exec.stop(server, Duration.ofSeconds(2));
        }
    }

    /** A fast ping started before "up": the first reply's timestamp marks the first packet through. */
    static Process startFirstPacketPing(Lab lab, Site from, Site to) {
        Path log = lab.dir("probes").resolve("first-packet-ping.log");
        Exec.deleteQuietly(log);
        // Bounded: 2500 echoes at 2 ms is 5 s at most.
        return Exec.start(log, Netns.exec(from.hostNs(), List.of("ping", "-4", "-n", "-D", "-c", "2500", "-i", "0.002",
                "-W", "1", to.hostAddress().v4())), Map.of());
    }

    static FirstPacketResult awaitFirstPacket(Lab lab, Process ping, long upStartedMillis) {
        Path log = lab.dir("probes").resolve("first-packet-ping.log");
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            while (System.nanoTime() < deadline) {
                Matcher m = REPLY_TS.matcher(Files.exists(log) ? Files.readString(log) : "");
                if (m.find()) {
                    double replyMillis = Double.parseDouble(m.group(1)) * 1000;
                    return new FirstPacketResult(Math.max(0, replyMillis - upStartedMillis));
                }
                if (!Exec.sleep(20)) break;
            }
            throw new IllegalStateException("no ping reply through the tunnel within 6 s:\n" + Exec.tail(log, 1000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Exec.stop(ping, Duration.ofSeconds(1));
        }
    }

    static void awaitText(Path log, String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Files.exists(log) && Files.readString(log).contains(text)) return;
            } catch (IOException ignored) {
                // the writer may still be creating the file
            }
            if (!Exec.sleep(20)) break;
        }
        throw new IllegalStateException("'" + text + "' did not appear in " + log + " within " + timeout.toSeconds()
                + " s:\n" + Exec.tail(log, 1000));
    }

    /** Copies a bundled helper script into the lab so it runs the same from a jar or from classes. */
    static Path resource(Lab lab, String name) {
        Path target = lab.dir("probes").resolve(name);
        if (Files.exists(target)) return target;
        try (InputStream in = HostProbes.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            Files.copy(in, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Debian's python3: the sender needs nothing beyond the standard library. */
    static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private static String lastLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().filter(l -> l.startsWith("{")).toList();
        if (lines.isEmpty()) throw new IOException("no JSON line in " + file + ": " + Exec.tail(file, 1000));
        return lines.getLast();
    }
}
