package io.ipsecd.testbed;

import io.ipsecd.testbed.SaInfo.IkeSa;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one scenario run measured.
 *
 * @param setup time to build the lab and start the daemons
 * @param up    time from the first initiate until every corp gateway's tunnel was up
 * @param sas   each gateway's SAs after the probes, keyed by site name
 */
public record ScenarioReport(String name, Duration total, Duration setup, Duration up, List<Probe.Result> results,
                             Map<String, List<IkeSa>> sas) {

    public <T extends Probe.Result> List<T> all(Class<T> type) {
        return results.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends Probe.Result> T first(Class<T> type) {
        return all(type).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + type.getSimpleName() + " in " + name));
    }

    /** One line per probe result, for test output and the bench log. */
    public String summary() {
        StringBuilder sb = new StringBuilder(name).append(": total %.1f s, setup %.1f s, up %d ms%n"
                .formatted(total.toMillis() / 1000.0, setup.toMillis() / 1000.0, up.toMillis()));
        for (Probe.Result r : results) {
            sb.append("  ").append(switch (r) {
                case Probe.PingResult p -> "ping %s %d/%d, avg %.3f ms".formatted(p.family(), p.received(), p.sent(), p.avgRttMs());
                case Probe.TransferResult t -> "transfer %s %d MiB in %.2f s (%.2f Gbit/s), sha256 %s".formatted(
                        t.family(), t.bytes() >> 20, t.seconds(), t.gbps(), t.sentSha256().equals(t.receivedSha256()) ? "equal" : "DIFFERENT");
                case Probe.IperfResult i -> "iperf3 %d stream(s): %.2f Gbit/s, %d retransmits".formatted(
                        i.streams(), i.gbps(), i.retransmits());
                case Probe.CaptureResult c -> "WAN: %d packets, %d IKE, %d ESP (%d MiB), %d housekeeping, %d other, marker %s [%s]"
                        .formatted(c.packets(), c.ikePackets(), c.espPackets(), c.espBytes() >> 20, c.housekeeping(),
                                c.otherPackets(), c.markerFound() ? "FOUND" : "absent", c.tcpdumpStats());
                case Probe.FirstPacketResult f -> "first packet %.1f ms after up".formatted(f.millis());
            }).append('\n');
        }
        sas.forEach((site, list) -> list.forEach(sa -> sb.append("  %s: %s %s %s%s%n".formatted(site, sa.name(),
                sa.state(), sa.algorithms(), sa.children().stream().map(ch -> " | %s %s %s%s in %d B out %d B".formatted(
                        ch.name(), ch.state(), ch.mode(), ch.encapsulated() ? "-in-UDP" : "", ch.bytesIn(), ch.bytesOut()))
                        .reduce("", String::concat)))));
        return sb.toString();
    }
}
