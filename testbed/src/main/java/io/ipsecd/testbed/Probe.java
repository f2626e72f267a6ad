package io.ipsecd.testbed;

import java.util.List;

/**
 * Something a scenario measures or checks. Probes run from the corp host(s) to the cloud host
 * through the tunnel, in the order given; {@link WanCapture} and {@link FirstPacket} wrap the
 * whole run instead (the capture starts before IKE, first-packet timing starts before "up").
 */
public sealed interface Probe {
    static Probe ping() { return new Ping(5, 0.2); }

    static Probe ping(int count, double intervalSeconds) { return new Ping(count, intervalSeconds); }

    /** Sends {@code bytes} over TCP and compares SHA-256 of what was sent and what arrived. */
    static Probe transfer(long bytes) { return new Transfer(bytes); }

    static Probe iperf(int streams, int seconds) { return new Iperf(streams, seconds); }

    /** Asserts that only IKE (UDP 500/4500) and ESP cross the WAN and the plaintext marker never does. */
    static Probe wanCapture() { return new WanCapture(); }

    /** Time from "up" (initiate) to the first ping reply through the tunnel. */
    static Probe firstPacket() { return new FirstPacket(); }

    long MiB = 1024 * 1024;

    /** IPv4 and IPv6 echo, {@code count} each; every reply must arrive. */
    record Ping(int count, double intervalSeconds) implements Probe {}

    record Transfer(long bytes) implements Probe {}

    record Iperf(int streams, int seconds) implements Probe {}

    record WanCapture() implements Probe {}

    record FirstPacket() implements Probe {}

    /** What the probes found. */
    sealed interface Result {}

    record PingResult(String family, int sent, int received, double avgRttMs) implements Result {}

    record TransferResult(long bytes, String sentSha256, String receivedSha256, double seconds) implements Result {
        public double gbps() { return bytes * 8 / seconds / 1e9; }
    }

    record IperfResult(int streams, double gbps, long retransmits) implements Result {}

    /**
     * @param violations  first few packets that were neither IKE, ESP nor link housekeeping
     * @param markerFound whether the hosts' plaintext marker appeared anywhere in the WAN bytes
     */
    record CaptureResult(long packets, long ikePackets, long espPackets, long espBytes, long housekeeping,
                         List<String> violations, long otherPackets, boolean markerFound, String tcpdumpStats)
            implements Result {}

    record FirstPacketResult(double millis) implements Result {}
}
