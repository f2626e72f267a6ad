package io.ipsecd.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fast IPv4 ping ({@code ping -D -i 0.01}) from one host to another for a whole run, read back
 * afterwards: which echoes got no reply and, from the timestamps of the replies around them, when
 * they were sent. The payload carries the marker, so a ping in clear would show on the WAN.
 */
final class PingTimeline implements AutoCloseable {
    private static final Pattern REPLY = Pattern.compile("^\\[(\\d+\\.\\d+)] \\d+ bytes from .*icmp_seq=(\\d+) .*time=([\\d.]+) ms",
            Pattern.MULTILINE);
    private static final Pattern COUNTS = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    static final double INTERVAL = 0.01;

    private final Process process;
    private final Path log;
    private final Duration length;

    private PingTimeline(Process process, Path log, Duration length) {
        this.process = process;
        this.log = log;
        this.length = length;
    }

    /**
     * Pings from {@code from}'s host to {@code to}'s host every 10 ms for {@code length} (a deadline:
     * on a busy machine ping sends fewer than 100 a second, so a count would run longer).
     */
    static PingTimeline start(Lab lab, Site from, Site to, Duration length, String marker) {
        return start(lab, from, to, length, marker, "fast-ping");
    }

    /** The same, logging to {@code probes/NAME.log} (for several at once). */
    static PingTimeline start(Lab lab, Site from, Site to, Duration length, String marker, String name) {
        Path log = lab.dir("probes").resolve(name + ".log");
        Exec.deleteQuietly(log);
        String pattern = HexFormat.of().formatHex(marker.substring(0, Math.min(16, marker.length())).getBytes());
        Process p = Exec.start(log, Netns.exec(from.hostNs(), List.of("ping", "-4", "-n", "-D", "-i", "" + INTERVAL,
                "-w", "" + length.toSeconds(), "-W", "1", "-p", pattern, to.hostAddress().v4())), Map.of());
        PingTimeline t = new PingTimeline(p, log, length);
        lab.onClose(t);
        return t;
    }

    /** Waits for ping to finish (bounded) and reads its log. */
    Result finish() {
        try {
            if (!process.waitFor(length.toSeconds() + 30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("ping did not finish: " + Exec.tail(log, 500));
            }
            return parse(Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Ends ping before its deadline the way Ctrl-C does (SIGINT), so that it still prints its summary. */
    void interrupt() {
        Exec.run(Duration.ofSeconds(5), "kill", "-INT", Long.toString(process.pid()));
    }

    @Override
    public void close() { Exec.stop(process, Duration.ofSeconds(2)); }

    /**
     * @param transmitted echoes sent, less those still unanswered when the deadline stopped ping
     * @param sentMillis  estimated send time (epoch ms) of every echo, index = icmp_seq - 1
     * @param lost        the icmp_seq of every echo without a reply, ascending
     * @param cutOff      echoes sent after the last reply, still in flight when ping stopped: not lost
     */
    record Result(int transmitted, int received, double[] sentMillis, List<Integer> lost, int cutOff) {
        double lossPercent() { return transmitted == 0 ? 0 : 100.0 * (transmitted - received) / transmitted; }

        /** Runs of consecutive lost echoes: [first seq, last seq]. */
        List<int[]> bursts() {
            List<int[]> out = new ArrayList<>();
            for (int seq : lost) {
                if (!out.isEmpty() && out.getLast()[1] == seq - 1) out.getLast()[1] = seq;
                else out.add(new int[] {seq, seq});
            }
            return out;
        }

        double sentAt(int seq) { return sentMillis[seq - 1]; }

        /** Echoes lost that were sent within [fromMillis, toMillis). */
        long lostBetween(double fromMillis, double toMillis) {
            return lost.stream().filter(s -> sentAt(s) >= fromMillis && sentAt(s) < toMillis).count();
        }
    }

    static Result parse(String out) {
        Matcher c = COUNTS.matcher(out);
        if (!c.find()) throw new IllegalStateException("ping printed no summary: " + out.substring(Math.max(0, out.length() - 500)));
        int transmitted = Integer.parseInt(c.group(1));
        int received = Integer.parseInt(c.group(2));
        TreeMap<Integer, Double> sent = new TreeMap<>(); // seq -> send time, from the reply time less the RTT
        Matcher m = REPLY.matcher(out);
        while (m.find()) {
            int seq = Integer.parseInt(m.group(2));
            sent.putIfAbsent(seq, Double.parseDouble(m.group(1)) * 1000 - Double.parseDouble(m.group(3)));
        }
        double[] times = new double[transmitted];
        List<Integer> lost = new ArrayList<>();
        for (int seq = 1; seq <= transmitted; seq++) {
            Double t = sent.get(seq);
            if (t != null) {
                times[seq - 1] = t;
                continue;
            }
            lost.add(seq);
            // Between the neighbouring replies, spaced evenly; at either end, one interval per echo.
            var before = sent.lowerEntry(seq);
            var after = sent.higherEntry(seq);
            if (before != null && after != null) {
                times[seq - 1] = before.getValue() + (after.getValue() - before.getValue()) * (seq - before.getKey())
                        / (after.getKey() - before.getKey());
            } else if (before != null) {
                times[seq - 1] = before.getValue() + (seq - before.getKey()) * INTERVAL * 1000;
            } else if (after != null) {
                times[seq - 1] = after.getValue() - (after.getKey() - seq) * INTERVAL * 1000;
            }
        }
        // The deadline stops ping with its last echoes in flight: those after the last reply are no loss.
        int cutOff = 0;
        int lastReply = sent.isEmpty() ? 0 : sent.lastKey();
        while (!lost.isEmpty() && lost.getLast() > lastReply) {
            lost.removeLast();
            cutOff++;
        }
        return new Result(transmitted - cutOff, received, times, lost, cutOff);
    }
}
