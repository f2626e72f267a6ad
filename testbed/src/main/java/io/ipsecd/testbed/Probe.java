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

    /** Sends {@code bytes} over TCP and IPv4 and compares SHA-256 of what was sent and what arrived. */
    static Probe transfer(long bytes) { return new Transfer(bytes, Family.IPV4); }

    /** The same over the inner address family given (the tunnel carries both). */
    static Probe transfer(long bytes, Family family) { return new Transfer(bytes, family); }

    static Probe iperf(int streams, int seconds) { return new Iperf(streams, seconds); }

    /** Asserts that only IKE (UDP 500/4500) and ESP cross the WAN and the plaintext marker never does. */
    static Probe wanCapture() { return new WanCapture(); }

    /** Time from "up" (initiate) to the first ping reply through the tunnel. */
    static Probe firstPacket() { return new FirstPacket(); }

    long MiB = 1024 * 1024;
    long GiB = 1024 * MiB;

    /** The inner address family a probe uses between the hosts. */
    enum Family {
        IPV4("IPv4"), IPV6("IPv6");

        private final String label;

        Family(String label) { this.label = label; }

        @Override
        public String toString() { return label; }
    }

    /** IPv4 and IPv6 echo, {@code count} each; every reply must arrive. */
    record Ping(int count, double intervalSeconds) implements Probe {}

    record Transfer(long bytes, Family family) implements Probe {}

    record Iperf(int streams, int seconds) implements Probe {}

    record WanCapture() implements Probe {}

    record FirstPacket() implements Probe {}

    /** What the probes found. */
    sealed interface Result {}

    record PingResult(String family, int sent, int received, double avgRttMs) implements Result {}

    record TransferResult(Family family, long bytes, String sentSha256, String receivedSha256, double seconds)
            implements Result {
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
