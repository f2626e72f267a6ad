package io.ipsecd.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Single UDP datagrams between the lab's hosts ({@code udp.py}). UDP never retransmits, so a
 * datagram that arrives is the very packet that was sent: the trap test uses one to prove that the
 * packet raising the acquire is delivered; the fail-closed test uses a stream that must not arrive.
 */
public final class UdpProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UdpProbe() {}

    /** A listener on a host; {@link #close} stops it. Bounded by its own timer as well. */
    public static final class Listener implements AutoCloseable {
        private final Process process;
        private final Path log;

        private Listener(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        /** The payloads received so far, in arrival order. */
        public List<String> received() {
            List<String> out = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(log)) {
                    if (line.startsWith("{")) out.add(JSON.readTree(line).path("data").asText());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + log, e);
            }
            return out;
        }

        /** Waits until {@code count} datagrams arrived or {@code timeout} passed; returns what arrived. */
        public List<String> await(int count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && received().size() < count) {
                if (!Exec.sleep(50)) break;
            }
            return received();
        }

        @Override
        public void close() { Exec.stop(process, Duration.ofSeconds(2)); }
    }

    /**
     * Listens on {@code port} of the site's host, on the wildcard address of {@code family}, for at most
     * {@code max} datagrams or {@code lifetime}; returns once the socket is bound.
     */
    public static Listener listen(Lab lab, Site at, Probe.Family family, int port, int max, Duration lifetime) {
        Path script = HostProbes.resource(lab, "udp.py");
        Path log = lab.dir("probes").resolve("udp-" + at.name() + "-" + family + "-" + port + ".log");
        Exec.deleteQuietly(log);
        Process p = Exec.start(log, Netns.exec(at.hostNs(), List.of(HostProbes.python(), script.toString(), "recv",
                family == Probe.Family.IPV6 ? "::" : "0.0.0.0", "" + port, "" + lifetime.toSeconds(), "" + max)), Map.of());
        lab.onClose(() -> Exec.stop(p, Duration.ofSeconds(2)));
        HostProbes.awaitText(log, "listening", Duration.ofSeconds(10));
        return new Listener(p, log);
    }

    /** Sends {@code count} datagrams {@code payload-<index>} from the host of {@code from} to the host of {@code to}. */
    public static void send(Lab lab, Site from, Site to, Probe.Family family, int port, String payload, int count,
                            double intervalSeconds) {
        Path script = HostProbes.resource(lab, "udp.py");
        String target = family == Probe.Family.IPV6 ? to.hostAddress().v6() : to.hostAddress().v4();
        Netns.run(from.hostNs(), Duration.ofSeconds((long) (count * intervalSeconds) + 10), HostProbes.python(),
                script.toString(), "send", target, "" + port, payload, "" + count, "" + intervalSeconds).check();
    }
}
